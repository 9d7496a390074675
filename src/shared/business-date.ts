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

/**
 * For an instant in the stored form (`YYYY-MM-DDTHH:mm:ss.sssZ`), whether it is a business
 * instant, read digit by digit; undefined for any other text. The same answer as the regular
 * expressions below (business-date.spec.ts checks both against the Date round trip, the stored
 * form among arbitrary instants), at a tenth of the cost: `ledger verify`
 * asks it of nearly every event twice (its effectiveAt, and the same in its data).
 */
function storedFormIsBusiness(value: string): boolean | undefined {
  if (value.length !== 24 || value.charCodeAt(23) !== 90 /* Z */) return undefined;
  let year = 0;
  let month = 0;
  let day = 0;
  let hour = 0;
  let minute = 0;
  let second = 0;
  for (let i = 0; i < 23; i++) {
    const c = value.charCodeAt(i);
    const separator = STORED_SEPARATORS[i];
    if (separator !== 0) {
      if (c !== separator) return undefined;
      continue;
    }
    const digit = c - 48;
    if (digit < 0 || digit > 9) return undefined;
    if (i < 4) year = year * 10 + digit;
    else if (i < 7) month = month * 10 + digit;
    else if (i < 10) day = day * 10 + digit;
    else if (i < 13) hour = hour * 10 + digit;
    else if (i < 16) minute = minute * 10 + digit;
    else if (i < 19) second = second * 10 + digit;
  }
  return value >= FIRST_STORED && value <= LAST_STORED && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) && hour <= 23 && minute <= 59 && second <= 59;
}

// The stored form's separators by place (0 where a digit goes): YYYY-MM-DDTHH:mm:ss.sss
const STORED_SEPARATORS = Array.from('0000-00-00T00:00:00.000', (c) => (c === '0' ? 0 : c.charCodeAt(0)));
// Text of one fixed width: its order is that of time.
const FIRST_STORED = `${MIN_BUSINESS_DAY}T00:00:00.000Z`;
const LAST_STORED = `${MAX_BUSINESS_DAY}T23:59:59.999Z`;

/** An ISO 8601 day or instant whose UTC day is a business day within the supported range. */
export function isBusinessInstant(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const stored = storedFormIsBusiness(value);
  if (stored !== undefined) return stored;
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
  return typeof value === 'string' && storedFormIsBusiness(value) === true;
}

export const BUSINESS_DAY_RANGE = `${MIN_BUSINESS_DAY} to ${MAX_BUSINESS_DAY}`;
