import { FundsLifecycle } from '../src/modules/funds/funds-lifecycle';
import { FixedClock } from '../src/shared/clock';
import { TestApp, allEvents, startTestApp } from './support/test-app';

interface Fund {
  fundId: string;
  code: string;
}

describe('the ledger core over HTTP', () => {
  const clock = new FixedClock(new Date('2026-11-02T10:00:00.000Z'));
  let t: TestApp;
  let s1: string;
  let s2: string;
  let auditor: string;
  let sustainer: string;
  const funds: Record<string, string> = {};

  const post = (url: string, body: unknown, token = s1) => t.request('POST', url, { token, body });
  const get = (url: string, token = s1) => t.request('GET', url, { token });
  const balance = async (code: string, query = '') => (await get(`/v1/funds/${funds[code]}/balance${query}`)).body;
  const income = (code: string, amountMinor: number, effectiveAt = '2026-11-01T09:00:00.000Z') =>
    post('/v1/income', { fundId: funds[code], source: 'Community Foundation', category: 'grant', amountMinor, currency: 'USD', effectiveAt });

  beforeAll(async () => {
    t = await startTestApp({ clock, config: { seedFunds: 'default' } });
    s1 = (await t.token('steward')).secret;
    s2 = (await t.token('steward')).secret;
    auditor = (await t.token('auditor')).secret;
    const person = await post('/v1/sustainers', { displayName: 'Ada Example', anonymous: false });
    sustainer = (await t.token('sustainer', person.body.sustainerId)).secret;
    const list = await get(`/v1/funds?minPosition=${await t.store.headPosition()}`);
    for (const f of list.body.items as Fund[]) funds[f.code] = f.fundId;
  });

  afterAll(() => t.close());

  it('seeds the default funds on first start', () => {
    expect(Object.keys(funds).sort()).toEqual(
      ['general', 'internal-capacity', 'land-trust-improvements', 'revolving-loan-fund', 'training-materials', 'water-autonomy'].sort(),
    );
  });

  it('records income, and a two-phase transfer that holds, then posts on approval by another steward', async () => {
    expect((await income('general', 100_000)).status).toBe(201);
    expect(await balance('general')).toMatchObject({ postedMinor: 100_000, pendingMinor: 0, availableMinor: 100_000 });

    const transfer = await post('/v1/transfers', { fromFundId: funds.general, toFundId: funds['training-materials'], amountMinor: 30_000, currency: 'USD', memo: 'print run' });
    expect(transfer.status).toBe(201);
    expect(transfer.body.status).toBe('requested');
    expect(await balance('general')).toMatchObject({ postedMinor: 100_000, pendingMinor: 30_000, availableMinor: 70_000 });

    const self = await post(`/v1/transfers/${transfer.body.movementId}/approve`, {});
    expect(self.status).toBe(403);
    expect(self.body.code).toBe('MOVEMENT.SELF_APPROVAL');

    const approved = await post(`/v1/transfers/${transfer.body.movementId}/approve`, {}, s2);
    expect(approved.status).toBe(201);
    expect(await balance('general')).toMatchObject({ postedMinor: 70_000, pendingMinor: 0, availableMinor: 70_000 });
    expect(await balance('training-materials')).toMatchObject({ postedMinor: 30_000 });

    const again = await post(`/v1/transfers/${transfer.body.movementId}/approve`, {}, s2);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('MOVEMENT.ALREADY_DECIDED');
    expect((await get(`/v1/transfers/${transfer.body.movementId}`, auditor)).body).toMatchObject({ status: 'posted', memo: 'print run' });
  });

  it('refuses a transfer beyond what is available, and releases the hold of a rejected one', async () => {
    const before = await t.store.headPosition();
    const tooMuch = await post('/v1/transfers', { fromFundId: funds.general, toFundId: funds['internal-capacity'], amountMinor: 70_001, currency: 'USD' });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body).toMatchObject({ code: 'FUND.INSUFFICIENT_AVAILABLE', availableMinor: 70_000, requestedMinor: 70_001 });
    expect(await t.store.headPosition()).toBe(before);

    const pending = await post('/v1/transfers', { fromFundId: funds.general, toFundId: funds['internal-capacity'], amountMinor: 5_000, currency: 'USD' });
    expect((await balance('general')).availableMinor).toBe(65_000);
    const rejected = await post(`/v1/transfers/${pending.body.movementId}/reject`, { reason: 'not this month' }, s2);
    expect(rejected.status).toBe(201);
    expect(await balance('general')).toMatchObject({ postedMinor: 70_000, pendingMinor: 0 });
    expect((await post(`/v1/transfers/${pending.body.movementId}/approve`, {}, s2)).body.code).toBe('MOVEMENT.ALREADY_DECIDED');
  });

  it('keeps restricted money to its purpose, and records the release when it is spent on it', async () => {
    await income('water-autonomy', 50_000);
    const out = await post('/v1/transfers', { fromFundId: funds['water-autonomy'], toFundId: funds.general, amountMinor: 1_000, currency: 'USD' });
    expect(out.status).toBe(422);
    expect(out.body.code).toBe('TRANSFER.PURPOSE_MISMATCH');

    const spend = { fundId: funds['water-autonomy'], payee: 'Rain Catchers Co-op', category: 'equipment', invoiceReference: 'RC-17', amountMinor: 12_000, currency: 'USD', effectiveAt: '2026-11-01T12:00:00.000Z' };
    const wrong = await post('/v1/disbursements', { ...spend, purpose: 'office chairs' });
    expect(wrong.status).toBe(422);
    expect(wrong.body.code).toBe('DISBURSEMENT.PURPOSE_MISMATCH');

    const requested = await post('/v1/disbursements', { ...spend, purpose: 'water autonomy initiatives' });
    expect(requested.status).toBe(201);
    // A spending request holds nothing until approved.
    expect((await balance('water-autonomy')).availableMinor).toBe(50_000);
    expect((await post(`/v1/disbursements/${requested.body.movementId}/approve`, {}, s2)).status).toBe(201);
    expect(await balance('water-autonomy')).toMatchObject({ postedMinor: 38_000 });
    const view = (await get(`/v1/disbursements/${requested.body.movementId}`)).body;
    expect(view).toMatchObject({
      status: 'posted',
      payee: 'Rain Catchers Co-op',
      restrictionRelease: { fundId: funds['water-autonomy'], purpose: 'water autonomy initiatives', amountMinor: 12_000 },
      postings: [{ from: 'fund:water-autonomy', to: 'vendor:Rain Catchers Co-op', amountMinor: 12_000, asset: 'USD' }],
    });
  });

  it('reverses a posted movement once, with a new entry that points to it', async () => {
    const spend = await post('/v1/disbursements', { fundId: funds.general, payee: 'Print Shop', category: 'printing', invoiceReference: 'P-1', amountMinor: 2_500, currency: 'USD', effectiveAt: '2026-11-01T12:00:00.000Z' });
    const notPosted = await post(`/v1/movements/${spend.body.movementId}/reverse`, { reason: 'typo' });
    expect(notPosted.body.code).toBe('MOVEMENT.NOT_POSTED');
    await post(`/v1/disbursements/${spend.body.movementId}/approve`, {}, s2);
    expect((await balance('general')).postedMinor).toBe(67_500);

    const reversed = await post(`/v1/movements/${spend.body.movementId}/reverse`, { reason: 'invoice paid twice' });
    expect(reversed.status).toBe(201);
    expect((await balance('general')).postedMinor).toBe(70_000);
    const twice = await post(`/v1/movements/${spend.body.movementId}/reverse`, { reason: 'again' });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('MOVEMENT.ALREADY_REVERSED');
    const events = (await allEvents(t.store)).filter((e) => e.streamId === `movement-${spend.body.movementId}`);
    expect(events.map((e) => e.type)).toEqual(['MovementRequested', 'MovementPosted', 'MovementReversed']);
    expect((await get(`/v1/movements/${spend.body.movementId}`)).body).toMatchObject({ status: 'posted', reversed: true });
  });

  it('answers balances as of a date and at a log position, and a trial balance that sums to zero', async () => {
    const before = await t.store.headPosition();
    const early = await income('general', 4_000, '2026-10-15T08:00:00.000Z');
    expect((await balance('general', '?asOf=2026-10-14')).postedMinor).toBe(0);
    expect((await balance('general', '?asOf=2026-10-15')).postedMinor).toBe(4_000);
    // On 1 November the income and a disbursement had happened; the transfer and the reversal are dated the 2nd.
    expect((await balance('general', '?asOf=2026-11-01')).postedMinor).toBe(104_000 - 2_500);
    expect((await balance('general', '?asOf=2026-11-02')).postedMinor).toBe(74_000);
    expect((await balance('general', `?atPosition=${before}`)).postedMinor).toBe(70_000);
    expect((await balance('general', `?atPosition=${early.body.position}`)).postedMinor).toBe(74_000);

    const trial = (await get('/v1/ledger/trial-balance', auditor)).body;
    expect(trial.totalsByAsset).toEqual({ USD: 0 });
    expect(trial.accounts).toEqual(
      expect.arrayContaining([
        { account: 'fund:general', asset: 'USD', balanceMinor: 74_000 },
        { account: 'vendor:Rain Catchers Co-op', asset: 'USD', balanceMinor: 12_000 },
        { account: 'income:Community Foundation', asset: 'USD', balanceMinor: -154_000 },
      ]),
    );
    const old = (await get('/v1/ledger/trial-balance?asOf=2026-10-31', auditor)).body;
    expect(old.accounts).toEqual([
      { account: 'fund:general', asset: 'USD', balanceMinor: 4_000 },
      { account: 'income:Community Foundation', asset: 'USD', balanceMinor: -4_000 },
    ]);
  });

  it('lists a fund journal newest first, by kind and a page at a time', async () => {
    const all = (await get(`/v1/funds/${funds.general}/journal`)).body.items;
    expect(all[all.length - 1]).toMatchObject({ kind: 'income', deltaMinor: 4_000, effectiveAt: '2026-10-15T08:00:00.000Z' });
    const days = all.map((e: { effectiveAt: string }) => e.effectiveAt.slice(0, 10));
    expect([...days].sort().reverse()).toEqual(days);
    const transfers = (await get(`/v1/funds/${funds.general}/journal?kind=transfer`)).body.items;
    expect(transfers).toEqual([expect.objectContaining({ kind: 'transfer', deltaMinor: -30_000, counterparty: 'fund:training-materials' })]);
    const page = (await get(`/v1/funds/${funds.general}/journal?limit=2`)).body;
    const next = (await get(`/v1/funds/${funds.general}/journal?limit=2&before=${encodeURIComponent(page.next)}`)).body;
    expect([...page.items, ...next.items]).toEqual(all.slice(0, 4));
    const ranged = (await get(`/v1/funds/${funds.general}/journal?from=2026-10-01&to=2026-10-31`)).body.items;
    expect(ranged).toHaveLength(1);
  });

  it('closes periods, and refuses anything dated inside a closed one', async () => {
    const closed = await post('/v1/periods/close', { period: '2026-10' });
    expect(closed.status).toBe(201);
    expect(closed.body).toMatchObject({ period: '2026-10', start: '2026-10-01', end: '2026-11-01' });
    const before = await t.store.headPosition();
    const late = await income('general', 100, '2026-10-31T23:00:00.000Z');
    expect(late.status).toBe(422);
    expect(late.body).toMatchObject({ code: 'PERIOD.CLOSED', period: '2026-10' });
    expect(await t.store.headPosition()).toBe(before);
    expect((await post('/v1/periods/close', { period: '2026-10' })).body.code).toBe('PERIOD.ALREADY_CLOSED');
    expect((await post('/v1/periods/close', { period: '2026-11' })).body.code).toBe('PERIOD.NOT_ENDED');
    expect((await post('/v1/periods/close', { period: 'last month' })).status).toBe(400);
    expect((await get('/v1/periods', auditor)).body.closed).toEqual([{ period: '2026-10', kind: 'month', start: '2026-10-01', end: '2026-11-01' }]);
  });

  it('closes a fund only when it is empty, and then takes nothing more', async () => {
    const notEmpty = await post(`/v1/funds/${funds.general}/close`, { reason: 'merge' });
    expect(notEmpty.status).toBe(409);
    expect(notEmpty.body.code).toBe('FUND.NOT_EMPTY');
    const closed = await post(`/v1/funds/${funds['revolving-loan-fund']}/close`, { reason: 'moved to the lending module' });
    expect(closed.status).toBe(201);
    expect((await get(`/v1/funds/${funds['revolving-loan-fund']}`)).body.status).toBe('closed');
    const into = await income('revolving-loan-fund', 100);
    expect(into.status).toBe(409);
    expect(into.body.code).toBe('FUND.CLOSED');
  });

  describe('bad input: a problem document naming the field, nothing written', () => {
    const base = () => ({ fundId: funds.general, source: 'x', category: 'grant', currency: 'USD', effectiveAt: '2026-11-01T00:00:00.000Z' });
    it.each([
      ['zero', 0],
      ['negative', -5],
      ['fractional', 1.5],
      ['a string', '100'],
      ['beyond the safe integer range', 2 ** 53],
    ])('refuses an amount that is %s', async (_label, amountMinor) => {
      const before = await t.store.headPosition();
      const res = await post('/v1/income', { ...base(), amountMinor });
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['amountMinor']);
      expect(await t.store.headPosition()).toBe(before);
    });

    it('refuses a currency other than the fund\'s, an unknown fund, and an impossible date', async () => {
      const before = await t.store.headPosition();
      const eur = await post('/v1/income', { ...base(), amountMinor: 100, currency: 'EUR' });
      expect(eur.status).toBe(422);
      expect(eur.body.code).toBe('MOVEMENT.CURRENCY_MISMATCH');
      const unknown = await post('/v1/income', { ...base(), amountMinor: 100, fundId: '01900000-0000-7000-8000-000000000000' });
      expect(unknown.status).toBe(404);
      expect(unknown.body.code).toBe('FUND.NOT_FOUND');
      const badDate = await post('/v1/income', { ...base(), amountMinor: 100, effectiveAt: '2026-02-30T00:00:00Z' });
      expect(badDate.status).toBe(400);
      const unknownMovement = await post('/v1/transfers/01900000-0000-7000-8000-000000000000/approve', {}, s2);
      expect(unknownMovement.body.code).toBe('MOVEMENT.NOT_FOUND');
      const same = await post('/v1/transfers', { fromFundId: funds.general, toFundId: funds.general, amountMinor: 1, currency: 'USD' });
      expect(same.body.code).toBe('TRANSFER.SAME_FUND');
      expect((await get(`/v1/funds/${funds.general}/balance?asOf=2026-02-30`)).status).toBe(400);
      expect(await t.store.headPosition()).toBe(before);
    });
  });

  it('lets stewards write and auditors read; everyone else gets 403', async () => {
    expect((await post('/v1/income', { fundId: funds.general, source: 'x', category: 'grant', amountMinor: 1, currency: 'USD', effectiveAt: '2026-11-01T00:00:00Z' }, auditor)).status).toBe(403);
    expect((await get(`/v1/funds/${funds.general}/balance`, auditor)).status).toBe(200);
    expect((await get('/v1/ledger/trial-balance', sustainer)).status).toBe(403);
    expect((await get(`/v1/funds/${funds.general}/balance`, sustainer)).status).toBe(403);
    expect((await post('/v1/transfers', {}, sustainer)).status).toBe(403);
  });

  it('expires a transfer nobody approved in time and releases its hold', async () => {
    const pending = await post('/v1/transfers', { fromFundId: funds.general, toFundId: funds['internal-capacity'], amountMinor: 1_000, currency: 'USD' });
    expect((await balance('general')).pendingMinor).toBe(1_000);
    clock.advance(73 * 3_600_000);
    const late = await post(`/v1/transfers/${pending.body.movementId}/approve`, {}, s2);
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('MOVEMENT.EXPIRED');
    expect(await t.app.get(FundsLifecycle).sweep()).toBe(1);
    await t.request('GET', `/v1/funds?minPosition=${await t.store.headPosition()}`, { token: s1 });
    expect((await get(`/v1/transfers/${pending.body.movementId}`)).body.status).toBe('expired');
    expect((await balance('general')).pendingMinor).toBe(0);
  });

  it('never lets racing approvals push a fund below zero', async () => {
    await income('internal-capacity', 10_000, '2026-11-05T00:00:00.000Z');
    const requests = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        post('/v1/disbursements', { fundId: funds['internal-capacity'], payee: `Worker ${i}`, category: 'stipend', invoiceReference: `S-${i}`, amountMinor: 500, currency: 'USD', effectiveAt: '2026-11-05T00:00:00.000Z', purpose: 'staff and internal capacity' }),
      ),
    );
    expect(requests.every((r) => r.status === 201)).toBe(true);
    const approvals = await Promise.all(requests.map((r) => post(`/v1/disbursements/${r.body.movementId}/approve`, {}, s2)));
    const ok = approvals.filter((a) => a.status === 201).length;
    const refused = approvals.filter((a) => a.status === 409);
    expect(ok + refused.length).toBe(60);
    expect(ok).toBeLessThanOrEqual(20);
    expect(ok).toBeGreaterThan(0);
    for (const r of refused) expect(['FUND.INSUFFICIENT_AVAILABLE', 'CONCURRENCY.CONFLICT']).toContain(r.body.code);
    const after = await balance('internal-capacity');
    expect(after.postedMinor).toBe(10_000 - ok * 500);
    expect(after.postedMinor).toBeGreaterThanOrEqual(0);
  });

  it('verifies: hashes, chains and postings', async () => {
    const report = (await get('/v1/audit/verify', auditor)).body;
    expect(report).toMatchObject({ ok: true, problems: [] });
  });
});
