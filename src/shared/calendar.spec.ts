import fc from 'fast-check';
import { addDays, dayNumber, dayOf, isIsoDate, parsePeriod } from './calendar';

describe('calendar', () => {
  it('validates real dates only', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2025-02-29')).toBe(false);
    expect(isIsoDate('2025-13-01')).toBe(false);
    expect(isIsoDate('2025-1-01')).toBe(false);
  });

  it('numbers days and takes the UTC day of an instant', () => {
    expect(dayNumber('1970-01-02')).toBe(1);
    expect(dayOf('2026-03-31T23:59:59.999Z')).toBe('2026-03-31');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
  });

  it('takes the same UTC day of any instant as parsing it does, or throws as parsing does', () => {
    const parsed = (instant: string) => {
      try {
        return new Date(instant).toISOString().slice(0, 10);
      } catch (error) {
        return (error as Error).constructor.name;
      }
    };
    const ours = (instant: string) => {
      try {
        return dayOf(instant);
      } catch (error) {
        return (error as Error).constructor.name;
      }
    };
    const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
    const instant = fc
      .tuple(fc.integer({ min: 0, max: 9999 }), two(13), two(32), two(25), two(61), two(61), fc.integer({ min: 0, max: 999 }), fc.constantFrom('Z', '+02:00', '-05:30', ''))
      .map(([y, mo, d, h, mi, s, ms, zone]) => `${String(y).padStart(4, '0')}-${mo}-${d}T${h}:${mi}:${s}.${String(ms).padStart(3, '0')}${zone}`);
    fc.assert(fc.property(instant, (value) => ours(value) === parsed(value)), { numRuns: 20_000 });
    for (const edge of ['2021-02-29T00:00:00.000Z', '2026-04-31T12:00:00.000Z', '2026-01-01T24:00:00.000Z', '2026-01-00T00:00:00.000Z', '2026-03-31T23:30:00.000-01:00']) {
      expect(ours(edge)).toBe(parsed(edge));
    }
  });

  it('parses months, fiscal quarters and fiscal years', () => {
    expect(parsePeriod('2026-02', 1)).toEqual({ period: '2026-02', kind: 'month', start: '2026-02-01', end: '2026-03-01' });
    expect(parsePeriod('2026-12', 7)).toMatchObject({ start: '2026-12-01', end: '2027-01-01' });
    expect(parsePeriod('FY2026', 1)).toMatchObject({ start: '2026-01-01', end: '2027-01-01' });
    expect(parsePeriod('FY2026', 7)).toMatchObject({ start: '2025-07-01', end: '2026-07-01' });
    expect(parsePeriod('FY2026-Q1', 7)).toMatchObject({ kind: 'quarter', start: '2025-07-01', end: '2025-10-01' });
    expect(parsePeriod('FY2026-Q4', 4)).toMatchObject({ start: '2026-01-01', end: '2026-04-01' });
    expect(parsePeriod('2026-13', 1)).toBeUndefined();
    expect(parsePeriod('Q1-2026', 1)).toBeUndefined();
  });
});
