import { parsePeriod } from '../../../shared/calendar';
import { fiscalPeriodsOf, reportCsv } from './land-trust-report';

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

  it('writes the report table per RFC 4180 with formulas defused and numbers kept as numbers', () => {
    const csv = reportCsv([
      { section: 'project-vendor', vendor: '=HYPERLINK("http://x","pay")', description: 'Smith, Jones & Co', spentMinor: 500, varianceMinor: -30 },
      { section: 'vendor', vendor: '@SUM(A1)', description: 'two\nlines', currency: 'USD' },
    ]).split('\r\n');
    expect(csv[1]).toBe('project-vendor,,,"Smith, Jones & Co",,,"\'=HYPERLINK(""http://x"",""pay"")",,,,,,500,,,,-30');
    expect(csv[2]).toBe('vendor,,,"two\nlines",,,\'@SUM(A1),,,USD,,,,,,,');
  });
});
