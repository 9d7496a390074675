import type { EventRule } from './verify/verify-log';

/**
 * Domain rules `ledger verify` checks on every event besides the hash chain. Slices that move
 * value add theirs here (postings that balance per asset, for one).
 */
export const LEDGER_EVENT_RULES: readonly EventRule[] = [];
