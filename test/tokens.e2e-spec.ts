import { Logger } from '@nestjs/common';
import { allEvents, startTestApp, TestApp } from './support/test-app';
import { expectProblem, refused } from './support/api';
import { FixedClock } from '../src/shared/clock';

/**
 * Tokens fit for people: stewards issue, list, rotate and revoke them over HTTP; they expire;
 * every use of a revoked or expired token is logged (id and reason, never the secret); and a
 * brute force from one address is throttled with 429 and Retry-After.
 */
const NOW = '2026-10-01T10:00:00.000Z';
const DAY = 86_400_000;

describe('API tokens over HTTP', () => {
  const clock = new FixedClock(new Date(NOW));
  let t: TestApp;
  let steward: string;
  let auditor: string;
  const warnings: string[] = [];

  beforeAll(async () => {
    t = await startTestApp({ clock, config: { tokenTtlDays: 30 } });
    steward = (await t.token('steward')).secret;
    auditor = (await t.token('auditor')).secret;
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(function (this: Logger, message: unknown) {
      warnings.push(String(message));
    });
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await t.close();
  });
  beforeEach(() => (warnings.length = 0));

  const issue = (body: unknown, token = steward, headers: Record<string, string> = {}) => t.request('POST', '/v1/tokens', { token, body, headers });

  it('a steward issues a token whose secret is answered once and works at once; the log holds only its hash', async () => {
    const res = await issue({ role: 'auditor', name: 'Bo (auditor)' });
    expect(res.status).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({ tokenId: expect.any(String), secret: expect.stringMatching(/^mal_/), expiresAt: new Date(Date.parse(NOW) + 30 * DAY).toISOString(), position: expect.any(Number) });
    const { secret, tokenId } = res.body;
    expect((await t.request('GET', '/v1/funds', { token: secret })).status).toBe(200);
    const log = JSON.stringify(await allEvents(t.store));
    expect(log).not.toContain(secret);
    expect(log).toContain(tokenId);
    const view = await t.request('GET', `/v1/tokens/${tokenId}`, { token: auditor });
    expect(view.body).toEqual({
      tokenId, name: 'Bo (auditor)', role: 'auditor', subject: null, status: 'active', issuedAt: NOW,
      expiresAt: res.body.expiresAt, revokedAt: null, revokeReason: null, rotatedFrom: null, replacedBy: null,
    });
    expect(JSON.stringify(view.body)).not.toContain(secret);
  });

  it('takes a per-token expiry and refuses one in the past, too far ahead or malformed', async () => {
    const res = await issue({ role: 'steward', name: 'Short-lived', expiresAt: '2026-10-08' });
    expect(res.status).toBe(201);
    expect(res.body.expiresAt).toBe('2026-10-08T00:00:00.000Z');
    await refused(t, () => issue({ role: 'steward', name: 'x', expiresAt: '2026-09-30' }), 400, 'TOKEN.EXPIRY_INVALID', { fields: ['expiresAt'] });
    await refused(t, () => issue({ role: 'steward', name: 'x', expiresAt: '2037-01-01' }), 400, 'TOKEN.EXPIRY_INVALID', { fields: ['expiresAt'] });
    await refused(t, () => issue({ role: 'steward', name: 'x', expiresAt: 'tomorrow' }), 400, 'REQUEST.INVALID', { fields: ['expiresAt'] });
  });

  it('refuses bad bodies and the subject rules as the CLI does, writing nothing', async () => {
    await refused(t, () => issue({ role: 'operator', name: 'x' }), 400, 'REQUEST.INVALID', { fields: ['role'] });
    await refused(t, () => issue({ role: 'steward' }), 400, 'REQUEST.INVALID', { fields: ['name'] });
    await refused(t, () => issue({ role: 'steward', name: ' padded ' }), 400, 'REQUEST.INVALID', { fields: ['name'] });
    await refused(t, () => issue({ role: 'steward', name: 'x', extra: 1 }), 400, 'REQUEST.INVALID');
    await refused(t, () => issue({ role: 'sustainer', name: 'x' }), 400, 'TOKEN.SUBJECT_REQUIRED');
    await refused(t, () => issue({ role: 'steward', name: 'x', subject: '4b8e2f44-8a59-4f53-9a0b-0d1b7a4c9e11' }), 400, 'TOKEN.SUBJECT_NOT_ALLOWED');
    await refused(t, () => issue({ role: 'cooperative', name: 'x', subject: '4b8e2f44-8a59-4f53-9a0b-0d1b7a4c9e11' }), 404, 'TOKEN.SUBJECT_NOT_FOUND');
    await refused(t, () => issue({ role: 'cooperative', name: 'x', subject: 'not-a-uuid' }), 400, 'REQUEST.INVALID', { fields: ['subject'] });
  });

  it('is for stewards only (auditors read), and scoped tokens are refused', async () => {
    const coop = await t.request('POST', '/v1/cooperatives', { token: steward, body: { name: 'Alpha', sector: 'food', contact: 'a@alpha.coop' } });
    const scoped = (await t.token('cooperative', coop.body.cooperativeId)).secret;
    await refused(t, () => issue({ role: 'steward', name: 'x' }, auditor), 403, 'AUTH.FORBIDDEN');
    await refused(t, () => issue({ role: 'steward', name: 'x' }, scoped), 403, 'AUTH.FORBIDDEN');
    expectProblem(await t.request('GET', '/v1/tokens', { token: scoped }), 403, 'AUTH.FORBIDDEN');
    expectProblem(await t.request('GET', '/v1/tokens', {}), 401, 'AUTH.UNAUTHENTICATED');
  });

  it('a replayed issue (same Idempotency-Key) answers the token id without the secret, which is never stored', async () => {
    const first = await issue({ role: 'auditor', name: 'Replay' }, steward, { 'idempotency-key': 'issue-1' });
    const again = await issue({ role: 'auditor', name: 'Replay' }, steward, { 'idempotency-key': 'issue-1' });
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.tokenId).toBe(first.body.tokenId);
    expect(again.body.secret).toBeUndefined();
    expect(JSON.stringify(await allEvents(t.store))).not.toContain(first.body.secret);
  });

  it('a steward rotates a token: a new secret works, the old one is revoked in the same append and its use is logged', async () => {
    const issued = await issue({ role: 'auditor', name: 'Cy (auditor)' });
    const old = issued.body;
    const rotated = await t.request('POST', `/v1/tokens/${old.tokenId}/rotate`, { token: steward, body: { expiresAt: '2027-01-31' } });
    expect(rotated.status).toBe(201);
    expect(rotated.body).toEqual({ tokenId: expect.any(String), secret: expect.stringMatching(/^mal_/), expiresAt: '2027-01-31T00:00:00.000Z', replaces: old.tokenId, position: expect.any(Number) });
    expect(rotated.body.tokenId).not.toBe(old.tokenId);
    // One append: both events at adjacent positions, in one transaction.
    const events = (await allEvents(t.store)).filter((e) => e.streamId.endsWith(old.tokenId) || e.streamId.endsWith(rotated.body.tokenId)).slice(-2);
    expect(events.map((e) => [e.type, e.data])).toEqual([
      ['ApiTokenRevoked', { tokenId: old.tokenId, reason: 'rotated', revokedAt: NOW, replacedBy: rotated.body.tokenId }],
      ['ApiTokenIssued', expect.objectContaining({ tokenId: rotated.body.tokenId, name: 'Cy (auditor)', role: 'auditor', rotatedFrom: old.tokenId })],
    ]);
    expect(events[1].globalPosition).toBe(events[0].globalPosition + 1);
    expect((await t.request('GET', '/v1/funds', { token: rotated.body.secret })).status).toBe(200);
    const refusedOld = await t.request('GET', '/v1/funds', { token: old.secret });
    expectProblem(refusedOld, 401, 'AUTH.UNAUTHENTICATED');
    expect(refusedOld.headers['www-authenticate']).toBe('Bearer');
    expect(warnings).toEqual([expect.stringContaining(`token ${old.tokenId} refused: revoked at ${NOW}`)]);
    expect(warnings.join('\n')).not.toContain(old.secret);
    const view = await t.request('GET', `/v1/tokens/${old.tokenId}`, { token: steward });
    expect(view.body).toMatchObject({ status: 'revoked', revokeReason: 'rotated', replacedBy: rotated.body.tokenId });
    await refused(t, () => t.request('POST', `/v1/tokens/${old.tokenId}/rotate`, { token: steward }), 409, 'TOKEN.ALREADY_REVOKED');
    await refused(t, () => t.request('POST', '/v1/tokens/4b8e2f44-8a59-4f53-9a0b-0d1b7a4c9e11/rotate', { token: steward }), 404, 'TOKEN.NOT_FOUND');
    await refused(t, () => t.request('POST', `/v1/tokens/${rotated.body.tokenId}/rotate`, { token: steward, body: { expiresAt: '2020-01-01' } }), 400, 'TOKEN.EXPIRY_INVALID');
  });

  it('a steward revokes a token; its next use is refused and logged with its id and reason, never the secret', async () => {
    const { tokenId, secret } = (await issue({ role: 'auditor', name: 'Di' })).body;
    // Used before it is revoked: what the guard learnt of it then must not outlive the revocation.
    expect((await t.request('GET', '/v1/funds', { token: secret })).status).toBe(200);
    const res = await t.request('POST', `/v1/tokens/${tokenId}/revoke`, { token: steward, body: { reason: 'left the network' } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ tokenId, position: expect.any(Number) });
    expectProblem(await t.request('GET', '/v1/funds', { token: secret }), 401, 'AUTH.UNAUTHENTICATED');
    expect(warnings).toEqual([expect.stringMatching(new RegExp(`^token ${tokenId} refused: revoked at .*GET /v1/funds request `))]);
    expect(warnings[0]).not.toContain(secret);
    await refused(t, () => t.request('POST', `/v1/tokens/${tokenId}/revoke`, { token: steward }), 409, 'TOKEN.ALREADY_REVOKED');
    await refused(t, () => t.request('POST', '/v1/tokens/4b8e2f44-8a59-4f53-9a0b-0d1b7a4c9e11/revoke', { token: steward }), 404, 'TOKEN.NOT_FOUND');
    await refused(t, () => t.request('POST', '/v1/tokens/not-an-id/revoke', { token: steward }), 400, 'REQUEST.INVALID');
    await refused(t, () => t.request('POST', `/v1/tokens/${tokenId}/revoke`, { token: steward, body: { reason: '' } }), 400, 'REQUEST.INVALID', { fields: ['reason'] });
  });

  it('a token stops working when it expires; the refusal is logged; listings show it expired', async () => {
    const { tokenId, secret } = (await issue({ role: 'auditor', name: 'Ed', expiresAt: '2026-10-02T10:00:00Z' })).body;
    expect((await t.request('GET', '/v1/funds', { token: secret })).status).toBe(200);
    clock.advance(DAY);
    try {
      const res = await t.request('GET', '/v1/funds', { token: secret });
      expectProblem(res, 401, 'AUTH.UNAUTHENTICATED');
      expect(res.body.detail).toMatch(/expired/);
      expect(warnings).toEqual([expect.stringContaining(`token ${tokenId} refused: expired at 2026-10-02T10:00:00.000Z`)]);
      const expired = await t.request('GET', '/v1/tokens?status=expired', { token: steward });
      expect(expired.body.items.map((i: { tokenId: string }) => i.tokenId)).toEqual([tokenId]);
      const active = await t.request('GET', '/v1/tokens?status=active&limit=500', { token: steward });
      expect(active.body.items.map((i: { tokenId: string }) => i.tokenId)).not.toContain(tokenId);
      expect(active.body.items.every((i: { status: string }) => i.status === 'active')).toBe(true);
    } finally {
      clock.set(NOW);
    }
  });

  it('lists tokens in pages, never with a secret or hash, and refuses bad query parameters', async () => {
    const all = await t.request('GET', '/v1/tokens?limit=500', { token: auditor });
    expect(all.status).toBe(200);
    const ids = all.body.items.map((i: { tokenId: string }) => i.tokenId);
    expect(ids.length).toBeGreaterThan(5);
    expect(all.text).not.toMatch(/mal_|token_?hash/i);
    const first = await t.request('GET', '/v1/tokens?limit=2', { token: auditor });
    expect(first.body.items.map((i: { tokenId: string }) => i.tokenId)).toEqual(ids.slice(0, 2));
    const second = await t.request('GET', `/v1/tokens?limit=2&after=${first.body.next}`, { token: auditor });
    expect(second.body.items.map((i: { tokenId: string }) => i.tokenId)).toEqual(ids.slice(2, 4));
    expectProblem(await t.request('GET', '/v1/tokens?status=lost', { token: auditor }), 400, 'REQUEST.INVALID');
    expectProblem(await t.request('GET', '/v1/tokens?colour=red', { token: auditor }), 400, 'REQUEST.INVALID');
    expectProblem(await t.request('GET', '/v1/tokens/4b8e2f44-8a59-4f53-9a0b-0d1b7a4c9e11', { token: auditor }), 404, 'TOKEN.NOT_FOUND');
  });
});

