import { FixedClock } from '../src/shared/clock';
import { seed, useLedger } from './support/api';
import { TestResponse, allEvents } from './support/test-app';

/**
 * 50 identical requests with one Idempotency-Key, all in flight at once: one effect, and every
 * one of them answered with the winner's status and body (the 49 marked Idempotent-Replayed).
 */
describe('idempotency under a race, over HTTP', () => {
  const clock = new FixedClock(new Date('2026-11-02T10:00:00.000Z'));
  const ledger = useLedger({ clock, config: { seedFunds: 'default' } });
  const { funds } = ledger;
  const post = (url: string, body: unknown, token: string, key?: string) => ledger.post(url, body, token, key ? { 'idempotency-key': key } : {});

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
    const income = await seed.income(ledger, funds.general, 100_000, '2026-11-01T09:00:00.000Z');
    expect(income.status).toBe(201);
  });

  it('50 concurrent approvals of one transfer with one key: one posting, and all 50 get the winner’s response', async () => {
    const transfer = await post('/v1/transfers', { fromFundId: funds.general, toFundId: funds['training-materials'], amountMinor: 1_000, currency: 'USD' }, ledger.steward);
    expect(transfer.status).toBe(201);
    const movementId = transfer.body.movementId as string;
    const responses = await Promise.all(Array.from({ length: 50 }, () => post(`/v1/transfers/${movementId}/approve`, {}, ledger.steward2, 'approve-once')));
    expectOneAnswer(responses);
    const posted = (await allEvents(ledger.t.store)).filter((e) => e.type === 'MovementPosted' && e.streamId.includes(movementId));
    expect(posted).toHaveLength(1);

    // Later retries with the key are answered the same; the same key on another request is refused.
    const later = await post(`/v1/transfers/${movementId}/approve`, {}, ledger.steward2, 'approve-once');
    expect(later.headers['idempotent-replayed']).toBe('true');
    expect(later.body).toEqual(responses[0].body);
    const other = await post('/v1/transfers', { fromFundId: funds.general, toFundId: funds['training-materials'], amountMinor: 5, currency: 'USD' }, ledger.steward2, 'approve-once');
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('IDEMPOTENCY.KEY_REUSED');
  });

  it('50 concurrent fund openings with one key: one fund, all 50 answered with it', async () => {
    const body = { code: 'race-fund', name: 'Race Fund', currency: 'USD', restriction: { class: 'unrestricted' } };
    const responses = await Promise.all(Array.from({ length: 50 }, () => post('/v1/funds', body, ledger.steward, 'open-once')));
    const winner = expectOneAnswer(responses);
    expect(winner.body.fundId).toEqual(expect.any(String));
    const opened = (await allEvents(ledger.t.store)).filter((e) => e.type === 'FundOpened' && (e.data as { code?: string }).code === 'race-fund');
    expect(opened).toHaveLength(1);
  });

  it('the same key racing with different bodies: one effect, every other body refused with IDEMPOTENCY.KEY_REUSED', async () => {
    const open = (code: string) => post('/v1/funds', { code, name: `Fund ${code}`, currency: 'USD', restriction: { class: 'unrestricted' } }, ledger.steward, 'open-mixed');
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => open(`mixed-${i}`)));
    const created = responses.filter((r) => r.status === 201);
    expect(created).toHaveLength(1);
    expect(responses.filter((r) => r.status !== 201).map((r) => [r.status, r.body.code])).toEqual(Array(19).fill([422, 'IDEMPOTENCY.KEY_REUSED']));
  });
});
