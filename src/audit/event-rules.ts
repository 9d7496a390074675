import type { EventCatalogue } from '../event-store/event-catalogue';
import { VALUE_EVENT_TYPES, postingProblem } from '../shared/postings';
import type { EventRule } from './verify/verify-log';

/** Every value-moving event carries well-formed double-entry postings that sum to zero per asset. */
const postingsBalance: EventRule = (event) =>
  VALUE_EVENT_TYPES.has(event.type) ? postingProblem((event.data as { postings?: unknown }).postings) : undefined;

/**
 * Every recorded event keeps the schema the write path checks before appending: its data,
 * its schemaVersion and its effectiveAt. An event that reached the log some other way (an older
 * release, a tool writing to the store directly) is named by its position. Types without a
 * definition are reported too: the runner refuses them, so none can be there but by another way.
 */
export function catalogueRule(catalogue: EventCatalogue | (() => EventCatalogue)): EventRule {
  // A function is asked on first use (compiling the schemas is not free; a caller whose threads
  // run this rule may never need it itself).
  let compiled = typeof catalogue === 'function' ? undefined : catalogue;
  const load = typeof catalogue === 'function' ? catalogue : () => catalogue;
  return (event) => {
    compiled ??= load();
    const problems = compiled.problems(event, { recorded: true });
    if (problems.length === 0) return undefined;
    return `${event.type} does not keep its catalogue schema: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`;
  };
}

/**
 * Domain rules `ledger verify` checks on every event besides the hash chain: postings that
 * balance, and the catalogue's schemas. Slices that move value add their event types to
 * VALUE_EVENT_TYPES in src/shared/postings.ts.
 */
export function ledgerEventRules(catalogue: EventCatalogue | (() => EventCatalogue)): readonly EventRule[] {
  return [postingsBalance, catalogueRule(catalogue)];
}
