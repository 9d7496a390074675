import { decimalAmount, formatDay, formatMinutes, formatMoney, minorDigits } from './format';

describe('amounts for people', () => {
  it('uses the currency\'s own minor units', () => {
    expect(minorDigits('USD')).toBe(2);
    expect(minorDigits('JPY')).toBe(0);
    expect(minorDigits('BHD')).toBe(3);
    expect(formatMoney(123456, 'USD')).toBe('$1,234.56');
    expect(formatMoney(500, 'JPY')).toBe('¥500');
    expect(formatMoney(1234, 'BHD')).toMatch(/1\.234/);
    expect(formatMoney(-5, 'USD')).toBe('-$0.05');
  });

  it('is exact for the largest amounts (no float on the way)', () => {
    expect(decimalAmount(Number.MAX_SAFE_INTEGER, 'USD')).toBe('90071992547409.91');
    expect(formatMoney(Number.MAX_SAFE_INTEGER, 'USD')).toBe('$90,071,992,547,409.91');
    expect(decimalAmount(7, 'USD')).toBe('0.07');
    expect(decimalAmount(0, 'USD')).toBe('0.00');
    expect(decimalAmount(-250000, 'USD')).toBe('-2500.00');
  });

  it('writes minutes as hours and days as words', () => {
    expect(formatMinutes(150)).toBe('2 h 30 min');
    expect(formatMinutes(-60)).toBe('−1 h');
    expect(formatDay('2026-02-01')).toBe('1 February 2026');
  });
});
