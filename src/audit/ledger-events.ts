import { COMMAND_EVENTS } from '../commands/command-runner';
import { EventCatalogue, EventDefinition } from '../event-store/event-catalogue';
import { ACCESS_EVENTS } from '../modules/access/access.events';
import { FUNDS_EVENTS } from '../modules/funds/funds.events';
import { LAND_TRUST_EVENTS } from '../modules/land-trust/land-trust.events';
import { LEDGER_MODULE_EVENTS } from '../modules/ledger/ledger.events';
import { LENDING_EVENTS } from '../modules/lending/lending.events';
import { SUSTAINERS_EVENTS } from '../modules/sustainers/sustainers.events';

/**
 * Every event type the ledger writes, gathered from each module's catalogue. The command runner
 * checks new events against it and `ledger verify` checks the recorded ones.
 */
export const LEDGER_EVENTS: readonly EventDefinition[] = [
  ...COMMAND_EVENTS,
  ...ACCESS_EVENTS,
  ...LEDGER_MODULE_EVENTS,
  ...SUSTAINERS_EVENTS,
  ...LAND_TRUST_EVENTS,
  ...LENDING_EVENTS,
  ...FUNDS_EVENTS,
];

let shared: EventCatalogue | undefined;

/** The catalogue of LEDGER_EVENTS, compiled once per process (compiling the schemas is not free). */
export function ledgerEventCatalogue(): EventCatalogue {
  shared ??= new EventCatalogue(LEDGER_EVENTS);
  return shared;
}
