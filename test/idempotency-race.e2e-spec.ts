import { FixedClock } from '../src/shared/clock';
import { TestApp, TestResponse, allEvents, startTestApp } from './support/test-app';

/**
 * 50 identical requests with one Idempotency-Key, all in flight at once: one effect, and every
 * one of them answered with the winner's status and body (the 49 marked Idempotent-Replayed).
 */
describe('idempotency under a race, over HTTP', () => {
  const clock = new FixedClock(new Date('2026-11-02T10:00:00.000Z'));
  let t: TestApp;
  let s1: string;
  let s2: string;
  const funds: Record<string, string> = {};

  const post = (url: string, body: unknown, token: string, key?: string) =>
    t.request('POST', url, { token, body, headers: key ? { 'idempotency-key': key } : {} });

  function expectOneAnswer(responses: TestResponse[]): TestResponse {
    const fresh = responses.filter((r) => r.headers['idempotent-replayed'] !== 'true');
    expect(fresh).toHaveLength(1);
    const [winner] = fresh;
    expect(winner.status).toBe(201);
    for (const r of responses) {
      expect({ status: r.status, body: r.body }).toEqual({ status: winner.status, body: winner.body });
    }
    expect(responses.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(responses.length - 1);
    return winner;
  }

  beforeAll(async () => {
    t = await startTestApp({ clock, config: { seedFunds: 'default' } });
    s1 = (await t.token('steward')).secret;
    s2 = (await t.token('steward')).secret;
    const list = await t.request('GET', `/v1/funds?minPosition=${await t.store.headPosition()}`, { token: s1 });
    for (const f of list.body.items as Array<{ fundId: string; code: string }>) funds[f.code] = f.fundId;
    const income = await post(
      '/v1/income',
      { fundId: funds.general, source: 'Community Foundation', category: 'grant', amountMinor: 100_000, currency: 'USD', effectiveAt: '2026-11-01T09:00:00.000Z' },
      s1,
    );
    expect(income.status).toBe(201);
  });

  afterAll(() => t.close());

  it('50 concurrent approvals of one transfer with one key: one posting, and all 50 get the winner’s response', async () => {
    const transfer = await post('/v1/transfers', { fromFundId: funds.general, toFundId: funds['training-materials'], amountMinor: 1_000, currency: 'USD' }, s1);
    expect(transfer.status).toBe(201);
    const movementId = transfer.body.movementId as string;
    const responses = await Promise.all(Array.from({ length: 50 }, () => post(`/v1/transfers/${movementId}/approve`, {}, s2, 'approve-once')));
    expectOneAnswer(responses);
    const posted = (await allEvents(t.store)).filter((e) => e.type === 'MovementPosted' && e.streamId.includes(movementId));
    expect(posted).toHaveLength(1);

    // Later retries with the key are answered the same; the same key on another request is refused.
    const later = await post(`/v1/transfers/${movementId}/approve`, {}, s2, 'approve-once');
    expect(later.headers['idempotent-replayed']).toBe('true');
    expect(later.body).toEqual(responses[0].body);
    const other = await post('/v1/transfers', { fromFundId: funds.general, toFundId: funds['training-materials'], amountMinor: 5, currency: 'USD' }, s2, 'approve-once');
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('IDEMPOTENCY.KEY_REUSED');
  });

  it('50 concurrent fund openings with one key: one fund, all 50 answered with it', async () => {
    const body = { code: 'race-fund', name: 'Race Fund', currency: 'USD', restriction: { class: 'unrestricted' } };
    const responses = await Promise.all(Array.from({ length: 50 }, () => post('/v1/funds', body, s1, 'open-once')));
    const winner = expectOneAnswer(responses);
    expect(winner.body.fundId).toEqual(expect.any(String));
    const opened = (await allEvents(t.store)).filter((e) => e.type === 'FundOpened' && (e.data as { code?: string }).code === 'race-fund');
    expect(opened).toHaveLength(1);
  });

  it('the same key racing with different bodies: one effect, every other body refused with IDEMPOTENCY.KEY_REUSED', async () => {
    const open = (code: string) => post('/v1/funds', { code, name: `Fund ${code}`, currency: 'USD', restriction: { class: 'unrestricted' } }, s1, 'open-mixed');
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => open(`mixed-${i}`)));
    const created = responses.filter((r) => r.status === 201);
    expect(created).toHaveLength(1);
    expect(responses.filter((r) => r.status !== 201).map((r) => [r.status, r.body.code])).toEqual(Array(19).fill([422, 'IDEMPOTENCY.KEY_REUSED']));
  });
});
