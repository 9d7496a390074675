/**
 * The documented mapping from a spending's category to its function (ASC 958 expenses by
 * function; README, "Accountability"). Categories are free text on disbursements; they are
 * compared lower-cased, with spaces and underscores read as hyphens. Anything not listed is
 * program services, on the line of the fund's program (its purpose, or its name).
 */
export const MANAGEMENT_AND_GENERAL: readonly string[] = [
  'accounting', 'audit', 'bank-fees', 'insurance', 'legal', 'office', 'administration', 'admin', 'management', 'it', 'software',
];
export const FUNDRAISING: readonly string[] = ['fundraising', 'appeal-mailings', 'appeals', 'donor-communications', 'fundraising-events', 'mailings-for-appeals'];

export type ExpenseFunction = 'program' | 'management-and-general' | 'fundraising';

export function normaliseCategory(category: string): string {
  return category.trim().toLowerCase().replace(/[\s_]+/g, '-');
}

export function functionOf(category: string): ExpenseFunction {
  const c = normaliseCategory(category);
  if (MANAGEMENT_AND_GENERAL.includes(c)) return 'management-and-general';
  if (FUNDRAISING.includes(c)) return 'fundraising';
  return 'program';
}

/** The program a fund's spending serves: the fund's purpose, or for a fund without one its name. */
export function programOf(purpose: string | null, fundName: string): string {
  return purpose ?? fundName;
}
