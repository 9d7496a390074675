/**
 * Recurring due dates that behave as people expect at month ends. Every due date is computed
 * from the schedule's anchor, never from the previous due date: a pledge starting 31 January
 * falls due on 28 (or 29) February and again on 31 March, instead of drifting to the 28th for
 * ever. Pure date arithmetic on YYYY-MM-DD strings in UTC; no clock.
 */
export type Interval = 'once' | 'monthly' | 'quarterly' | 'yearly';
export const INTERVALS: readonly Interval[] = ['once', 'monthly', 'quarterly', 'yearly'];

/** Months between two instalments; `once` has no second instalment. */
export function intervalMonths(interval: Interval): number {
  switch (interval) {
    case 'once':
      return 0;
    case 'monthly':
      return 1;
    case 'quarterly':
      return 3;
    case 'yearly':
      return 12;
  }
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** The anchor date moved by whole months, with the day clamped to the last day of a shorter month. */
export function addMonthsClamped(anchor: string, months: number): string {
  const year = Number(anchor.slice(0, 4));
  const month = Number(anchor.slice(5, 7));
  const day = Number(anchor.slice(8, 10));
  const total = year * 12 + (month - 1) + months;
  const y = Math.floor(total / 12);
  const m = (total % 12) + 1;
  return `${pad(y, 4)}-${pad(m)}-${pad(Math.min(day, daysInMonth(y, m)))}`;
}

/** The k-th (0-based) due date of a schedule anchored on `anchor`. */
export function nthDueDate(anchor: string, interval: Interval, k: number): string {
  return addMonthsClamped(anchor, k * intervalMonths(interval));
}

/**
 * Due dates from `anchor` while before `until` (exclusive) and not after `last` (inclusive),
 * at most `max` of them. `once` yields only the anchor.
 */
export function dueDatesBetween(anchor: string, interval: Interval, opts: { until?: string; last?: string; max: number }): string[] {
  const out: string[] = [];
  for (let k = 0; out.length < opts.max; k += 1) {
    if (interval === 'once' && k > 0) break;
    const date = nthDueDate(anchor, interval, k);
    if (opts.until !== undefined && date >= opts.until) break;
    if (opts.last !== undefined && date > opts.last) break;
    out.push(date);
  }
  return out;
}

/** Calendar quarter name of a date: `2028-Q1`. */
export function quarterOf(date: string): string {
  return `${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;
}
