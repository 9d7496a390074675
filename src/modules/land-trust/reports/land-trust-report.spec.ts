import { parsePeriod } from '../../../shared/calendar';
import { csvField, fiscalPeriodsOf, toCsv } from './land-trust-report';

describe('land-trust report helpers', () => {
  it('names the fiscal quarter and year of a month the way parsePeriod reads them', () => {
    expect(fiscalPeriodsOf('2026-09', 1)).toEqual({ quarter: 'FY2026-Q3', fiscalYear: 'FY2026' });
    expect(fiscalPeriodsOf('2025-07', 7)).toEqual({ quarter: 'FY2026-Q1', fiscalYear: 'FY2026' });
    expect(fiscalPeriodsOf('2026-06', 7)).toEqual({ quarter: 'FY2026-Q4', fiscalYear: 'FY2026' });
    // Every month lies inside the range parsePeriod gives for the names it is put under.
    for (const start of [1, 4, 7, 10]) {
      for (let m = 1; m <= 12; m += 1) {
        const month = `2026-${String(m).padStart(2, '0')}`;
        const { quarter, fiscalYear } = fiscalPeriodsOf(month, start);
        for (const name of [quarter, fiscalYear]) {
          const range = parsePeriod(name, start);
          expect(range && range.start <= `${month}-01` && `${month}-01` < range.end).toBe(true);
        }
      }
    }
  });

  it('quotes CSV fields per RFC 4180', () => {
    expect(csvField('Sun Co-op')).toBe('Sun Co-op');
    expect(csvField('Smith, Jones & Co')).toBe('"Smith, Jones & Co"');
    expect(csvField('the "best" roofers')).toBe('"the ""best"" roofers"');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(undefined)).toBe('');
    expect(toCsv(['a', 'b'], [{ a: 1, b: 'x,y' }])).toBe('a,b\r\n1,"x,y"\r\n');
  });
});
