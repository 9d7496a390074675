import { VALUE_EVENT_TYPES, postingProblem } from '../shared/postings';
import type { EventRule } from './verify/verify-log';

/** Every value-moving event carries well-formed double-entry postings that sum to zero per asset. */
const postingsBalance: EventRule = (event) =>
  VALUE_EVENT_TYPES.has(event.type) ? postingProblem((event.data as { postings?: unknown }).postings) : undefined;

/**
 * Domain rules `ledger verify` checks on every event besides the hash chain. Slices that move
 * value add their event types to VALUE_EVENT_TYPES in src/shared/postings.ts.
 */
export const LEDGER_EVENT_RULES: readonly EventRule[] = [postingsBalance];
