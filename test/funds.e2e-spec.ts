import { expectLogUnchanged, refused } from './support/api';
import { TestApp, allEvents, startTestApp } from './support/test-app';

const water = {
  code: 'water-autonomy',
  name: 'Water autonomy',
  currency: 'USD',
  restriction: { class: 'donor-restricted', purpose: 'water autonomy initiatives', restrictedUntil: '2027-12-31' },
  description: 'Rainwater catchment and wells for member co-ops',
};

describe('funds: open, list and show', () => {
  let t: TestApp;
  let steward: string;
  let stewardId: string;

  beforeAll(async () => {
    t = await startTestApp();
    const issued = await t.token('steward');
    steward = issued.secret;
    stewardId = issued.tokenId;
  });

  afterAll(() => t.close());

  it('opens a fund and reads it back at once (read your writes)', async () => {
    const created = await t.request('POST', '/v1/funds', { token: steward, body: water });
    expect(created.status).toBe(201);
    expect(created.body.fundId).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.body.position).toBeGreaterThan(0);
    expect(created.headers['ledger-position']).toBe(String(created.body.position));
    expect(created.headers['ledger-read-models']).toBe('current');

    const shown = await t.request('GET', `/v1/funds/${created.body.fundId}`, { token: steward });
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({
      fundId: created.body.fundId,
      code: 'water-autonomy',
      currency: 'USD',
      restriction: water.restriction,
      status: 'open',
    });
    const list = await t.request('GET', '/v1/funds', { token: steward });
    expect(list.body.items.map((f: { code: string }) => f.code)).toContain('water-autonomy');
  });

  it('keeps line breaks in a description, and reads a fund back at a log position', async () => {
    const created = await t.request('POST', '/v1/funds', { token: steward, body: { ...water, code: 'multi-line', description: 'Wells\nand catchment' } });
    expect(created.status).toBe(201);
    const shown = await t.request('GET', `/v1/funds/${created.body.fundId}?minPosition=${created.body.position}`, { token: steward });
    expect(shown.body).toMatchObject({ description: 'Wells\nand catchment', openedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/) });
    expect((await t.request('GET', `/v1/funds/${created.body.fundId}?minPosition=-1`, { token: steward })).body.code).toBe('REQUEST.INVALID');
    expect((await t.request('GET', `/v1/funds?after=%20x`, { token: steward })).body.code).toBe('REQUEST.INVALID');
  });

  it('records who did it in every event', async () => {
    const created = await t.request('POST', '/v1/funds', {
      token: steward,
      body: { ...water, code: 'general', restriction: { class: 'unrestricted' } },
      headers: { 'x-correlation-id': 'corr-general-1' },
    });
    const written = (await allEvents(t.store)).filter((e) => e.globalPosition > created.body.position - 2);
    expect(written.map((e) => e.type)).toEqual(['FundOpened', 'FundCodeReserved']);
    for (const e of written) {
      expect(e.metadata).toMatchObject({ actorId: `token:${stewardId}`, actorRole: 'steward', correlationId: 'corr-general-1' });
      expect(e.metadata.causationId).toBeTruthy();
    }
  });

  it('pages through funds by code', async () => {
    for (const code of ['fund-a', 'fund-b', 'fund-c']) {
      await t.request('POST', '/v1/funds', { token: steward, body: { ...water, code } });
    }
    const first = await t.request('GET', '/v1/funds?limit=2', { token: steward });
    expect(first.body.items).toHaveLength(2);
    expect(first.body.next).toBe(first.body.items[1].code);
    const second = await t.request('GET', `/v1/funds?limit=2&after=${first.body.next}`, { token: steward });
    expect(second.body.items[0].code > first.body.next).toBe(true);
    expect((await t.request('GET', '/v1/funds?limit=500', { token: steward })).status).toBe(200);
    expect((await t.request('GET', '/v1/funds?limit=501', { token: steward })).status).toBe(400);
  });

  it('refuses a second fund with the same code with 409 and writes nothing', async () => {
    expect((await t.request('POST', '/v1/funds', { token: steward, body: { ...water, code: 'taken' } })).status).toBe(201);
    await expectLogUnchanged(t, async () => {
      const res = await t.request('POST', '/v1/funds', { token: steward, body: { ...water, code: 'taken', name: 'Another' } });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('FUND.CODE_TAKEN');
    });
  });

  it('of concurrent openings with one code exactly one succeeds', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, () => t.request('POST', '/v1/funds', { token: steward, body: { ...water, code: 'racing' } })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.code === 'FUND.CODE_TAKEN')).toBe(true);
  });

  it('answers 404 for an unknown fund and 400 naming the parameter for a malformed id', async () => {
    const missing = await t.request('GET', '/v1/funds/01900000-0000-7000-8000-000000000000', { token: steward });
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('FUND.NOT_FOUND');
    const malformed = await t.request('GET', '/v1/funds/not-a-uuid', { token: steward });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors).toEqual([{ field: 'fundId', messages: ['fundId must be a UUID'] }]);
  });

  describe('bad input: 400 naming each bad field, nothing written', () => {
    const cases: Array<[string, unknown, string[]]> = [
      ['unknown field', { ...water, code: 'x1', colour: 'blue' }, ['colour']],
      ['missing fields', {}, ['code', 'name', 'currency', 'restriction']],
      ['bad code and currency', { ...water, code: 'Has Spaces', currency: 'usd' }, ['code', 'currency']],
      ['nested restriction class', { ...water, code: 'x2', restriction: { class: 'maybe' } }, ['restriction.class']],
      ['unknown nested field', { ...water, code: 'x3', restriction: { class: 'unrestricted', extra: 1 } }, ['restriction.extra']],
      ['wrong types', { ...water, code: 42, name: ['a'] }, ['code', 'name']],
      ['bad date', { ...water, code: 'x4', restriction: { ...water.restriction, restrictedUntil: '31/12/2027' } }, ['restriction.restrictedUntil']],
      ['over-long name', { ...water, code: 'x5', name: 'n'.repeat(121) }, ['name']],
      ['name with a trailing space', { ...water, code: 'x8', name: 'Water ' }, ['name']],
      ['name with a lone surrogate', { ...water, code: 'x9', name: 'Water \ud83d' }, ['name']],
      ['description with a control character', { ...water, code: 'x10', description: 'wells\u0000' }, ['description']],
      ['purpose with a leading space', { ...water, code: 'x11', restriction: { ...water.restriction, purpose: ' water' } }, ['restriction.purpose']],
      ['restricted until a day out of range', { ...water, code: 'x12', restriction: { ...water.restriction, restrictedUntil: '2400-01-01' } }, ['restriction.restrictedUntil']],
      ['restriction as an array', { ...water, code: 'x13', restriction: [] }, ['restriction']],
    ];
    it.each(cases)('%s', async (_label, body, fields) => {
      const problem = await refused(t, () => t.request('POST', '/v1/funds', { token: steward, body }), 400, 'REQUEST.INVALID', { exactFields: fields });
      expect(problem).toMatchObject({ type: '/problems/request.invalid', status: 400, code: 'REQUEST.INVALID' });
    });

    it('business rules reject with their own code', async () => {
      const before = await t.store.headPosition();
      const noPurpose = await t.request('POST', '/v1/funds', {
        token: steward,
        body: { ...water, code: 'x6', restriction: { class: 'donor-restricted' } },
      });
      expect(noPurpose.status).toBe(400);
      expect(noPurpose.body.code).toBe('FUND.PURPOSE_REQUIRED');
      const currency = await t.request('POST', '/v1/funds', { token: steward, body: { ...water, code: 'x7', currency: 'XYZ' } });
      expect(currency.body.code).toBe('FUND.CURRENCY_INVALID');
      expect(await t.store.headPosition()).toBe(before);
    });
  });
});

