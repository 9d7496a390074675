/**
 * Business dates. `effectiveAt` is an ISO 8601 instant; the business day it falls on is its
 * UTC calendar date. Periods are closed by date, so everything here works on whole UTC days.
 */
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isIsoDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const d = new Date(`${value}T00:00:00.000Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/**
 * An instant in the log's own form whose date cannot roll over (day 01-28, hour 00-23): its UTC
 * date is its first ten characters. Anything else (an offset, day 29-31, `T24:00`) is parsed.
 */
const PLAIN_INSTANT = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

/** The UTC date (YYYY-MM-DD) of an instant. Projections call it for every posting: the plain form is not parsed. */
export function dayOf(instant: string): string {
  return PLAIN_INSTANT.test(instant) ? instant.slice(0, 10) : new Date(instant).toISOString().slice(0, 10);
}

/** Days since 1970-01-01 (0 for that day). */
export function dayNumber(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00.000Z`) / 86_400_000);
}

/** A date given without a time means the start of that UTC day. */
export function toInstant(dateOrInstant: string): string {
  return isIsoDate(dateOrInstant) ? `${dateOrInstant}T00:00:00.000Z` : new Date(dateOrInstant).toISOString();
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00.000Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** First day of the month `months` after year-month. */
function monthStart(year: number, month: number, months = 0): string {
  const total = year * 12 + (month - 1) + months;
  return `${Math.floor(total / 12)}-${pad((total % 12) + 1)}-01`;
}

export interface PeriodRange {
  /** Canonical name: `2026-03`, `FY2026-Q1` or `FY2026`. */
  readonly period: string;
  readonly kind: 'month' | 'quarter' | 'fiscal-year';
  /** First day, inclusive. */
  readonly start: string;
  /** Day after the last day, exclusive. */
  readonly end: string;
}

/**
 * Parses a period name. Fiscal years are named by the calendar year they end in: with a fiscal
 * year starting in July, FY2026 runs from 2025-07-01 to 2026-06-30 (with January, FY2026 is 2026).
 * Quarters are fiscal quarters.
 */
export function parsePeriod(name: string, fiscalYearStartMonth: number): PeriodRange | undefined {
  let m = /^(\d{4})-(\d{2})$/.exec(name);
  if (m) {
    const month = Number(m[2]);
    if (month < 1 || month > 12) return undefined;
    const start = monthStart(Number(m[1]), month);
    return { period: name, kind: 'month', start, end: monthStart(Number(m[1]), month, 1) };
  }
  m = /^FY(\d{4})(?:-Q([1-4]))?$/.exec(name);
  if (!m) return undefined;
  const fyEnd = Number(m[1]);
  const firstYear = fiscalYearStartMonth === 1 ? fyEnd : fyEnd - 1;
  const fyStart = monthStart(firstYear, fiscalYearStartMonth);
  if (!m[2]) {
    return { period: name, kind: 'fiscal-year', start: fyStart, end: monthStart(firstYear, fiscalYearStartMonth, 12) };
  }
  const q = Number(m[2]) - 1;
  return {
    period: name,
    kind: 'quarter',
    start: monthStart(firstYear, fiscalYearStartMonth, q * 3),
    end: monthStart(firstYear, fiscalYearStartMonth, q * 3 + 3),
  };
}
