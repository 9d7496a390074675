import { LEDGER_EVENTS } from '../src/composition';
import { EventCatalogue } from '../src/event-store/event-catalogue';
import { FundsLifecycle } from '../src/modules/funds/funds-lifecycle';
import { FUNDS_EVENTS } from '../src/modules/funds/funds.events';
import { FixedClock } from '../src/shared/clock';
import { Ledger, expectLogUnchanged, seed, seeded, useLedger } from './support/api';
import { TestResponse, allEvents } from './support/test-app';

interface Operation {
  summary?: string;
  parameters?: Array<{ in: string; name: string }>;
  responses: Record<string, { content?: unknown }>;
}

/** A ledger with the default funds on 2026-11-02 and a sustainer with a token (who may not touch the funds). */
interface CoreLedger {
  readonly ledger: Ledger;
  readonly clock: FixedClock;
  /** Ada's sustainer token. */
  sustainer: string;
  balance(code: string, query?: string): Promise<Record<string, number>>;
  income(code: string, amountMinor: number, effectiveAt?: string): Promise<TestResponse>;
}

function useCoreLedger(): CoreLedger {
  const clock = new FixedClock(new Date('2026-11-02T10:00:00.000Z'));
  const ledger = useLedger({ clock, config: { seedFunds: 'default' } });
  const { funds, post, get } = ledger;
  const w: CoreLedger = {
    ledger,
    clock,
    sustainer: '',
    balance: async (code, query = '') => (await get(`/v1/funds/${funds[code]}/balance${query}`)).body,
    income: (code, amountMinor, effectiveAt = '2026-11-01T09:00:00.000Z') => seed.income(ledger, funds[code], amountMinor, effectiveAt),
  };
  beforeAll(async () => {
    const person = await seeded('sustainer', post('/v1/sustainers', { displayName: 'Ada Example', anonymous: false }));
    w.sustainer = (await ledger.t.token('sustainer', person.sustainerId)).secret;
  });
  return w;
}

/*
 * The story of the ledger core, one step per test that wrote it; a test takes the steps before
 * it with `givenCoreStoryThrough(w, lastStep)`.
 */

/** 100 000 of income into general, and 30 000 moved to training-materials, approved by the second steward. */
async function givenTransferPosted(w: CoreLedger) {
  const { funds, post, steward2 } = w.ledger;
  await seeded('income', w.income('general', 100_000));
  const transfer = await seeded('transfer', post('/v1/transfers', { fromFundId: funds.general, toFundId: funds['training-materials'], amountMinor: 30_000, currency: 'USD', memo: 'print run' }));
  await seeded('approve', post(`/v1/transfers/${transfer.movementId}/approve`, {}, steward2));
}

/** A transfer of 5 000 to internal-capacity, rejected. */
async function givenTransferRejected(w: CoreLedger) {
  const { funds, post, steward2 } = w.ledger;
  const pending = await seeded('transfer', post('/v1/transfers', { fromFundId: funds.general, toFundId: funds['internal-capacity'], amountMinor: 5_000, currency: 'USD' }));
  await seeded('reject', post(`/v1/transfers/${pending.movementId}/reject`, { reason: 'not this month' }, steward2));
}

/** 50 000 into water-autonomy, 12 000 of it spent on its purpose at Rain Catchers Co-op. */
async function givenWaterAutonomySpent(w: CoreLedger) {
  const { funds, post, steward2 } = w.ledger;
  await seeded('income', w.income('water-autonomy', 50_000));
  const spend = await seeded('disbursement', post('/v1/disbursements', { fundId: funds['water-autonomy'], payee: 'Rain Catchers Co-op', category: 'equipment', invoiceReference: 'RC-17', amountMinor: 12_000, currency: 'USD', effectiveAt: '2026-11-01T12:00:00.000Z', purpose: 'water autonomy initiatives' }));
  await seeded('approve', post(`/v1/disbursements/${spend.movementId}/approve`, {}, steward2));
}

/** 2 500 paid to the Print Shop from general, then reversed. */
async function givenPrintShopPaidAndReversed(w: CoreLedger) {
  const { funds, post, steward2 } = w.ledger;
  const spend = await seeded('disbursement', post('/v1/disbursements', { fundId: funds.general, payee: 'Print Shop', category: 'printing', invoiceReference: 'P-1', amountMinor: 2_500, currency: 'USD', effectiveAt: '2026-11-01T12:00:00.000Z' }));
  await seeded('approve', post(`/v1/disbursements/${spend.movementId}/approve`, {}, steward2));
  await seeded('reverse', post(`/v1/movements/${spend.movementId}/reverse`, { reason: 'invoice paid twice' }));
}

/** 4 000 of income into general dated 2026-10-15. */
async function givenOctoberIncome(w: CoreLedger) {
  await seeded('income', w.income('general', 4_000, '2026-10-15T08:00:00.000Z'));
}

/** October 2026 closed. */
async function givenOctoberClosed(w: CoreLedger) {
  await seeded('close', w.ledger.post('/v1/periods/close', { period: '2026-10' }));
}

/** The (empty) revolving loan fund closed. */
async function givenRevolvingLoanFundClosed(w: CoreLedger) {
  const { funds, post } = w.ledger;
  await seeded('close fund', post(`/v1/funds/${funds['revolving-loan-fund']}/close`, { reason: 'moved to the lending module' }));
}

/** A transfer of 1 000 nobody approved, expired 73 hours later by the sweep. */
async function givenTransferExpired(w: CoreLedger) {
  const { ledger } = w;
  await seeded('transfer', ledger.post('/v1/transfers', { fromFundId: ledger.funds.general, toFundId: ledger.funds['internal-capacity'], amountMinor: 1_000, currency: 'USD' }));
  w.clock.advance(73 * 3_600_000);
  await ledger.t.app.get(FundsLifecycle).sweep();
  await ledger.t.request('GET', `/v1/funds?minPosition=${await ledger.t.store.headPosition()}`, { token: ledger.steward });
}

/** 10 000 into internal-capacity, sixty stipends of 500 requested against it and approved one after another (twenty fit). */
async function givenStipendsApproved(w: CoreLedger) {
  const { funds, post, steward2 } = w.ledger;
  await seeded('income', w.income('internal-capacity', 10_000, '2026-11-05T00:00:00.000Z'));
  for (let i = 0; i < 60; i++) {
    const r = await seeded('stipend', post('/v1/disbursements', { fundId: funds['internal-capacity'], payee: `Worker ${i}`, category: 'stipend', invoiceReference: `S-${i}`, amountMinor: 500, currency: 'USD', effectiveAt: '2026-11-05T00:00:00.000Z', purpose: 'staff and internal capacity' }));
    await post(`/v1/disbursements/${r.movementId}/approve`, {}, steward2);
  }
}

