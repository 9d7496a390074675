import { COMMAND_EVENTS } from '../commands/command-runner';
import { EventCatalogue, EventDefinition } from '../event-store/event-catalogue';
import { LAND_TRUST_EVENTS } from '../modules/land-trust/land-trust.events';

/**
 * Every event type the ledger writes, gathered from each module's catalogue. The command runner
 * checks new events against it and `ledger verify` checks the recorded ones.
 */
export const LEDGER_EVENTS: readonly EventDefinition[] = [...COMMAND_EVENTS, ...LAND_TRUST_EVENTS];

export function ledgerEventCatalogue(): EventCatalogue {
  // Transitional: types whose module has no catalogue yet pass unchecked (see EventCatalogue).
  return new EventCatalogue(LEDGER_EVENTS, { allowUnknownTypes: true });
}
