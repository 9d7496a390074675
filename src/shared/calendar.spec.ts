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
