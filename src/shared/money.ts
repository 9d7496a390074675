/**
 * Money is an integer count of minor units (cents) with an ISO 4217 currency; never a float.
 * The largest accepted amount is Number.MAX_SAFE_INTEGER minor units, so every sum of a few
 * thousand amounts is still exact in a JavaScript number and in SQLite's 64-bit integers.
 */
const ISO_CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

export function isIsoCurrency(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && ISO_CURRENCIES.has(code);
}

export function isAmountMinor(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

export function isPositiveAmountMinor(value: unknown): value is number {
  return isAmountMinor(value) && value > 0;
}