const CORE_STORY = [
  givenTransferPosted, givenTransferRejected, givenWaterAutonomySpent, givenPrintShopPaidAndReversed, givenOctoberIncome,
  givenOctoberClosed, givenRevolvingLoanFundClosed, givenTransferExpired, givenStipendsApproved,
];

/** Every step of the story up to and including `last`, in order. */
async function givenCoreStoryThrough(w: CoreLedger, last: (w: CoreLedger) => Promise<void>) {
  for (const step of CORE_STORY) {
    await step(w);
    if (step === last) return;
  }
}

describe('the ledger core over HTTP', () => {
  describe('what only reads or is refused (one ledger for these tests)', () => {
    const w = useCoreLedger();
    const { ledger } = w;
    const { funds, post, get } = ledger;

    it('seeds the default funds on first start', () => {
      expect(Object.keys(funds).sort()).toEqual(
        ['general', 'internal-capacity', 'land-trust-improvements', 'revolving-loan-fund', 'training-materials', 'water-autonomy'].sort(),
      );
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
        await expectLogUnchanged(ledger.t, async () => {
          const res = await post('/v1/income', { ...base(), amountMinor });
          expect(res.status).toBe(400);
          expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['amountMinor']);
        });
      });

      it('refuses a currency other than the fund\'s, an unknown fund, and an impossible date', async () => {
        const before = await ledger.t.store.headPosition();
        const eur = await post('/v1/income', { ...base(), amountMinor: 100, currency: 'EUR' });
        expect(eur.status).toBe(422);
        expect(eur.body.code).toBe('MOVEMENT.CURRENCY_MISMATCH');
        const unknown = await post('/v1/income', { ...base(), amountMinor: 100, fundId: '01900000-0000-7000-8000-000000000000' });
        expect(unknown.status).toBe(404);
        expect(unknown.body.code).toBe('FUND.NOT_FOUND');
        const badDate = await post('/v1/income', { ...base(), amountMinor: 100, effectiveAt: '2026-02-30T00:00:00Z' });
        expect(badDate.status).toBe(400);
        const unknownMovement = await post('/v1/transfers/01900000-0000-7000-8000-000000000000/approve', {}, ledger.steward2);
        expect(unknownMovement.body.code).toBe('MOVEMENT.NOT_FOUND');
        const same = await post('/v1/transfers', { fromFundId: funds.general, toFundId: funds.general, amountMinor: 1, currency: 'USD' });
        expect(same.body.code).toBe('TRANSFER.SAME_FUND');
        expect((await get(`/v1/funds/${funds.general}/balance?asOf=2026-02-30`)).status).toBe(400);
        expect(await ledger.t.store.headPosition()).toBe(before);
      });
    });

    it('lets stewards write and auditors read; everyone else gets 403', async () => {
      expect((await post('/v1/income', { fundId: funds.general, source: 'x', category: 'grant', amountMinor: 1, currency: 'USD', effectiveAt: '2026-11-01T00:00:00Z' }, ledger.auditor)).status).toBe(403);
      expect((await get(`/v1/funds/${funds.general}/balance`, ledger.auditor)).status).toBe(200);
      expect((await get('/v1/ledger/trial-balance', w.sustainer)).status).toBe(403);
      expect((await get(`/v1/funds/${funds.general}/balance`, w.sustainer)).status).toBe(403);
      expect((await post('/v1/transfers', {}, w.sustainer)).status).toBe(403);
    });
  });

  describe('income, transfers and restricted money (each test on funds of its own)', () => {
    const w = useCoreLedger();
    const { ledger, balance, income } = w;
    const { funds, post, get } = ledger;

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

      const approved = await post(`/v1/transfers/${transfer.body.movementId}/approve`, {}, ledger.steward2);
      expect(approved.status).toBe(201);
      expect(await balance('general')).toMatchObject({ postedMinor: 70_000, pendingMinor: 0, availableMinor: 70_000 });
      expect(await balance('training-materials')).toMatchObject({ postedMinor: 30_000 });

      const again = await post(`/v1/transfers/${transfer.body.movementId}/approve`, {}, ledger.steward2);
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('MOVEMENT.ALREADY_DECIDED');
      expect((await get(`/v1/transfers/${transfer.body.movementId}`, ledger.auditor)).body).toMatchObject({ status: 'posted', memo: 'print run' });
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
      expect((await post(`/v1/disbursements/${requested.body.movementId}/approve`, {}, ledger.steward2)).status).toBe(201);
      expect(await balance('water-autonomy')).toMatchObject({ postedMinor: 38_000 });
      const view = (await get(`/v1/disbursements/${requested.body.movementId}`)).body;
      expect(view).toMatchObject({
        status: 'posted',
        payee: 'Rain Catchers Co-op',
        restrictionRelease: { fundId: funds['water-autonomy'], purpose: 'water autonomy initiatives', amountMinor: 12_000 },
        postings: [{ from: 'fund:water-autonomy', to: 'vendor:Rain Catchers Co-op', amountMinor: 12_000, asset: 'USD' }],
      });
    });
  });

  describe('a hold released', () => {
    const w = useCoreLedger();
    const { ledger, balance } = w;
    const { funds, post } = ledger;

    it('refuses a transfer beyond what is available, and releases the hold of a rejected one', async () => {
      await givenCoreStoryThrough(w, givenTransferPosted);
      const before = await ledger.t.store.headPosition();
      const tooMuch = await post('/v1/transfers', { fromFundId: funds.general, toFundId: funds['internal-capacity'], amountMinor: 70_001, currency: 'USD' });
      expect(tooMuch.status).toBe(409);
      expect(tooMuch.body).toMatchObject({ code: 'FUND.INSUFFICIENT_AVAILABLE', availableMinor: 70_000, requestedMinor: 70_001 });
      expect(await ledger.t.store.headPosition()).toBe(before);

      const pending = await post('/v1/transfers', { fromFundId: funds.general, toFundId: funds['internal-capacity'], amountMinor: 5_000, currency: 'USD' });
      expect((await balance('general')).availableMinor).toBe(65_000);
      const rejected = await post(`/v1/transfers/${pending.body.movementId}/reject`, { reason: 'not this month' }, ledger.steward2);
      expect(rejected.status).toBe(201);
      expect(await balance('general')).toMatchObject({ postedMinor: 70_000, pendingMinor: 0 });
      expect((await post(`/v1/transfers/${pending.body.movementId}/approve`, {}, ledger.steward2)).body.code).toBe('MOVEMENT.ALREADY_DECIDED');
    });
  });

  describe('a reversal', () => {
    const w = useCoreLedger();
    const { ledger, balance } = w;
    const { funds, post, get } = ledger;

    it('reverses a posted movement once, with a new entry that points to it', async () => {
      await givenCoreStoryThrough(w, givenWaterAutonomySpent);
      const spend = await post('/v1/disbursements', { fundId: funds.general, payee: 'Print Shop', category: 'printing', invoiceReference: 'P-1', amountMinor: 2_500, currency: 'USD', effectiveAt: '2026-11-01T12:00:00.000Z' });
      const notPosted = await post(`/v1/movements/${spend.body.movementId}/reverse`, { reason: 'typo' });
      expect(notPosted.body.code).toBe('MOVEMENT.NOT_POSTED');
      await post(`/v1/disbursements/${spend.body.movementId}/approve`, {}, ledger.steward2);
      expect((await balance('general')).postedMinor).toBe(67_500);

      const reversed = await post(`/v1/movements/${spend.body.movementId}/reverse`, { reason: 'invoice paid twice' });
      expect(reversed.status).toBe(201);
      expect((await balance('general')).postedMinor).toBe(70_000);
      const twice = await post(`/v1/movements/${spend.body.movementId}/reverse`, { reason: 'again' });
      expect(twice.status).toBe(409);
      expect(twice.body.code).toBe('MOVEMENT.ALREADY_REVERSED');
      const events = (await allEvents(ledger.t.store)).filter((e) => e.streamId === `movement-${spend.body.movementId}`);
      expect(events.map((e) => e.type)).toEqual(['MovementRequested', 'MovementPosted', 'MovementReversed']);
      expect((await get(`/v1/movements/${spend.body.movementId}`)).body).toMatchObject({ status: 'posted', reversed: true });
    });
  });

  describe('balances as of a date and a trial balance', () => {
    const w = useCoreLedger();
    const { ledger, balance, income } = w;
    const { get } = ledger;

    it('answers balances as of a date and at a log position, and a trial balance that sums to zero', async () => {
      await givenCoreStoryThrough(w, givenPrintShopPaidAndReversed);
      const before = await ledger.t.store.headPosition();
      const early = await income('general', 4_000, '2026-10-15T08:00:00.000Z');
      expect((await balance('general', '?asOf=2026-10-14')).postedMinor).toBe(0);
      expect((await balance('general', '?asOf=2026-10-15')).postedMinor).toBe(4_000);
      // On 1 November the income and a disbursement had happened; the transfer and the reversal are dated the 2nd.
      expect((await balance('general', '?asOf=2026-11-01')).postedMinor).toBe(104_000 - 2_500);
      expect((await balance('general', '?asOf=2026-11-02')).postedMinor).toBe(74_000);
      expect((await balance('general', `?atPosition=${before}`)).postedMinor).toBe(70_000);
      expect((await balance('general', `?atPosition=${early.body.position}`)).postedMinor).toBe(74_000);

      const trial = (await get('/v1/ledger/trial-balance', ledger.auditor)).body;
      expect(trial.totalsByAsset).toEqual({ USD: 0 });
      expect(trial.accounts).toEqual(
        expect.arrayContaining([
          { account: 'fund:general', asset: 'USD', balanceMinor: 74_000 },
          { account: 'vendor:Rain Catchers Co-op', asset: 'USD', balanceMinor: 12_000 },
          { account: 'income:Community Foundation', asset: 'USD', balanceMinor: -154_000 },
        ]),
      );
      const old = (await get('/v1/ledger/trial-balance?asOf=2026-10-31', ledger.auditor)).body;
      expect(old.accounts).toEqual([
        { account: 'fund:general', asset: 'USD', balanceMinor: 4_000 },
        { account: 'income:Community Foundation', asset: 'USD', balanceMinor: -4_000 },
      ]);
    });
  });

  describe('a fund journal', () => {
    const w = useCoreLedger();
    const { ledger } = w;
    const { funds, get } = ledger;

    it('lists a fund journal newest first, by kind and a page at a time', async () => {
      await givenCoreStoryThrough(w, givenOctoberIncome);
      const all = (await get(`/v1/funds/${funds.general}/journal`)).body.items;
      expect(all[all.length - 1]).toMatchObject({ kind: 'income', deltaMinor: 4_000, effectiveAt: '2026-10-15T08:00:00.000Z' });
      const days = all.map((e: { effectiveAt: string }) => e.effectiveAt.slice(0, 10));
      expect([...days].sort().reverse()).toEqual(days);
      const transfers = (await get(`/v1/funds/${funds.general}/journal?kind=transfer`)).body.items;
      expect(transfers).toEqual([expect.objectContaining({ kind: 'transfer', deltaMinor: -30_000, counterparty: 'fund:training-materials' })]);
      const page = (await get(`/v1/funds/${funds.general}/journal?limit=2`)).body;
      const next = (await get(`/v1/funds/${funds.general}/journal?limit=2&after=${encodeURIComponent(page.next)}`)).body;
      expect([...page.items, ...next.items]).toEqual(all.slice(0, 4));
      const ranged = (await get(`/v1/funds/${funds.general}/journal?from=2026-10-01&to=2026-10-31`)).body.items;
      expect(ranged).toHaveLength(1);
    });
  });

  describe('closing periods', () => {
    const w = useCoreLedger();
    const { ledger, income } = w;
    const { post, get } = ledger;

    it('closes periods, and refuses anything dated inside a closed one', async () => {
      await givenCoreStoryThrough(w, givenOctoberIncome);
      const closed = await post('/v1/periods/close', { period: '2026-10' });
      expect(closed.status).toBe(201);
      expect(closed.body).toMatchObject({ period: '2026-10', start: '2026-10-01', end: '2026-11-01' });
      const before = await ledger.t.store.headPosition();
      const late = await income('general', 100, '2026-10-31T23:00:00.000Z');
      expect(late.status).toBe(422);
      expect(late.body).toMatchObject({ code: 'PERIOD.CLOSED', period: '2026-10' });
      expect(await ledger.t.store.headPosition()).toBe(before);
      expect((await post('/v1/periods/close', { period: '2026-10' })).body.code).toBe('PERIOD.ALREADY_CLOSED');
      expect((await post('/v1/periods/close', { period: '2026-11' })).body.code).toBe('PERIOD.NOT_ENDED');
      expect((await post('/v1/periods/close', { period: 'last month' })).status).toBe(400);
      expect((await get('/v1/periods', ledger.auditor)).body.closed).toEqual([{ period: '2026-10', kind: 'month', start: '2026-10-01', end: '2026-11-01' }]);
    });
  });

  describe('closing a fund', () => {
    const w = useCoreLedger();
    const { ledger, income } = w;
    const { funds, post, get } = ledger;

    it('closes a fund only when it is empty, and then takes nothing more', async () => {
      await givenCoreStoryThrough(w, givenOctoberClosed);
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
  });

  describe('expiry', () => {
    const w = useCoreLedger();
    const { ledger, clock, balance } = w;
    const { funds, post, get } = ledger;

    it('expires a transfer nobody approved in time and releases its hold', async () => {
      await givenCoreStoryThrough(w, givenRevolvingLoanFundClosed);
      const pending = await post('/v1/transfers', { fromFundId: funds.general, toFundId: funds['internal-capacity'], amountMinor: 1_000, currency: 'USD' });
      expect((await balance('general')).pendingMinor).toBe(1_000);
      clock.advance(73 * 3_600_000);
      const late = await post(`/v1/transfers/${pending.body.movementId}/approve`, {}, ledger.steward2);
      expect(late.status).toBe(409);
      expect(late.body.code).toBe('MOVEMENT.EXPIRED');
      expect(await ledger.t.app.get(FundsLifecycle).sweep()).toBe(1);
      await ledger.t.request('GET', `/v1/funds?minPosition=${await ledger.t.store.headPosition()}`, { token: ledger.steward });
      expect((await get(`/v1/transfers/${pending.body.movementId}`)).body.status).toBe('expired');
      expect((await balance('general')).pendingMinor).toBe(0);
    });
  });

  describe('racing approvals', () => {
    const w = useCoreLedger();
    const { ledger, balance, income } = w;
    const { funds, post } = ledger;

    it('never lets racing approvals push a fund below zero', async () => {
      await givenCoreStoryThrough(w, givenTransferExpired);
      await income('internal-capacity', 10_000, '2026-11-05T00:00:00.000Z');
      const requests = await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          post('/v1/disbursements', { fundId: funds['internal-capacity'], payee: `Worker ${i}`, category: 'stipend', invoiceReference: `S-${i}`, amountMinor: 500, currency: 'USD', effectiveAt: '2026-11-05T00:00:00.000Z', purpose: 'staff and internal capacity' }),
        ),
      );
      expect(requests.every((r) => r.status === 201)).toBe(true);
      const approvals = await Promise.all(requests.map((r) => post(`/v1/disbursements/${r.body.movementId}/approve`, {}, ledger.steward2)));
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
  });

  describe('after the whole story', () => {
    const w = useCoreLedger();
    const { ledger } = w;
    const { get } = ledger;

    it('verifies: hashes, chains and postings', async () => {
      await givenCoreStoryThrough(w, givenStipendsApproved);
      const report = (await get('/v1/audit/verify', ledger.auditor)).body;
      expect(report).toMatchObject({ ok: true, problems: [] });
    });
  });
});

