import * as fc from 'fast-check';
import { MAX_BUSINESS_DAY, MIN_BUSINESS_DAY, isBusinessDay, isBusinessInstant, isStoredInstant } from './business-date';

// The implementations before the Gregorian arithmetic (a Date round trip each time): the reference.
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;
function referenceDay(value: unknown): boolean {
  if (typeof value !== 'string' || !DAY.test(value)) return false;
  const time = Date.parse(`${value}T00:00:00.000Z`);
  if (Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== value) return false;
  return value >= MIN_BUSINESS_DAY && value <= MAX_BUSINESS_DAY;
}
function referenceInstant(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const m = INSTANT.exec(value);
  if (!m || !referenceDay(m[1])) return false;
  if (m[2] !== undefined && (Number(m[2]) > 23 || Number(m[3]) > 59 || Number(m[4] ?? 0) > 59)) return false;
  const time = Date.parse(m[2] === undefined ? `${value}T00:00:00.000Z` : value);
  if (Number.isNaN(time)) return false;
  return referenceDay(new Date(time).toISOString().slice(0, 10));
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

describe('business dates', () => {
  it('agrees with the Date round trip on every day of the range and a week either side', () => {
    const start = Date.UTC(1969, 11, 24);
    const end = Date.UTC(2300, 0, 8);
    let days = 0;
    for (let t = start; t <= end; t += 86_400_000) {
      const day = new Date(t).toISOString().slice(0, 10);
      expect(isBusinessDay(day)).toBe(referenceDay(day));
      days += 1;
    }
    expect(days).toBeGreaterThan(120_000);
    expect(isBusinessDay(MIN_BUSINESS_DAY)).toBe(true);
    expect(isBusinessDay(MAX_BUSINESS_DAY)).toBe(true);
    expect(isBusinessDay('1969-12-31')).toBe(false);
    expect(isBusinessDay('2300-01-01')).toBe(false);
  });

  it('refuses impossible days as the round trip does (month 0 and 13, day 0, 29 February off leap years, 31 April)', () => {
    for (const day of ['2026-00-10', '2026-13-01', '2026-01-00', '2026-01-32', '2026-02-29', '2100-02-29', '2026-04-31', '2026-1-01', ' 2026-01-01', '2026-01-01\n', '２０２６-01-01']) {
      expect(isBusinessDay(day)).toBe(false);
      expect(referenceDay(day)).toBe(false);
    }
    expect(isBusinessDay('2000-02-29')).toBe(true);
    expect(isBusinessDay('2024-02-29')).toBe(true);
    expect(isBusinessDay(20260101)).toBe(false);
  });

  it('agrees with the round trip on arbitrary day-shaped text', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }), (y, m, d) => {
        const day = `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
        expect(isBusinessDay(day)).toBe(referenceDay(day));
      }),
      { numRuns: 20_000 },
    );
  });

  it('agrees with the round trip on instants: UTC, offsets across midnight and the range ends, fractions, bad times', () => {
    const fixed = [
      '2026-03-01T12:00:00.000Z', '2026-03-01', '2026-03-01T00:00Z', '2026-03-01T23:59:59.999999999Z', '2026-03-01T24:00:00.000Z',
      '2026-03-01T12:60:00Z', '2026-03-01T12:00:60Z', '1970-01-01T00:30:00+01:00', '2299-12-31T23:30:00-01:00', '2299-12-31T23:30:00+01:00',
      '1970-01-01T00:00:00.000Z', '2026-02-29T12:00:00Z', '2026-03-01T12:00:00.000+05:30', '2026-03-01T12:00:00.000', '2026-03-01T12Z',
    ];
    for (const value of fixed) expect([value, isBusinessInstant(value)]).toEqual([value, referenceInstant(value)]);
    fc.assert(
      fc.property(
        fc.integer({ min: 1969, max: 2301 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }),
        fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 61 }), fc.integer({ min: 0, max: 61 }),
        fc.constantFrom('', '.1', '.123', '.123456789'), fc.constantFrom('Z', '+00:00', '+14:00', '-12:00', '+05:30', '-23:59'), fc.boolean(),
        (y, mo, d, h, mi, s, fraction, zone, dayOnly) => {
          const value = dayOnly ? `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}` : `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}${fraction}${zone}`;
          expect(isBusinessInstant(value)).toBe(referenceInstant(value));
          expect(isStoredInstant(value)).toBe(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(value) && referenceInstant(value));
        },
      ),
      { numRuns: 20_000 },
    );
  });
});
