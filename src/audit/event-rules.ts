import { postingProblem } from '../shared/postings';
import type { EventRule } from './verify/verify-log';

/** Events that move value: each must carry postings that balance per asset. */
const VALUE_EVENTS = new Set([
  'MovementPosted',
  'MovementReversed',
  'ImprovementExpensePaid',
  'ImprovementExpenseReversed',
  'MoneyLoanDisbursed',
  'MoneyLoanRepaid',
  'MoneyLoanForgiven',
  'LabourHoursExchanged',
  'ThingDepositTaken',
  'ThingChargesSettled',
]);

/** Every value-moving event carries well-formed double-entry postings that sum to zero per asset. */
const postingsBalance: EventRule = (event) =>
  VALUE_EVENTS.has(event.type) ? postingProblem((event.data as { postings?: unknown }).postings) : undefined;

/**
 * Domain rules `ledger verify` checks on every event besides the hash chain. Slices that move
 * value add their event types to VALUE_EVENTS.
 */
export const LEDGER_EVENT_RULES: readonly EventRule[] = [postingsBalance];