/** The ledger of the hostile-input suite: 2026-11-02, the default funds, and its request helpers. */
interface HostileLedger {
  readonly ledger: Ledger;
  income(code: string, amountMinor: number, effectiveAt: string, extra?: Record<string, unknown>): Promise<TestResponse>;
  transfer(effectiveAt: string, amountMinor?: number): Promise<TestResponse>;
  disbursement(effectiveAt: string, extra?: Record<string, unknown>): Promise<TestResponse>;
  /** A refusal: its status and code, a problem document, exactly the fields named, and nothing written. */
  refused(request: () => Promise<TestResponse>, status: number, code: string, fields?: string[]): Promise<unknown>;
}

/** A fresh ledger for the calling `describe`, with 100 000 of opening balance in general dated 2024-01-02. */
function useHostileLedger(): HostileLedger {
  const clock = new FixedClock(new Date('2026-11-02T10:00:00.000Z'));
  const ledger = useLedger({ clock, config: { seedFunds: 'default' } });
  const { funds, post } = ledger;
  const h: HostileLedger = {
    ledger,
    income: (code, amountMinor, effectiveAt, extra = {}) =>
      seed.income(ledger, funds[code], amountMinor, effectiveAt, { category: 'opening-balance', ...extra }),
    transfer: (effectiveAt, amountMinor = 1_000) =>
      post('/v1/transfers', { fromFundId: funds.general, toFundId: funds['training-materials'], amountMinor, currency: 'USD', effectiveAt }),
    disbursement: (effectiveAt, extra = {}) =>
      post('/v1/disbursements', { fundId: funds.general, payee: 'Print Shop', category: 'printing', invoiceReference: 'P-9', amountMinor: 500, currency: 'USD', effectiveAt, ...extra }),
    refused: (request, status, code, fields) => ledger.refused(request, status, code, { exactFields: fields }),
  };
  beforeAll(async () => {
    expect((await h.income('general', 100_000, '2024-01-02')).status).toBe(201);
  });
  return h;
}

