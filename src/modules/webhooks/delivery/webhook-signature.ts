import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * How a delivery is signed, Stripe's way: `Ledger-Signature: t=<unix seconds>,v1=<hex>` where the
 * hex is HMAC-SHA256, keyed with the subscriber's secret, over `<t>.<raw body>`. The timestamp is
 * inside the MAC, so a captured request cannot be replayed later with a fresh one; a receiver
 * refuses a `t` too far from its own clock (five minutes by default).
 */
export const WEBHOOK_HEADERS = {
  signature: 'ledger-signature',
  subscription: 'ledger-webhook-id',
  delivery: 'ledger-delivery-id',
} as const;

export const DEFAULT_TOLERANCE_SECONDS = 300;

export function signatureOf(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
}

export function signatureHeader(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${signatureOf(secret, timestamp, body)}`;
}

/**
 * The receiver's check (and the recipe in the README): parse the header, recompute over the raw
 * body as received, compare in constant time, and refuse an old or future timestamp.
 */
export function verifySignature(
  secret: string,
  header: string | undefined,
  body: string,
  nowSeconds: number = Math.floor(Date.now() / 1000),
  toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
): boolean {
  if (!header) return false;
  const parts = new Map<string, string[]>();
  for (const item of header.split(',')) {
    const at = item.indexOf('=');
    if (at <= 0) continue;
    const key = item.slice(0, at).trim();
    parts.set(key, [...(parts.get(key) ?? []), item.slice(at + 1).trim()]);
  }
  const t = Number(parts.get('t')?.[0]);
  if (!Number.isSafeInteger(t) || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = Buffer.from(signatureOf(secret, t, body), 'hex');
  return (parts.get('v1') ?? []).some((candidate) => {
    const given = Buffer.from(candidate, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
