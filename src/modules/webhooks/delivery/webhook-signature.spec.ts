import { createHmac } from 'node:crypto';
import { signatureHeader, verifySignature } from './webhook-signature';
import { WebhookSecrets } from './webhook-secrets';

describe('webhook signatures', () => {
  const secret = 'whsec_test';
  const body = '{"events":[]}';

  it('is HMAC-SHA256 over "<t>.<body>", as the README tells a receiver to recompute it', () => {
    const header = signatureHeader(secret, 1_700_000_000, body);
    const expected = createHmac('sha256', secret).update(`1700000000.${body}`).digest('hex');
    expect(header).toBe(`t=1700000000,v1=${expected}`);
    expect(verifySignature(secret, header, body, 1_700_000_010)).toBe(true);
  });

  it('refuses another secret, another body, an old or future timestamp and a malformed header', () => {
    const header = signatureHeader(secret, 1_700_000_000, body);
    expect(verifySignature('whsec_other', header, body, 1_700_000_000)).toBe(false);
    expect(verifySignature(secret, header, `${body} `, 1_700_000_000)).toBe(false);
    expect(verifySignature(secret, header, body, 1_700_000_000 + 301)).toBe(false);
    expect(verifySignature(secret, header, body, 1_700_000_000 - 301)).toBe(false);
    expect(verifySignature(secret, undefined, body)).toBe(false);
    expect(verifySignature(secret, 'v1=abc', body, 1_700_000_000)).toBe(false);
    expect(verifySignature(secret, header.replace(/v1=../, 'v1=zz'), body, 1_700_000_000)).toBe(false);
  });

  it('accepts any of several v1 signatures (a receiver rotating secrets)', () => {
    const header = `${signatureHeader(secret, 1_700_000_000, body)},v1=${'0'.repeat(64)}`;
    expect(verifySignature(secret, header, body, 1_700_000_000)).toBe(true);
  });

  it('derives a stable secret per subscription, different per subscription and per key', () => {
    const a = WebhookSecrets.fromKey(Buffer.alloc(32, 1));
    const b = WebhookSecrets.fromKey(Buffer.alloc(32, 2));
    expect(a.secretFor('s1')).toBe(a.secretFor('s1'));
    expect(a.secretFor('s1')).not.toBe(a.secretFor('s2'));
    expect(a.secretFor('s1')).not.toBe(b.secretFor('s1'));
  });
});
