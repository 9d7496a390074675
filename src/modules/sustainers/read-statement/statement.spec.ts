import { formatMinor } from './statement';
import { statementCsv } from './statement-csv';

describe('statement rendering', () => {
  it('formats minor units by string arithmetic, never through a float', () => {
    expect(formatMinor(2_500)).toBe('25.00');
    expect(formatMinor(5)).toBe('0.05');
    expect(formatMinor(0)).toBe('0.00');
    expect(formatMinor(-12_345)).toBe('-123.45');
    expect(formatMinor(900_719_925_474_099)).toBe('9007199254740.99');
  });

  it('quotes CSV fields per RFC 4180 and defuses spreadsheet formulas', () => {
    const gift = {
      dateReceived: '2028-02-29', donationId: 'd1', fundCode: '=HYPERLINK("x")', amountMinor: 25_000, currency: 'USD', method: 'card',
      goodsOrServicesProvided: false, goodsServicesValueMinor: 0, refundedOn: null, acknowledgement: { organisationName: 'x' },
    };
    const csv = statementCsv({ organisationName: 'Solidarity Network, Inc.', gifts: [gift] } as unknown as Parameters<typeof statementCsv>[0]);
    const [, row] = csv.split('\r\n');
    expect(row).toBe(`2028-02-29,d1,"'=HYPERLINK(""x"")",25000,USD,card,no,0,,yes,"Solidarity Network, Inc."`);
    expect(csv.endsWith('\r\n')).toBe(true);
  });
});