/** Given a transfer of 1 000 from general to training-materials requested on 2026-11-01. */
async function givenTransferRequested(h: HostileLedger) {
  await seeded('transfer', h.transfer('2026-11-01'));
}

/** Given what the closed-period approval test writes: June 2024 closed, then May 2024, with a transfer and two disbursements of May. */
async function givenMayAndJune2024Closed(h: HostileLedger) {
  const { post, steward2 } = h.ledger;
  const pending = await seeded('transfer', h.transfer('2024-05-15'));
  await seeded('close June', post('/v1/periods/close', { period: '2024-06' }));
  await seeded('approve', post(`/v1/transfers/${pending.movementId}/approve`, { effectiveAt: '2024-07-01' }, steward2));
  await seeded('disbursement', h.disbursement('2024-05-20'));
  await seeded('disbursement', h.disbursement('2024-05-31'));
  await seeded('close May', post('/v1/periods/close', { period: '2024-05' }));
}

/** Given everything the tests of this suite write, in the order they write it. */
async function givenHostileInputStory(h: HostileLedger) {
  const { ledger } = h;
  const { post, steward2 } = ledger;
  await seeded('income', h.income('general', 1, '2026-11-01'));
  await givenTransferRequested(h);
  await seeded('disbursement', h.disbursement('2026-11-01'));
  await givenTransferRequested(h);
  const sustainerId = (await seeded('sustainer', post('/v1/sustainers', { displayName: 'Bea Reader', anonymous: false }))).sustainerId;
  const cooperativeId = (await seeded('cooperative', post('/v1/cooperatives', { name: 'Riverside Bakery', sector: 'food', contact: 'bakery@example.coop' }))).cooperativeId;
  await ledger.t.token('sustainer', sustainerId);
  await ledger.t.token('cooperative', cooperativeId);
  await seeded('income', h.income('internal-capacity', 300, '2026-10-20'));
  await seeded('income', h.income('internal-capacity', 200, '2026-10-20T10:00:00+02:00'));
  await seeded('income', h.income('internal-capacity', 100, '2026-10-21T10:00Z'));
  const old = await seeded('transfer', h.transfer('2024-03-01', 4_000));
  await seeded('approve', post(`/v1/transfers/${old.movementId}/approve`, { effectiveAt: '2024-03-04' }, steward2));
  const spend = await seeded('disbursement', h.disbursement('2024-03-10'));
  await seeded('approve', post(`/v1/disbursements/${spend.movementId}/approve`, { effectiveAt: '2024-03-10T16:00:00-05:00' }, steward2));
  const now = await seeded('transfer', h.transfer('2026-11-01'));
  await seeded('approve', ledger.t.request('POST', `/v1/transfers/${now.movementId}/approve`, { token: steward2 }));
  await givenMayAndJune2024Closed(h);
  const august = await seeded('transfer', h.transfer('2024-08-01'));
  await seeded('transfer', h.transfer('2024-04-10'));
  await seeded('reject', post(`/v1/transfers/${august.movementId}/reject`, { reason: 'not this year', effectiveAt: '2024-08-02' }, steward2));
  const grant = await seeded('income', h.income('general', 700, '2024-09-10'));
  await seeded('reverse', post(`/v1/movements/${grant.movementId}/reverse`, { reason: 'duplicate', effectiveAt: '2024-09-11' }));
}

