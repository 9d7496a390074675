/**
 * Amounts for people: minor units turned into a decimal string by string arithmetic (never a
 * float), then formatted by Intl.NumberFormat with the currency's own number of minor units
 * (2 for USD, 0 for JPY, 3 for BHD). Intl formats a decimal string exactly.
 */
const LOCALE = 'en-US';

const formatters = new Map<string, Intl.NumberFormat>();

function formatter(currency: string): Intl.NumberFormat {
  let f = formatters.get(currency);
  if (!f) {
    f = new Intl.NumberFormat(LOCALE, { style: 'currency', currency });
    formatters.set(currency, f);
  }
  return f;
}

/** How many minor units the currency has, as Intl (CLDR) knows it. */
export function minorDigits(currency: string): number {
  return formatter(currency).resolvedOptions().maximumFractionDigits ?? 2;
}

/** 123456 USD → "1234.56"; 500 JPY → "500"; -5 USD → "-0.05". Plain, for CSV cells. */
export function decimalAmount(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  const sign = minor < 0 ? '-' : '';
  const abs = String(Math.abs(minor));
  if (digits === 0) return sign + abs;
  const padded = abs.padStart(digits + 1, '0');
  return `${sign}${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
}

/** 123456 USD → "$1,234.56". */
export function formatMoney(minor: number, currency: string): string {
  // Intl.NumberFormat.format takes a decimal string exactly (ECMA-402 NumberFormat v3).
  return formatter(currency).format(decimalAmount(minor, currency) as unknown as number);
}

/** 150 → "2 h 30 min"; 0 → "0 h"; -60 → "−1 h" (labour-hour balances). */
export function formatMinutes(minutes: number): string {
  const sign = minutes < 0 ? '−' : '';
  const abs = Math.abs(minutes);
  const h = Math.floor(abs / 60);
  const m = abs % 60;
  return `${sign}${h} h${m ? ` ${m} min` : ''}`;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "2026-02-01" → "1 February 2026". */
export function formatDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return `${d} ${MONTHS[m - 1]} ${y}`;
}

/** "2026-02" → "Feb". */
export function shortMonth(month: string): string {
  return MONTHS[Number(month.slice(5, 7)) - 1].slice(0, 3);
}

export function monthName(month: string): string {
  return `${MONTHS[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;
}