describe('idempotency', () => {
  const body = { code: 'training', name: 'Training materials', currency: 'USD', restriction: { class: 'board-designated', purpose: 'training' } };

  // This test counts the FundOpened events of the whole log: its ledger has no other fund.
  describe('a retry, on a ledger of its own', () => {
    let t: TestApp;
    let steward: string;

    beforeAll(async () => {
      t = await startTestApp();
      steward = (await t.token('steward')).secret;
    });

    afterAll(() => t.close());

    it('answers a retry with the same key and body with the first answer and writes nothing', async () => {
      const first = await t.request('POST', '/v1/funds', { token: steward, body, headers: { 'idempotency-key': 'open-training-1' } });
      expect(first.status).toBe(201);
      const head = await t.store.headPosition();
      const again = await t.request('POST', '/v1/funds', { token: steward, body, headers: { 'idempotency-key': 'open-training-1' } });
      expect(again.status).toBe(201);
      expect(again.body).toEqual(first.body);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(await t.store.headPosition()).toBe(head);
      const events = await allEvents(t.store);
      expect(events.filter((e) => e.type === 'FundOpened')).toHaveLength(1);
      expect(events.find((e) => e.type === 'FundOpened')?.metadata.idempotencyKey).toBe('open-training-1');
    });
  });

  describe('reused keys, races and keys per token: each test with fund codes and keys of its own', () => {
    let t: TestApp;
    let steward: string;

    beforeAll(async () => {
      t = await startTestApp();
      steward = (await t.token('steward')).secret;
    });

    afterAll(() => t.close());

    it('refuses the same key with a different body with 422', async () => {
      const headers = { 'idempotency-key': 'reused-key' };
      expect((await t.request('POST', '/v1/funds', { token: steward, body: { ...body, code: 'reused-1' }, headers })).status).toBe(201);
      await expectLogUnchanged(t, async () => {
        const res = await t.request('POST', '/v1/funds', { token: steward, body: { ...body, code: 'reused-2' }, headers });
        expect(res.status).toBe(422);
        expect(res.body.code).toBe('IDEMPOTENCY.KEY_REUSED');
      });
    });

    it('writes once when the same request races with itself', async () => {
      const racing = { ...body, code: 'race-idem' };
      const results = await Promise.all(
        Array.from({ length: 6 }, () =>
          t.request('POST', '/v1/funds', { token: steward, body: racing, headers: { 'idempotency-key': 'race-key' } }),
        ),
      );
      expect(results.every((r) => r.status === 201)).toBe(true);
      expect(new Set(results.map((r) => r.body.fundId)).size).toBe(1);
      const opened = (await allEvents(t.store)).filter((e) => e.type === 'FundOpened' && (e.data as { code: string }).code === 'race-idem');
      expect(opened).toHaveLength(1);
    });

    it('keeps keys apart per token, and refuses malformed keys', async () => {
      const headers = { 'idempotency-key': 'per-token' };
      expect((await t.request('POST', '/v1/funds', { token: steward, body: { ...body, code: 'per-token-1' }, headers })).status).toBe(201);
      const other = (await t.token('steward')).secret;
      const res = await t.request('POST', '/v1/funds', { token: other, body: { ...body, code: 'per-token-2' }, headers });
      expect(res.status).toBe(201);
      const bad = await t.request('POST', '/v1/funds', { token: steward, body, headers: { 'idempotency-key': 'x'.repeat(201) } });
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('IDEMPOTENCY.KEY_INVALID');
    });
  });
});