describe('failed authentication is throttled per client address', () => {
  let t: TestApp;
  let steward: string;
  const LIMIT = 5;

  beforeAll(async () => {
    t = await startTestApp({ config: { authFailureLimit: LIMIT, authFailureWindowMs: 60_000 } });
    steward = (await t.token('steward')).secret;
  });
  afterAll(() => t.close());

  const attempt = (token: string, remoteAddress = '203.0.113.7') =>
    t.app.inject({ method: 'GET', url: '/v1/funds', remoteAddress, headers: { authorization: `Bearer ${token}` } });
  const guess = () => `mal_${Buffer.from(Array.from({ length: 32 }, () => Math.floor(Math.random() * 256))).toString('base64url')}`;

  it('answers 429 with Retry-After and a problem document after the limit, even to a right guess, from that address only', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 50; i++) statuses.push((await attempt(guess())).statusCode);
    expect(statuses.slice(0, LIMIT)).toEqual(Array(LIMIT).fill(401));
    expect(new Set(statuses.slice(LIMIT))).toEqual(new Set([429]));

    const blocked = await attempt(steward);
    expect(blocked.statusCode).toBe(429);
    const retryAfter = Number(blocked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(blocked.headers['content-type']).toContain('application/problem+json');
    expect(JSON.parse(blocked.body)).toMatchObject({ status: 429, code: 'AUTH.TOO_MANY_FAILURES', title: 'Too Many Requests', retryAfterSeconds: retryAfter });

    // Another address is not blocked; a malformed token counts as a failure there too.
    expect((await attempt(steward, '198.51.100.9')).statusCode).toBe(200);
    expect((await attempt('mal_short', '198.51.100.9')).statusCode).toBe(401);
    // Requests without a token guess nothing and are not counted or blocked.
    const anonymous = await t.app.inject({ method: 'GET', url: '/v1/funds', remoteAddress: '203.0.113.7' });
    expect(anonymous.statusCode).toBe(401);
    // Public routes are never throttled.
    expect((await t.app.inject({ method: 'GET', url: '/health/live', remoteAddress: '203.0.113.7' })).statusCode).toBe(200);
  });

  it('never counts successful requests', async () => {
    for (let i = 0; i < LIMIT * 4; i++) expect((await attempt(steward, '192.0.2.44')).statusCode).toBe(200);
  });
});