/**
 * Issue 10: nothing accepted that breaks the ledger, every route to its contract, and recording
 * after the fact. A fresh ledger, with a clock in November 2026 and a network loading 2024.
 *
 * Most tests share one ledger and write only movements of their own; those that close a period
 * or read the whole log have a ledger of their own, brought to their state by a given-step.
 */
describe('the funds and ledger routes under hostile input, and recording after the fact', () => {
  const unknownId = '01900000-0000-7000-8000-000000000000';

  describe('one ledger, each test with movements of its own', () => {
    const h = useHostileLedger();
    const { ledger, income, transfer, disbursement, refused } = h;
    const { funds, post, get } = ledger;

    describe('writes that would damage the ledger for good are refused at the edge', () => {
      it.each([
        ['an income source with a leading space', () => income('general', 100, '2026-11-01', { source: ' Acme' }), ['source']],
        ['an income source with a control character', () => income('general', 100, '2026-11-01', { source: 'Acme\u0007' }), ['source']],
        ['an income reference with a lone surrogate', () => income('general', 100, '2026-11-01', { reference: 'R-\ud800' }), ['reference']],
        ['an income dated 9999-12-31', () => income('general', 100, '9999-12-31'), ['effectiveAt']],
        ['an income dated 1900-01-01', () => income('general', 100, '1900-01-01'), ['effectiveAt']],
        ['an income dated on an impossible day', () => income('general', 100, '2026-02-30'), ['effectiveAt']],
        ['an income with a null reference', () => income('general', 100, '2026-11-01', { reference: null }), ['reference']],
        ['a transfer with a null date', () => post('/v1/transfers', { fromFundId: funds.general, toFundId: funds['training-materials'], amountMinor: 1, currency: 'USD', effectiveAt: null }), ['effectiveAt']],
        ['a fund with a null description', () => post('/v1/funds', { code: 'null-description', name: 'Bad', currency: 'USD', restriction: { class: 'unrestricted' }, description: null }), ['description']],
        ['a fund restricted until null', () => post('/v1/funds', { code: 'null-until', name: 'Bad', currency: 'USD', restriction: { class: 'donor-restricted', purpose: 'p', restrictedUntil: null } }), ['restriction.restrictedUntil']],
        ['a disbursement payee with a leading space', () => disbursement('2026-11-01', { payee: ' Acme' }), ['payee']],
        ['a disbursement payee with trailing whitespace', () => disbursement('2026-11-01', { payee: 'Acme\n' }), ['payee']],
        ['a disbursement dated 9999-12-31', () => disbursement('9999-12-31'), ['effectiveAt']],
        ['a transfer dated 9999-12-31', () => transfer('9999-12-31'), ['effectiveAt']],
        ['a transfer memo with surrounding spaces', () => post('/v1/transfers', { fromFundId: funds.general, toFundId: funds['training-materials'], amountMinor: 1, currency: 'USD', memo: ' x ' }), ['memo']],
        ['a fund name with a lone surrogate', () => post('/v1/funds', { code: 'bad-name', name: 'Fund \udc00', currency: 'USD', restriction: { class: 'unrestricted' } }), ['name']],
        ['a fund restricted until 9999-12-31', () => post('/v1/funds', { code: 'bad-until', name: 'Bad', currency: 'USD', restriction: { class: 'donor-restricted', purpose: 'p', restrictedUntil: '9999-12-31' } }), ['restriction.restrictedUntil']],
        ['a fund whose restriction is not an object', () => post('/v1/funds', { code: 'bad-restriction', name: 'Bad', currency: 'USD', restriction: 'unrestricted' }), ['restriction']],
        ['a fund whose restriction is null', () => post('/v1/funds', { code: 'null-restriction', name: 'Bad', currency: 'USD', restriction: null }), ['restriction']],
        ['a closing reason with surrounding spaces', () => post(`/v1/funds/${funds['revolving-loan-fund']}/close`, { reason: ' merged ' }), ['reason']],
        ['a reversal without a reason', () => post(`/v1/movements/${unknownId}/reverse`, {}), ['reason']],
        ['a reversal with a null date', () => post(`/v1/movements/${unknownId}/reverse`, { reason: 'typo', effectiveAt: null }), ['effectiveAt']],
        ['an approval with a null date', () => post(`/v1/transfers/${unknownId}/approve`, { effectiveAt: null }, ledger.steward2), ['effectiveAt']],
        ['an approval with an unknown field', () => post(`/v1/transfers/${unknownId}/approve`, { approvedOn: '2026-11-01' }, ledger.steward2), ['approvedOn']],
        ['an approval dated 9999-12-31', () => post(`/v1/transfers/${unknownId}/approve`, { effectiveAt: '9999-12-31' }, ledger.steward2), ['effectiveAt']],
        ['a rejection dated on an impossible day', () => post(`/v1/disbursements/${unknownId}/reject`, { reason: 'no', effectiveAt: '2026-02-30' }, ledger.steward2), ['effectiveAt']],
        ['a period that is not one', () => post('/v1/periods/close', { period: 'soon' }), ['period']],
      ])('%s: 400 REQUEST.INVALID naming the field', async (_label, request, fields) => {
        await refused(request as () => Promise<TestResponse>, 400, 'REQUEST.INVALID', fields as string[]);
      });

      it('names the field of a business rule met at 400 too', async () => {
        await refused(() => post('/v1/periods/close', { period: '2026-13' }), 400, 'PERIOD.INVALID', ['period']);
        await refused(() => post('/v1/periods/close', { period: '2300-01' }), 400, 'PERIOD.INVALID', ['period']);
        await refused(() => post('/v1/funds', { code: 'no-purpose', name: 'No purpose', currency: 'USD', restriction: { class: 'donor-restricted' } }), 400, 'FUND.PURPOSE_REQUIRED', ['restriction.purpose']);
        await refused(() => post('/v1/funds', { code: 'bad-currency', name: 'Bad', currency: 'XYZ', restriction: { class: 'unrestricted' } }), 400, 'FUND.CURRENCY_INVALID', ['currency']);
      });
    });

    describe('query routes: one convention', () => {
      const routes = () => [
        '/v1/funds',
        `/v1/funds/${funds.general}`,
        `/v1/funds/${funds.general}/balance`,
        `/v1/funds/${funds.general}/journal`,
        '/v1/ledger/trial-balance',
        '/v1/transfers',
        '/v1/disbursements',
        '/v1/periods',
      ];

      it('takes minPosition on every query route and answers what includes it', async () => {
        const written = await income('general', 1, '2026-11-01');
        const movement = written.body.movementId;
        const reads = [...routes(), `/v1/movements/${movement}`];
        for (const url of reads) {
          const res = await get(`${url}?minPosition=${written.body.position}`, ledger.auditor);
          expect({ url, status: res.status }).toEqual({ url, status: 200 });
        }
        const pending = await transfer('2026-11-01');
        expect((await get(`/v1/transfers/${pending.body.movementId}?minPosition=${pending.body.position}`)).status).toBe(200);
        const spend = await disbursement('2026-11-01');
        expect((await get(`/v1/disbursements/${spend.body.movementId}?minPosition=${spend.body.position}`)).status).toBe(200);
        for (const url of reads) {
          for (const bad of ['-1', '1.5', 'x', String(2 ** 53)]) {
            const res = await get(`${url}?minPosition=${bad}`, ledger.auditor);
            expect({ url, bad, status: res.status, code: res.body.code, fields: res.body.errors?.map((e: { field: string }) => e.field) }).toEqual({
              url, bad, status: 400, code: 'REQUEST.INVALID', fields: ['minPosition'],
            });
          }
        }
      });

      it('refuses unknown query parameters on every query route', async () => {
        for (const url of [...routes(), `/v1/movements/${unknownId}`, `/v1/transfers/${unknownId}`]) {
          const res = await get(`${url}?colour=blue`, ledger.auditor);
          expect({ url, status: res.status, code: res.body.code }).toEqual({ url, status: 400, code: 'REQUEST.INVALID' });
        }
      });

      it('answers a date out of range or impossible as 400 REQUEST.INVALID, the same code as in a body, never 500', async () => {
        for (const url of [`/v1/funds/${funds.general}/balance`, '/v1/ledger/trial-balance']) {
          for (const asOf of ['9999-12-31', '1900-01-01', '2026-02-30', '20261101']) {
            const res = await get(`${url}?asOf=${asOf}`, ledger.auditor);
            expect({ url, asOf, status: res.status, code: res.body.code, fields: res.body.errors.map((e: { field: string }) => e.field) }).toEqual({
              url, asOf, status: 400, code: 'REQUEST.INVALID', fields: ['asOf'],
            });
          }
          expect((await get(`${url}?asOf=2026-11-01&atPosition=3`, ledger.auditor)).body.code).toBe('REQUEST.CONFLICTING_FILTERS');
          expect((await get(`${url}?atPosition=-1`, ledger.auditor)).body.code).toBe('REQUEST.INVALID');
        }
        for (const param of ['from=9999-12-31', 'to=2026-02-30', 'after=yesterday', 'kind=gift']) {
          const res = await get(`/v1/funds/${funds.general}/journal?${param}`, ledger.auditor);
          expect({ param, status: res.status, code: res.body.code }).toEqual({ param, status: 400, code: 'REQUEST.INVALID' });
        }
      });

      it('pages every listing with limit (1 to 500), after and next', async () => {
        // Given a transfer before this test's own (the one the minPosition test leaves): two to page through.
        await givenTransferRequested(h);
        for (const url of ['/v1/funds', `/v1/funds/${funds.general}/journal`, '/v1/transfers', '/v1/disbursements']) {
          expect({ url, status: (await get(`${url}?limit=500`, ledger.auditor)).status }).toEqual({ url, status: 200 });
          for (const limit of ['0', '501', '2.5']) {
            expect({ url, limit, status: (await get(`${url}?limit=${limit}`, ledger.auditor)).status }).toEqual({ url, limit, status: 400 });
          }
        }
        await transfer('2026-11-01');
        const first = (await get('/v1/transfers?limit=1', ledger.auditor)).body;
        expect(first.items).toHaveLength(1);
        expect(first.next).toBe(first.items[0].movementId);
        const second = (await get(`/v1/transfers?limit=1&after=${first.next}`, ledger.auditor)).body;
        expect(second.items).toHaveLength(1);
        expect(second.items[0].movementId < first.next).toBe(true);
      });

      it('lets every role list funds, and a fund shows no one\'s id but its own', async () => {
        const sustainerId = (await post('/v1/sustainers', { displayName: 'Bea Reader', anonymous: false })).body.sustainerId;
        const cooperativeId = (await post('/v1/cooperatives', { name: 'Riverside Bakery', sector: 'food', contact: 'bakery@example.coop' })).body.cooperativeId;
        const sustainer = (await ledger.t.token('sustainer', sustainerId)).secret;
        const cooperative = (await ledger.t.token('cooperative', cooperativeId)).secret;
        // Tokens are read from a projection: wait until it includes the two just issued.
        await get(`/v1/funds?minPosition=${await ledger.t.store.headPosition()}`);
        for (const token of [sustainer, cooperative]) {
          const list = await get('/v1/funds', token);
          expect(list.status).toBe(200);
          for (const fund of list.body.items) {
            expect(Object.keys(fund).sort()).toEqual(expect.arrayContaining(['code', 'currency', 'fundId', 'name', 'openedAt', 'restriction', 'status']));
            expect(Object.keys(fund).every((k) => ['code', 'currency', 'fundId', 'name', 'openedAt', 'restriction', 'status', 'description'].includes(k))).toBe(true);
          }
          expect((await get(`/v1/funds/${funds.general}/balance`, token)).status).toBe(403);
          expect((await get(`/v1/funds/${funds.general}/journal`, token)).status).toBe(403);
          expect((await get('/v1/ledger/trial-balance', token)).status).toBe(403);
          expect((await get('/v1/transfers', token)).status).toBe(403);
        }
      });
    });

    it('documents every funds and ledger route: summary, parameters, a typed 2xx and the problems it can answer', async () => {
      const doc = (await ledger.t.request('GET', '/docs-json')).body;
      const ours = /^\/v1\/(funds|income|transfers|disbursements|movements|periods|ledger|audit)/;
      const operations = Object.entries(doc.paths as Record<string, Record<string, Operation>>)
        .filter(([path]) => ours.test(path))
        .flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));
      expect(operations.length).toBeGreaterThanOrEqual(23);
      for (const { path, method, op } of operations) {
        const where = `${method.toUpperCase()} ${path}`;
        expect({ where, summary: typeof op.summary === 'string' && op.summary.length > 0 }).toEqual({ where, summary: true });
        for (const name of [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1])) {
          expect({ where, name, documented: op.parameters?.some((p) => p.in === 'path' && p.name === name) }).toEqual({ where, name, documented: true });
        }
        const ok = Object.entries(op.responses).find(([status]) => status.startsWith('2'));
        expect({ where, typed: ok !== undefined && ok[1].content !== undefined }).toEqual({ where, typed: true });
        const problems = Object.keys(op.responses).filter((status) => status.startsWith('4'));
        expect({ where, has401: problems.includes('401'), has403: problems.includes('403') }).toEqual({ where, has401: true, has403: true });
        // Every route but verify takes input (a body, a path id or query parameters) and can refuse it.
        if (where !== 'GET /v1/audit/verify') expect({ where, has400: problems.includes('400') }).toEqual({ where, has400: true });
        if (path.includes('{')) expect({ where, has404: problems.includes('404') }).toEqual({ where, has404: true });
        if (method === 'get' && where !== 'GET /v1/audit/verify') {
          expect({ where, minPosition: op.parameters?.some((p) => p.in === 'query' && p.name === 'minPosition') }).toEqual({ where, minPosition: true });
        }
      }
    });

    describe('dates: business days as YYYY-MM-DD, instants in UTC with Z, on every route', () => {
      it('stores and answers every form of a business date as one UTC instant', async () => {
        const day = await income('internal-capacity', 300, '2026-10-20');
        const offset = await income('internal-capacity', 200, '2026-10-20T10:00:00+02:00');
        const short = await income('internal-capacity', 100, '2026-10-21T10:00Z');
        const journal = (await get(`/v1/funds/${funds['internal-capacity']}/journal`)).body.items;
        const instant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
        for (const entry of journal) {
          expect(entry.effectiveAt).toMatch(instant);
          expect(entry.recordedAt).toMatch(instant);
          expect(entry.effectiveOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        }
        expect(journal.map((e: { effectiveAt: string }) => e.effectiveAt)).toEqual(['2026-10-21T10:00:00.000Z', '2026-10-20T08:00:00.000Z', '2026-10-20T00:00:00.000Z']);
        expect(journal.map((e: { effectiveOn: string }) => e.effectiveOn)).toEqual(['2026-10-21', '2026-10-20', '2026-10-20']);
        for (const written of [day, offset, short]) {
          const view = (await get(`/v1/movements/${written.body.movementId}`)).body;
          expect(view.effectiveAt).toMatch(instant);
          expect(view.requestedAt).toMatch(instant);
        }
        const events = (await allEvents(ledger.t.store)).filter((e) => e.streamId === `movement-${offset.body.movementId}`);
        expect(events.map((e) => (e.data as { effectiveAt: string }).effectiveAt)).toEqual(['2026-10-20T08:00:00.000Z', '2026-10-20T08:00:00.000Z']);
        expect(events.map((e) => e.effectiveAt)).toEqual(['2026-10-20T08:00:00.000Z', '2026-10-20T08:00:00.000Z']);
        const balance = (await get(`/v1/funds/${funds['internal-capacity']}/balance?asOf=2026-10-20`)).body;
        expect(balance).toMatchObject({ asOf: '2026-10-20', postedMinor: 500 });
      });
    });

    describe('recording after the fact: dated approvals and rejections', () => {
      it('approves a transfer and a disbursement of 2024 on the day they were approved; the postings keep their own date', async () => {
        const pending = await transfer('2024-03-01', 4_000);
        expect(pending.status).toBe(201);
        const approved = await post(`/v1/transfers/${pending.body.movementId}/approve`, { effectiveAt: '2024-03-04' }, ledger.steward2);
        expect(approved.status).toBe(201);
        const view = (await get(`/v1/transfers/${pending.body.movementId}`)).body;
        expect(view).toMatchObject({ status: 'posted', effectiveAt: '2024-03-01T00:00:00.000Z', decidedAt: '2024-03-04T00:00:00.000Z' });
        const posted = (await allEvents(ledger.t.store)).find((e) => e.streamId === `movement-${pending.body.movementId}` && e.type === 'MovementPosted');
        expect(posted).toMatchObject({ effectiveAt: '2024-03-04T00:00:00.000Z', recordedAt: '2026-11-02T10:00:00.000Z' });
        expect((await get(`/v1/funds/${funds['training-materials']}/balance?asOf=2024-03-01`)).body.postedMinor).toBe(4_000);

        // A disbursement loaded from the past exists from its payment date: approved that day or later.
        const spend = await disbursement('2024-03-10');
        const paid = await post(`/v1/disbursements/${spend.body.movementId}/approve`, { effectiveAt: '2024-03-10T16:00:00-05:00' }, ledger.steward2);
        expect(paid.status).toBe(201);
        expect((await get(`/v1/disbursements/${spend.body.movementId}`)).body).toMatchObject({ status: 'posted', decidedAt: '2024-03-10T21:00:00.000Z' });
      });

      it('approves with an empty body, or none, dated now', async () => {
        const pending = await transfer('2026-11-01');
        const approved = await ledger.t.request('POST', `/v1/transfers/${pending.body.movementId}/approve`, { token: ledger.steward2 });
        expect(approved.status).toBe(201);
        expect((await get(`/v1/transfers/${pending.body.movementId}`)).body.decidedAt).toBe('2026-11-02T10:00:00.000Z');
      });
    });
  });

  describe('an approval refused in a closed period', () => {
    const { ledger, transfer, disbursement, refused } = useHostileLedger();
    const { post } = ledger;

    it('refuses an approval dated in the future, before the request, or in a closed period', async () => {
      const pending = await transfer('2024-05-15');
      const url = `/v1/transfers/${pending.body.movementId}/approve`;
      await refused(() => post(url, { effectiveAt: '2026-11-03' }, ledger.steward2), 422, 'MOVEMENT.DATE_IN_FUTURE');
      await refused(() => post(url, { effectiveAt: '2026-11-02T10:00:01Z' }, ledger.steward2), 422, 'MOVEMENT.DATE_IN_FUTURE');
      await refused(() => post(url, { effectiveAt: '2024-05-14' }, ledger.steward2), 422, 'MOVEMENT.DATE_BEFORE_REQUEST');
      expect((await post('/v1/periods/close', { period: '2024-06' })).status).toBe(201);
      await refused(() => post(url, { effectiveAt: '2024-06-03' }, ledger.steward2), 422, 'PERIOD.CLOSED');
      // The requester may not approve, whatever the date.
      await refused(() => post(url, { effectiveAt: '2024-07-01' }), 403, 'MOVEMENT.SELF_APPROVAL');
      expect((await post(url, { effectiveAt: '2024-07-01' }, ledger.steward2)).status).toBe(201);

      const spend = await disbursement('2024-05-20');
      const spendUrl = `/v1/disbursements/${spend.body.movementId}/approve`;
      await refused(() => post(spendUrl, { effectiveAt: '2024-06-30' }, ledger.steward2), 422, 'PERIOD.CLOSED');
      await refused(() => post(spendUrl, { effectiveAt: '2024-05-19' }, ledger.steward2), 422, 'MOVEMENT.DATE_BEFORE_REQUEST');
      await refused(() => post(spendUrl, { effectiveAt: '2027-01-01' }, ledger.steward2), 422, 'MOVEMENT.DATE_IN_FUTURE');
      // A request dated inside the closed period can no longer be approved at all.
      const inside = await disbursement('2024-05-31');
      await post('/v1/periods/close', { period: '2024-05' });
      await refused(() => post(`/v1/disbursements/${inside.body.movementId}/approve`, { effectiveAt: '2024-07-02' }, ledger.steward2), 422, 'PERIOD.CLOSED');
    });
  });

  describe('rejections and reversals dated into a closed period', () => {
    const h = useHostileLedger();
    const { ledger, income, transfer, refused } = h;
    const { post, get } = ledger;
    beforeAll(() => givenMayAndJune2024Closed(h));

    it('dates rejections the same way', async () => {
      const pending = await transfer('2024-08-01');
      const url = `/v1/transfers/${pending.body.movementId}/reject`;
      await refused(() => post(url, { reason: 'no', effectiveAt: '2026-12-01' }, ledger.steward2), 422, 'MOVEMENT.DATE_IN_FUTURE');
      await refused(() => post(url, { reason: 'no', effectiveAt: '2024-07-31' }, ledger.steward2), 422, 'MOVEMENT.DATE_BEFORE_REQUEST');
      const april = await transfer('2024-04-10');
      await refused(() => post(`/v1/transfers/${april.body.movementId}/reject`, { reason: 'no', effectiveAt: '2024-06-15' }, ledger.steward2), 422, 'PERIOD.CLOSED');
      expect((await post(url, { reason: 'not this year', effectiveAt: '2024-08-02' }, ledger.steward2)).status).toBe(201);
      expect((await get(`/v1/transfers/${pending.body.movementId}`)).body).toMatchObject({ status: 'rejected', decidedAt: '2024-08-02T00:00:00.000Z', rejectionReason: 'not this year' });
    });

    it('dates a reversal on or after the movement, not in the future, in an open period', async () => {
      const grant = await income('general', 700, '2024-09-10');
      const url = `/v1/movements/${grant.body.movementId}/reverse`;
      await refused(() => post(url, { reason: 'duplicate', effectiveAt: '2024-09-09' }), 422, 'MOVEMENT.REVERSAL_BEFORE_ORIGINAL');
      await refused(() => post(url, { reason: 'duplicate', effectiveAt: '2026-11-03' }), 422, 'MOVEMENT.DATE_IN_FUTURE');
      await refused(() => post(url, { reason: 'duplicate', effectiveAt: '2024-06-15' }), 422, 'PERIOD.CLOSED');
      expect((await post(url, { reason: 'duplicate', effectiveAt: '2024-09-11' })).status).toBe(201);
    });
  });

  describe('the log after the whole story', () => {
    const h = useHostileLedger();
    const { ledger } = h;
    const { get } = ledger;
    beforeAll(() => givenHostileInputStory(h));

    it('leaves a log whose every funds event keeps its schema, and that verifies', async () => {
      const catalogue = new EventCatalogue(LEDGER_EVENTS);
      const types = new Set(FUNDS_EVENTS.map((d) => d.type));
      const events = (await allEvents(ledger.t.store)).filter((e) => types.has(e.type));
      expect(events.length).toBeGreaterThan(50);
      expect(events.flatMap((e) => catalogue.problems(e).map((p) => `${e.type} ${p.field}: ${p.message}`))).toEqual([]);
      expect((await get('/v1/audit/verify', ledger.auditor)).body).toMatchObject({ ok: true, problems: [] });
    });
  });
});
