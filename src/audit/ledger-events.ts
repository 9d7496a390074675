import { COMMAND_EVENTS } from '../commands/command-runner';
import { EventCatalogue, EventDefinition } from '../event-store/event-catalogue';
import { FUNDS_EVENTS } from '../modules/funds/funds.events';

/**
 * Every event type the ledger writes, gathered from each module's catalogue. The command runner
 * checks new events against it and `ledger verify` checks the recorded ones.
 */
export const LEDGER_EVENTS: readonly EventDefinition[] = [...COMMAND_EVENTS, ...FUNDS_EVENTS];

export function ledgerEventCatalogue(): EventCatalogue {
  // Transitional: types whose module has no catalogue yet pass unchecked (see EventCatalogue).
  return new EventCatalogue(LEDGER_EVENTS, { allowUnknownTypes: true });
}