describe('behind a reverse proxy (LEDGER_TRUST_PROXY)', () => {
  const LIMIT = 3;
  const PROXY = '10.0.0.5';
  const guess = () => `mal_${Buffer.from(Array.from({ length: 32 }, () => Math.floor(Math.random() * 256))).toString('base64url')}`;
  const through = (t: TestApp, token: string, client: string, remoteAddress = PROXY) =>
    t.app.inject({ method: 'GET', url: '/v1/funds', remoteAddress, headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': client } });

  it('without it every client behind the proxy shares the proxy address: one guesser locks all of them out, and X-Forwarded-For is not believed', async () => {
    const t = await startTestApp({ config: { authFailureLimit: LIMIT, authFailureWindowMs: 60_000 } });
    try {
      const steward = (await t.token('steward')).secret;
      for (let i = 0; i < LIMIT; i++) expect((await through(t, guess(), '203.0.113.1')).statusCode).toBe(401);
      expect((await through(t, steward, '198.51.100.2')).statusCode).toBe(429);
    } finally {
      await t.close();
    }
  });

  it('with the proxy listed, each client is counted by its forwarded address; a client cannot forge one to escape, and a direct peer is not believed', async () => {
    const t = await startTestApp({ config: { authFailureLimit: LIMIT, authFailureWindowMs: 60_000, trustProxy: ['10.0.0.0/8'] } });
    try {
      const steward = (await t.token('steward')).secret;
      for (let i = 0; i < LIMIT; i++) expect((await through(t, guess(), '203.0.113.1')).statusCode).toBe(401);
      expect((await through(t, guess(), '203.0.113.1')).statusCode).toBe(429);
      // Another client behind the same proxy is not locked out.
      expect((await through(t, steward, '198.51.100.2')).statusCode).toBe(200);
      // The guesser writes an address of its own in front: the proxy appends the real one, the last untrusted hop counts.
      expect((await through(t, steward, '198.51.100.77, 203.0.113.1')).statusCode).toBe(429);
      // A client reaching the service directly (not from a listed proxy) is keyed by its own address, whatever it forwards.
      for (let i = 0; i < LIMIT; i++) expect((await through(t, guess(), `192.0.2.${i + 1}`, '203.0.113.99')).statusCode).toBe(401);
      expect((await through(t, steward, '192.0.2.200', '203.0.113.99')).statusCode).toBe(429);
    } finally {
      await t.close();
    }
  });
});
