/**
 * The range of business dates the ledger accepts and every projection supports. A date outside
 * it (a typo such as 9999-12-31 or 1900-01-01) is refused at the edge and by the event catalogue:
 * the log can never be corrected by editing, so nothing a projection could not handle may enter.
 */
export const MIN_BUSINESS_DAY = '1970-01-01';
export const MAX_BUSINESS_DAY = '2299-12-31';

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
// ISO 8601 instants as the API takes them: a day, or a day and a time with seconds and
// fractions optional, in UTC (`Z`) or with an offset.
const INSTANT = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;
// What the ledger stores: UTC with milliseconds, as `Date.prototype.toISOString` writes it.
const STORED_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * A real calendar day (YYYY-MM-DD) within the supported range. Computed with the Gregorian rule,
 * not a Date round trip: `ledger verify` asks it several times per event (business-date.spec.ts
 * checks it against the round trip over every day of the range and around it).
 */
export function isBusinessDay(value: unknown): value is string {
  if (typeof value !== 'string' || !DAY.test(value) || value < MIN_BUSINESS_DAY || value > MAX_BUSINESS_DAY) return false;
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** An ISO 8601 day or instant whose UTC day is a business day within the supported range. */
export function isBusinessInstant(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = INSTANT.exec(value);
  if (!m || !isBusinessDay(m[1])) return false;
  if (m[2] !== undefined && (Number(m[2]) > 23 || Number(m[3]) > 59 || Number(m[4] ?? 0) > 59)) return false;
  // A day alone, or a valid time in UTC (hours at most 23): its UTC day is the day written (the
  // spec checks Date.parse agrees, fractions of 1 to 9 digits included).
  if (m[2] === undefined || m[5] === 'Z') return true;
  const time = Date.parse(value);
  if (Number.isNaN(time)) return false;
  return isBusinessDay(new Date(time).toISOString().slice(0, 10));
}

/** An instant exactly as the ledger stores it (`2026-03-01T12:00:00.000Z`), within the range. */
export function isStoredInstant(value: unknown): value is string {
  return typeof value === 'string' && STORED_INSTANT.test(value) && isBusinessInstant(value);
}

export const BUSINESS_DAY_RANGE = `${MIN_BUSINESS_DAY} to ${MAX_BUSINESS_DAY}`;
