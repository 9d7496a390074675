import { FixedClock } from '../src/shared/clock';
import { postingProblem } from '../src/shared/postings';
import { Ledger, expectReplayMatches, seed, seeded, useLedger } from './support/api';
import { allEvents } from './support/test-app';

/**
 * Lending between cooperatives over HTTP with tokens for two cooperatives, a steward and an
 * auditor: cooperatives registered and read, each cooperative token acting only for its own;
 * money loans from the revolving loan fund and between cooperatives, disbursed, partly repaid
 * and the rest forgiven, with the fund's balance asserted exactly at each step.
 *
 * Each `describe` below starts its own ledger (`useLendingLedger`) and each test brings that
 * ledger to the state it needs through the given-steps here, so any test runs alone or in any
 * order. The steps replay, in the order the network lived it, what the story before that test
 * wrote; the figures a test asserts are those of exactly that state.
 */

const UNKNOWN = '4b8e2f44-8a59-4f53-9a0b-0d1b7a4c9e11';
const plan = (firstDueOn = '2026-11-01', instalments = 3) => ({ interval: 'monthly', instalments, firstDueOn });

/** A ledger with the default funds, 1 000 000 in the revolving loan fund and two cooperatives with their tokens. */
interface LendingLedger {
  readonly ledger: Ledger;
  readonly clock: FixedClock;
  readonly coopA: string;
  readonly coopB: string;
  readonly tokenA: string;
  readonly tokenB: string;
  /** What the given-steps created, by name, for the steps and tests after them. */
  readonly ids: Record<string, string>;
}

/** Starts a fresh ledger for the calling `describe`, on 2026-10-01, with Riverside Bakery (A) and Hilltop Builders (B). */
function useLendingLedger(): LendingLedger {
  const clock = new FixedClock(new Date('2026-10-01T10:00:00.000Z'));
  /** Its second steward approves loans from a fund: a steward other than the one who asked. */
  const ledger = useLedger({ clock, config: { seedFunds: 'default' } });
  const world = { ledger, clock, coopA: '', coopB: '', tokenA: '', tokenB: '', ids: {} as Record<string, string> };
  beforeAll(async () => {
    await seeded('income', seed.income(ledger, ledger.funds['revolving-loan-fund'], 1_000_000, '2026-09-01T08:00:00.000Z', { source: 'Solidarity Foundation' }));
    world.coopA = (await seeded('cooperative A', ledger.post('/v1/cooperatives', { name: 'Riverside Bakery', sector: 'food', contact: 'hello@riverside.coop' }))).cooperativeId;
    world.coopB = (await seeded('cooperative B', ledger.post('/v1/cooperatives', { name: 'Hilltop Builders', sector: 'construction', contact: 'office@hilltop.coop' }))).cooperativeId;
    world.tokenA = (await ledger.t.token('cooperative', world.coopA)).secret;
    world.tokenB = (await ledger.t.token('cooperative', world.coopB)).secret;
  });
  return world;
}

/** A loan from the fund: one steward asks, another approves. */
async function lendFromFund(w: LendingLedger, label: string, body: Record<string, unknown>) {
  const requested = await seeded(`${label} requested`, w.ledger.post('/v1/money-loans', { fromFundId: w.ledger.funds['revolving-loan-fund'], currency: 'USD', ...body }));
  return (await seeded(`${label} approved`, w.ledger.post(`/v1/money-loans/${requested.loanId}/approve`, {}, w.ledger.steward2))).loanId as string;
}

/** Given loan1: 600 000 from the revolving loan fund to A, disbursed 2026-10-01, three monthly instalments from 2026-11-01. */
async function givenFundLoanToA(w: LendingLedger) {
  w.ids.loan1 = await lendFromFund(w, 'loan1', { borrowerId: w.coopA, amountMinor: 600_000, purpose: 'new oven', disbursedOn: '2026-10-01', repayment: plan() });
}

/** Given, on 2026-11-15, A repaid 200 000 of loan1 and loan2 lent B 500 000 in five instalments from 2026-12-15. */
async function givenFirstRepaymentAndLoanToB(w: LendingLedger) {
  w.clock.set('2026-11-15T10:00:00.000Z');
  await seeded('repayment', w.ledger.post(`/v1/money-loans/${w.ids.loan1}/repayments`, { amountMinor: 200_000, currency: 'USD', paidOn: '2026-11-01' }, w.tokenA));
  w.ids.loan2 = await lendFromFund(w, 'loan2', { borrowerId: w.coopB, amountMinor: 500_000, purpose: 'new oven', disbursedOn: '2026-11-15', repayment: plan('2026-12-15', 5) });
}

/** Given, on 2026-12-20, the rest of loan1 (400 000) forgiven. */
async function givenFundLoanForgiven(w: LendingLedger) {
  w.clock.set('2026-12-20T10:00:00.000Z');
  await seeded('forgive', w.ledger.post(`/v1/money-loans/${w.ids.loan1}/forgive`, { reason: 'oven fire; the network carries the loss', forgivenOn: '2026-12-20' }));
}

/** Given B lent A 50 000 on 2026-12-20, repaid the same day. */
async function givenLoanBetweenCooperativesRepaid(w: LendingLedger) {
  const loan = await seeded('B→A', w.ledger.post('/v1/money-loans', { fromCooperativeId: w.coopB, borrowerId: w.coopA, amountMinor: 50_000, currency: 'USD', disbursedOn: '2026-12-20', repayment: plan('2027-01-20', 1) }, w.tokenB));
  w.ids.loanBA = loan.loanId;
  await seeded('B→A repaid', w.ledger.post(`/v1/money-loans/${loan.loanId}/repayments`, { amountMinor: 50_000, currency: 'USD', paidOn: '2026-12-20' }, w.tokenA));
}

/** The money-loan story: loan1 to A partly repaid then forgiven, loan2 to B, B→A repaid. */
async function givenMoneyLoanHistory(w: LendingLedger) {
  await givenFundLoanToA(w);
  await givenFirstRepaymentAndLoanToB(w);
  await givenFundLoanForgiven(w);
  await givenLoanBetweenCooperativesRepaid(w);
}

/** Given, on 2027-01-04, Valley Printers (C) with its token, and B's stand mixer and retired van. */
async function givenValleyPrintersAndBsResources(w: LendingLedger) {
  w.clock.set('2027-01-04T10:00:00.000Z');
  w.ids.coopC = (await seeded('cooperative C', w.ledger.post('/v1/cooperatives', { name: 'Valley Printers', sector: 'print', contact: 'ink@valley.coop' }))).cooperativeId;
  w.ids.tokenC = (await w.ledger.t.token('cooperative', w.ids.coopC)).secret;
  w.ids.mixer = (await seeded('mixer', w.ledger.post('/v1/resources', { ownerId: w.coopB, kind: 'equipment', description: 'Stand mixer, 20 l', condition: 'good' }, w.tokenB))).resourceId;
  w.ids.van = (await seeded('van', w.ledger.post('/v1/resources', { ownerId: w.coopB, kind: 'vehicle', description: 'Old van', condition: 'rusty', status: 'retired', reason: 'failed inspection' }))).resourceId;
}

/** Given the mixer reserved by A for 01-05..01-12 (loanA) and by C for 01-20..01-25 (loanC), and checked out to A on 2027-01-05. */
async function givenMixerReservedAndOutWithA(w: LendingLedger) {
  const reserve = (borrowerId: string, startOn: string, dueOn: string, token: string) => seeded('reserve', w.ledger.post('/v1/loans', { resourceId: w.ids.mixer, borrowerId, startOn, dueOn }, token));
  w.ids.loanA = (await reserve(w.coopA, '2027-01-05', '2027-01-12', w.tokenA)).loanId;
  w.ids.loanC = (await reserve(w.ids.coopC, '2027-01-20', '2027-01-25', w.ids.tokenC)).loanId;
  w.clock.set('2027-01-05T09:00:00.000Z');
  await seeded('checkout', w.ledger.post(`/v1/loans/${w.ids.loanA}/checkout`, {}, w.tokenB));
}

/** Given A renewed the mixer on 2027-01-12 to 01-19 and B took it back, late, on 2027-01-22. */
async function givenMixerRenewedAndReturnedLate(w: LendingLedger) {
  w.clock.set('2027-01-12T09:00:00.000Z');
  w.ids.renewal = (await seeded('renew', w.ledger.post(`/v1/loans/${w.ids.loanA}/renew`, { dueOn: '2027-01-19' }, w.tokenA))).renewalId;
  w.clock.set('2027-01-22T09:00:00.000Z');
  await seeded('return', w.ledger.post(`/v1/loans/${w.ids.renewal}/return`, { condition: 'good, bowl scratched' }, w.tokenB));
}

/** Given C's reservation checked out and the mixer damaged on it. */
async function givenMixerDamagedWithC(w: LendingLedger) {
  await seeded('checkout C', w.ledger.post(`/v1/loans/${w.ids.loanC}/checkout`, {}, w.tokenB));
  await seeded('damaged', w.ledger.post(`/v1/loans/${w.ids.loanC}/lost-or-damaged`, { outcome: 'damaged', notes: 'motor burnt out' }, w.tokenB));
}

/** The loans-of-things story: C and B's resources, the mixer lent to A, renewed, returned late, then damaged with C. */
async function givenThingLoanHistory(w: LendingLedger) {
  await givenValleyPrintersAndBsResources(w);
  await givenMixerReservedAndOutWithA(w);
  await givenMixerRenewedAndReturnedLate(w);
  await givenMixerDamagedWithC(w);
}

/** Given A's labour limit of 600 minutes, 480 minutes B worked for A (01-10) and 240 more (01-20), both confirmed. */
async function givenLabourHours(w: LendingLedger) {
  const propose = (body: Record<string, unknown>, token: string) =>
    seeded('labour', w.ledger.post('/v1/labour-exchanges', { workerId: w.coopB, receiverId: w.coopA, minutes: 480, workedOn: '2027-01-10', description: 'oven installation', ...body }, token));
  await seeded('limit', w.ledger.post(`/v1/cooperatives/${w.coopA}/labour-limit`, { limitMinutes: 600 }));
  const first = await propose({}, w.tokenA);
  await seeded('confirm', w.ledger.post(`/v1/labour-exchanges/${first.exchangeId}/confirm`, {}, w.tokenB));
  const second = await propose({ minutes: 240, workedOn: '2027-01-20', description: 'wiring' }, w.tokenB);
  await seeded('confirm', w.ledger.post(`/v1/labour-exchanges/${second.exchangeId}/confirm`, {}, w.tokenA));
}

/** The whole story up to the reports: money loans, loans of things, labour hours. */
async function givenLendingHistory(w: LendingLedger) {
  await givenMoneyLoanHistory(w);
  await givenThingLoanHistory(w);
  await givenLabourHours(w);
}

describe('lending between cooperatives over HTTP', () => {
  const fundBalance = async (ledger: Ledger, code: string, asOf?: string) =>
    (await ledger.get(`/v1/funds/${ledger.funds[code]}/balance${asOf ? `?asOf=${asOf}` : ''}`)).body.postedMinor as number;
  const trial = async (ledger: Ledger) => {
    const accounts = (await ledger.get('/v1/ledger/trial-balance')).body.accounts as { account: string; asset: string; balanceMinor: number }[];
    return (account: string) => accounts.find((a) => a.account === account && a.asset === 'USD')?.balanceMinor ?? 0;
  };

  describe('cooperatives', () => {
    // Both tests only read (or are refused): they share one ledger with the two cooperatives.
    const w = useLendingLedger();
    const { ledger } = w;
    const { post, get, refused } = ledger;

    it('refuses a taken cooperative name, bad input and non-stewards', async () => {
      const { tokenA } = w;
      await refused(() => post('/v1/cooperatives', { name: 'Riverside Bakery', sector: 'food', contact: 'x' }), 409, 'COOPERATIVE.NAME_TAKEN');
      await refused(() => post('/v1/cooperatives', { name: '', sector: 'food', contact: 'x' }), 400, 'REQUEST.INVALID');
      await refused(() => post('/v1/cooperatives', { name: 'Sneaky', sector: 'food', contact: 'x', extra: 1 }), 400, 'REQUEST.INVALID');
      const byCoop = await refused(() => post('/v1/cooperatives', { name: 'Third', sector: 'food', contact: 'x' }, tokenA), 403, 'AUTH.FORBIDDEN');
      expect(byCoop.code).toBe('AUTH.FORBIDDEN');
    });

    it('lists and shows cooperatives; a cooperative token sees only its own', async () => {
      const { coopA, tokenA, tokenB } = w;
      const all = (await get('/v1/cooperatives', ledger.auditor)).body.items;
      expect(all.map((c: { name: string }) => c.name)).toEqual(['Hilltop Builders', 'Riverside Bakery']);
      expect((await get(`/v1/cooperatives/${coopA}`, ledger.auditor)).body).toMatchObject({
        cooperativeId: coopA,
        name: 'Riverside Bakery',
        sector: 'food',
        contact: 'hello@riverside.coop',
        registeredAt: '2026-10-01T10:00:00.000Z',
      });
      expect((await get('/v1/cooperatives', tokenA)).body.items.map((c: { cooperativeId: string }) => c.cooperativeId)).toEqual([coopA]);
      expect((await get(`/v1/cooperatives/${coopA}`, tokenA)).status).toBe(200);
      // Another cooperative's id is answered exactly as an id that does not exist.
      const other = await refused(() => get(`/v1/cooperatives/${coopA}`, tokenB), 404, 'COOPERATIVE.NOT_FOUND');
      const unknown = await refused(() => get(`/v1/cooperatives/${UNKNOWN}`, tokenB), 404, 'COOPERATIVE.NOT_FOUND');
      expect(Object.keys(other).sort()).toEqual(Object.keys(unknown).sort());
      await refused(() => get(`/v1/cooperatives/${UNKNOWN}`), 404, 'COOPERATIVE.NOT_FOUND');
      await refused(() => get('/v1/cooperatives/not-a-uuid'), 400, 'REQUEST.INVALID');
    });
  });

  describe('money loans', () => {
    /** A loan from the fund: one steward asks, another approves (the test's own request, asserted). */
    const lendFromFundAsserted = async (w: LendingLedger, body: Record<string, unknown> = {}) => {
      const requested = await w.ledger.post('/v1/money-loans', fromFund(w, body));
      expect(requested.status).toBe(201);
      expect(requested.body.status).toBe('pending');
      const approved = await w.ledger.post(`/v1/money-loans/${requested.body.loanId}/approve`, {}, w.ledger.steward2);
      expect(approved.status).toBe(201);
      return approved;
    };
    const fromFund = (w: LendingLedger, body: Record<string, unknown> = {}) => ({
      fromFundId: w.ledger.funds['revolving-loan-fund'], borrowerId: w.coopA, amountMinor: 600_000, currency: 'USD', purpose: 'new oven', disbursedOn: '2026-10-01', repayment: plan(), ...body,
    });

    describe('a first loan from the fund', () => {
      const w = useLendingLedger();
      const { ledger } = w;
      const { funds, post, get, refused } = ledger;

      it('disburses from the revolving loan fund, and refuses what a fund or token may not do', async () => {
        const { coopA, coopB, tokenA } = w;
        const body = (extra: Record<string, unknown> = {}) => fromFund(w, extra);
        expect(await fundBalance(ledger, 'revolving-loan-fund')).toBe(1_000_000);
        await refused(() => post('/v1/money-loans', body({ repayment: plan('2026-10-01') })), 422, 'LOAN.DUE_BEFORE_START');
        await refused(() => post('/v1/money-loans', body({ repayment: plan('2026-09-30') })), 422, 'LOAN.DUE_BEFORE_START');
        await refused(() => post('/v1/money-loans', body({ currency: 'EUR' })), 422, 'LOAN.CURRENCY_MISMATCH');
        await refused(() => post('/v1/money-loans', body({ fromFundId: funds['water-autonomy'] })), 422, 'LOAN.FUND_RESTRICTED');
        await refused(() => post('/v1/money-loans', body({ amountMinor: 1_000_001 })), 409, 'FUND.INSUFFICIENT_AVAILABLE');
        await refused(() => post('/v1/money-loans', body({ borrowerId: UNKNOWN })), 404, 'COOPERATIVE.NOT_FOUND');
        await refused(() => post('/v1/money-loans', body({ fromCooperativeId: coopB })), 400, 'LOAN.LENDER_REQUIRED');
        await refused(() => post('/v1/money-loans', body({ disbursedOn: '2026-10-02' })), 422, 'LOAN.DATE_IN_FUTURE');
        await refused(() => post('/v1/money-loans', body({ amountMinor: 0 })), 400, 'REQUEST.INVALID');
        await refused(() => post('/v1/money-loans', body(), tokenA), 403, 'LOAN.STEWARD_ONLY');
        await refused(() => post('/v1/money-loans', body(), ledger.auditor), 403, 'AUTH.FORBIDDEN');

        const created = await lendFromFundAsserted(w);
        expect(created.body).toMatchObject({ status: 'active', disbursedOn: '2026-10-01' });
        const loan1 = created.body.loanId;
        expect(await fundBalance(ledger, 'revolving-loan-fund')).toBe(400_000);
        expect(await fundBalance(ledger, 'revolving-loan-fund', '2026-09-30')).toBe(1_000_000);
        const view = (await get(`/v1/money-loans/${loan1}?asOf=2026-10-01`, ledger.auditor)).body;
        expect(view).toMatchObject({
          loanId: loan1,
          lender: { kind: 'fund', fundId: funds['revolving-loan-fund'], fundCode: 'revolving-loan-fund' },
          lenderAccount: 'fund:revolving-loan-fund',
          borrowerId: coopA,
          amountMinor: 600_000,
          interestRateBasisPoints: 0,
          schedule: [
            { dueOn: '2026-11-01', amountMinor: 200_000 },
            { dueOn: '2026-12-01', amountMinor: 200_000 },
            { dueOn: '2027-01-01', amountMinor: 200_000 },
          ],
          standing: { status: 'current', paidMinor: 0, forgivenMinor: 0, outstandingMinor: 600_000, dueMinor: 0, behindMinor: 0, nextDueOn: '2026-11-01' },
        });
        // Only 400 000 is left in the fund: a second loan of 500 000 waits for repayments.
        await refused(() => post('/v1/money-loans', body({ borrowerId: coopB, amountMinor: 500_000 })), 409, 'FUND.INSUFFICIENT_AVAILABLE');
        const lookup = await trial(ledger);
        expect(lookup(`loan:${loan1}`)).toBe(600_000);
      });
    });

    describe('repayments', () => {
      const w = useLendingLedger();
      const { ledger, clock } = w;
      const { funds, post, get, refused } = ledger;

      it('takes repayments back into the fund, where they can be lent again; refuses overpayment and other cooperatives', async () => {
        await givenFundLoanToA(w);
        const { coopB, tokenA, tokenB } = w;
        const { loan1 } = w.ids;
        clock.set('2026-11-15T10:00:00.000Z');
        const repay = (amountMinor: number, paidOn = '2026-11-01', token = tokenA) => post(`/v1/money-loans/${loan1}/repayments`, { amountMinor, currency: 'USD', paidOn }, token);
        await refused(() => repay(200_000, '2026-11-01', tokenB), 404, 'LOAN.NOT_FOUND');
        await refused(() => repay(600_001), 422, 'LOAN.OVERPAYMENT');
        await refused(() => repay(1000, '2026-09-30'), 422, 'LOAN.BEFORE_DISBURSEMENT');
        await refused(() => repay(1000, '2026-11-16'), 422, 'LOAN.DATE_IN_FUTURE');
        await refused(() => post(`/v1/money-loans/${UNKNOWN}/repayments`, { amountMinor: 1, currency: 'USD', paidOn: '2026-11-01' }), 404, 'LOAN.NOT_FOUND');
        const paid = await repay(200_000);
        expect(paid.status).toBe(201);
        expect(paid.body).toMatchObject({ loanId: loan1, status: 'active', outstandingMinor: 400_000 });
        expect(await fundBalance(ledger, 'revolving-loan-fund')).toBe(600_000);
        expect(await fundBalance(ledger, 'revolving-loan-fund', '2026-10-31')).toBe(400_000);
        const journal = (await get(`/v1/funds/${funds['revolving-loan-fund']}/journal?kind=loan-repayment`)).body.items;
        expect(journal).toMatchObject([{ movementId: loan1, kind: 'loan-repayment', eventType: 'MoneyLoanRepaid', counterparty: `loan:${loan1}`, deltaMinor: 200_000 }]);
        expect((await get(`/v1/funds/${funds['revolving-loan-fund']}/journal?kind=loan-disbursement`)).body.items).toMatchObject([{ movementId: loan1, deltaMinor: -600_000 }]);
        expect((await get(`/v1/money-loans/${loan1}?asOf=2026-11-15`, tokenA)).body.standing).toEqual({
          status: 'current', paidMinor: 200_000, forgivenMinor: 0, outstandingMinor: 400_000, dueMinor: 200_000, behindMinor: 0, nextDueOn: '2026-12-01',
        });
        // Repaid money is lent again.
        const second = await lendFromFundAsserted(w, { borrowerId: coopB, amountMinor: 500_000, disbursedOn: '2026-11-15', repayment: plan('2026-12-15', 5) });
        const loan2 = second.body.loanId;
        expect(await fundBalance(ledger, 'revolving-loan-fund')).toBe(100_000);
        await refused(() => get(`/v1/money-loans/${loan2}`, tokenA), 404, 'LOAN.NOT_FOUND');
      });
    });

    describe('being behind and forgiveness', () => {
      const w = useLendingLedger();
      const { ledger, clock } = w;
      const { post, get, refused } = ledger;

      it('derives being behind from the schedule as of any date, and forgives the remainder as an explicit event', async () => {
        await givenFundLoanToA(w);
        await givenFirstRepaymentAndLoanToB(w);
        const { tokenA, tokenB } = w;
        const { loan1, loan2 } = w.ids;
        clock.set('2026-12-20T10:00:00.000Z');
        expect((await get(`/v1/money-loans/${loan1}?asOf=2026-12-15`, ledger.auditor)).body.standing).toEqual({
          status: 'behind', paidMinor: 200_000, forgivenMinor: 0, outstandingMinor: 400_000, dueMinor: 400_000, behindMinor: 200_000, nextDueOn: '2027-01-01',
        });
        // The second loan's first instalment of 100 000 fell due on 2026-12-15 and is unpaid: behind as well.
        expect((await get('/v1/money-loans?status=behind&asOf=2026-12-15', ledger.auditor)).body.items.map((l: { loanId: string }) => l.loanId)).toEqual([loan1, loan2]);
        expect((await get('/v1/money-loans?status=behind&asOf=2026-12-14', ledger.auditor)).body.items.map((l: { loanId: string }) => l.loanId)).toEqual([loan1]);
        expect((await get(`/v1/money-loans/${loan2}?asOf=2026-12-15`, tokenB)).body.standing).toMatchObject({ status: 'behind', dueMinor: 100_000, behindMinor: 100_000 });
        const forgive = (token = ledger.steward, forgivenOn = '2026-12-20') => post(`/v1/money-loans/${loan1}/forgive`, { reason: 'oven fire; the network carries the loss', forgivenOn }, token);
        await refused(() => forgive(tokenA), 403, 'LOAN.STEWARD_ONLY');
        const forgiven = await forgive();
        expect(forgiven.status).toBe(201);
        expect(forgiven.body).toMatchObject({ status: 'forgiven', outstandingMinor: 0 });
        // Forgiveness writes off the receivable; it does not put money back into the fund.
        expect(await fundBalance(ledger, 'revolving-loan-fund')).toBe(100_000);
        await refused(() => forgive(), 409, 'LOAN.CLOSED');
        await refused(() => post(`/v1/money-loans/${loan1}/repayments`, { amountMinor: 1, currency: 'USD', paidOn: '2026-12-20' }, tokenA), 409, 'LOAN.CLOSED');
        const view = (await get(`/v1/money-loans/${loan1}?asOf=2026-12-20`, ledger.auditor)).body;
        expect(view.standing).toEqual({ status: 'forgiven', paidMinor: 200_000, forgivenMinor: 400_000, outstandingMinor: 0, dueMinor: 400_000, behindMinor: 0 });
        expect(view.forgiveness).toEqual({ forgivenOn: '2026-12-20', amountMinor: 400_000, reason: 'oven fire; the network carries the loss' });
        // Before the forgiveness date it was still owed.
        expect((await get(`/v1/money-loans/${loan1}?asOf=2026-12-19`, ledger.auditor)).body.standing.status).toBe('behind');
        const lookup = await trial(ledger);
        expect(lookup(`loan:${loan1}`)).toBe(0);
        expect(lookup(`loan:${loan2}`)).toBe(500_000);
        expect(lookup('expense:loan-forgiveness')).toBe(400_000);
        expect(lookup('fund:revolving-loan-fund')).toBe(100_000);
      });
    });

    describe('between cooperatives', () => {
      const w = useLendingLedger();
      const { ledger } = w;
      const { post, get, refused } = ledger;

      it('lends between two cooperatives; a cooperative acts only for itself and never lends to itself', async () => {
        await givenFundLoanToA(w);
        await givenFirstRepaymentAndLoanToB(w);
        await givenFundLoanForgiven(w);
        const { coopA, coopB, tokenA, tokenB } = w;
        const { loan1 } = w.ids;
        const body = { fromCooperativeId: coopB, borrowerId: coopA, amountMinor: 50_000, currency: 'USD', disbursedOn: '2026-12-20', repayment: plan('2027-01-20', 1) };
        await refused(() => post('/v1/money-loans', body, tokenA), 403, 'COOPERATIVE.ACTING_FOR_ANOTHER');
        await refused(() => post('/v1/money-loans', { ...body, borrowerId: coopB }, tokenB), 422, 'LOAN.SELF_LOAN');
        const created = await post('/v1/money-loans', body, tokenB);
        expect(created.status).toBe(201);
        const loanId = created.body.loanId;
        await refused(() => post(`/v1/money-loans/${loanId}/forgive`, { reason: 'x', forgivenOn: '2026-12-20' }, tokenA), 403, 'COOPERATIVE.ACTING_FOR_ANOTHER');
        const repaid = await post(`/v1/money-loans/${loanId}/repayments`, { amountMinor: 50_000, currency: 'USD', paidOn: '2026-12-20' }, tokenA);
        expect(repaid.body).toMatchObject({ status: 'repaid', outstandingMinor: 0 });
        expect((await get(`/v1/money-loans/${loanId}`, tokenB)).body).toMatchObject({ lenderAccount: `coop:${coopB}`, standing: { status: 'repaid', paidMinor: 50_000 } });
        const mine = (await get('/v1/money-loans', tokenA)).body.items.map((l: { loanId: string }) => l.loanId);
        expect(mine).toEqual([loan1, loanId]);
        // Filtered by another cooperative: empty, as for a cooperative that does not exist.
        expect((await get(`/v1/money-loans?cooperativeId=${coopB}`, tokenA)).body.items).toEqual([]);
        expect((await get(`/v1/money-loans?cooperativeId=${UNKNOWN}`, tokenA)).body.items).toEqual([]);
        expect((await trial(ledger))(`coop:${coopB}`)).toBe(0);
      });
    });
  });

  describe('resources and loans of things', () => {
    const ids = (items: { loanId: string }[]) => items.map((l) => l.loanId);

    describe('registering resources', () => {
      const w = useLendingLedger();
      const { ledger, clock } = w;
      const { post, get, refused } = ledger;

      it('registers resources for their owner only, and lists them by kind, owner and availability', async () => {
        await givenMoneyLoanHistory(w);
        const { coopA, coopB, tokenA, tokenB } = w;
        clock.set('2027-01-04T10:00:00.000Z');
        expect((await post('/v1/cooperatives', { name: 'Valley Printers', sector: 'print', contact: 'ink@valley.coop' })).status).toBe(201);
        const resource = { ownerId: coopB, kind: 'equipment', description: 'Stand mixer, 20 l', condition: 'good' };
        await refused(() => post('/v1/resources', resource, tokenA), 403, 'COOPERATIVE.ACTING_FOR_ANOTHER');
        await refused(() => post('/v1/resources', { ...resource, status: 'retired' }, tokenB), 400, 'RESOURCE.REASON_REQUIRED');
        await refused(() => post('/v1/resources', { ...resource, kind: 'spaceship' }, tokenB), 400, 'REQUEST.INVALID');
        const created = await post('/v1/resources', resource, tokenB);
        expect(created.status).toBe(201);
        const mixer = created.body.resourceId;
        const van = (await post('/v1/resources', { ownerId: coopB, kind: 'vehicle', description: 'Old van', condition: 'rusty', status: 'retired', reason: 'failed inspection' })).body.resourceId;
        await refused(() => post('/v1/loans', { resourceId: van, borrowerId: coopA, startOn: '2027-01-05', dueOn: '2027-01-06' }, tokenA), 409, 'RESOURCE.RETIRED');
        expect((await get(`/v1/resources?ownerId=${coopB}`, ledger.auditor)).body.items.map((r: { resourceId: string }) => r.resourceId)).toEqual([mixer, van]);
        expect((await get('/v1/resources?kind=vehicle', tokenA)).body.items).toMatchObject([{ resourceId: van, status: 'retired', reason: 'failed inspection' }]);
        expect((await get('/v1/resources?available=true', tokenA)).body.items.map((r: { resourceId: string }) => r.resourceId)).toEqual([mixer]);
      });
    });

    describe('reserving and checking out', () => {
      const w = useLendingLedger();
      const { ledger, clock } = w;
      const { post, get, refused } = ledger;

      it('reserves, refusing overlaps, bad dates and borrowing for another; checks out by the owner only', async () => {
        await givenMoneyLoanHistory(w);
        await givenValleyPrintersAndBsResources(w);
        const { coopA, coopB, tokenA, tokenB } = w;
        const { coopC, tokenC, mixer } = w.ids;
        const reserve = (borrowerId: string, startOn: string, dueOn: string, token: string) => post('/v1/loans', { resourceId: mixer, borrowerId, startOn, dueOn }, token);
        await refused(() => reserve(coopA, '2027-01-05', '2027-01-04', tokenA), 422, 'LOAN.DUE_BEFORE_START');
        await refused(() => reserve(coopA, '2027-01-05', '2027-01-12', tokenC), 403, 'COOPERATIVE.ACTING_FOR_ANOTHER');
        await refused(() => reserve(coopB, '2027-01-05', '2027-01-12', tokenB), 422, 'LOAN.OWN_RESOURCE');
        const a = await reserve(coopA, '2027-01-05', '2027-01-12', tokenA);
        expect(a.status).toBe(201);
        const loanA = a.body.loanId;
        await refused(() => reserve(coopC, '2027-01-10', '2027-01-15', tokenC), 409, 'LOAN.RESERVATION_OVERLAPS');
        const c = await reserve(coopC, '2027-01-20', '2027-01-25', tokenC);
        expect(c.status).toBe(201);
        await refused(() => post(`/v1/loans/${loanA}/checkout`, {}, tokenB), 422, 'LOAN.NOT_STARTED');
        clock.set('2027-01-05T09:00:00.000Z');
        await refused(() => post(`/v1/loans/${loanA}/checkout`, {}, tokenA), 403, 'COOPERATIVE.ACTING_FOR_ANOTHER');
        expect((await post(`/v1/loans/${loanA}/checkout`, {}, tokenB)).status).toBe(201);
        await refused(() => post(`/v1/loans/${loanA}/checkout`, {}, tokenB), 409, 'LOAN.NOT_RESERVED');
        expect((await get(`/v1/resources/${mixer}`, tokenA)).body).toMatchObject({ status: 'on-loan', onLoan: loanA });
        expect((await get('/v1/resources?available=true', tokenA)).body.items).toEqual([]);
      });
    });

    describe('renewing and returning late', () => {
      const w = useLendingLedger();
      const { ledger, clock } = w;
      const { post, get, refused } = ledger;

      it('renews only for the borrower and not into another reservation; a late return is overdue on the right dates', async () => {
        await givenMoneyLoanHistory(w);
        await givenValleyPrintersAndBsResources(w);
        await givenMixerReservedAndOutWithA(w);
        const { tokenA, tokenB } = w;
        const { tokenC, mixer, loanA, loanC } = w.ids;
        clock.set('2027-01-12T09:00:00.000Z');
        await refused(() => post(`/v1/loans/${loanA}/renew`, { dueOn: '2027-01-19' }, tokenB), 403, 'COOPERATIVE.ACTING_FOR_ANOTHER');
        await refused(() => post(`/v1/loans/${loanA}/renew`, { dueOn: '2027-01-22' }, tokenA), 409, 'LOAN.RESERVED_BY_ANOTHER');
        await refused(() => post(`/v1/loans/${loanA}/renew`, { dueOn: '2027-01-10' }, tokenA), 422, 'LOAN.DUE_BEFORE_START');
        const renewed = await post(`/v1/loans/${loanA}/renew`, { dueOn: '2027-01-19' }, tokenA);
        expect(renewed.status).toBe(201);
        const renewal = renewed.body.renewalId;
        clock.set('2027-01-22T09:00:00.000Z');
        await refused(() => post(`/v1/loans/${loanA}/return`, { condition: 'good' }, tokenB), 409, 'LOAN.NOT_OUT');
        // C's reservation has started, but the mixer is still out with A (overdue): it is not lent twice.
        await refused(() => post(`/v1/loans/${loanC}/checkout`, {}, tokenB), 409, 'RESOURCE.ON_LOAN');
        const back = await post(`/v1/loans/${renewal}/return`, { condition: 'good, bowl scratched' }, tokenB);
        expect(back.status).toBe(201);
        await refused(() => post(`/v1/loans/${renewal}/return`, { condition: 'good' }, tokenB), 409, 'LOAN.ALREADY_RETURNED');
        const overdue = async (asOf: string) => ids((await get(`/v1/loans?status=overdue&asOf=${asOf}`, ledger.auditor)).body.items);
        expect(await overdue('2027-01-12')).toEqual([]);
        expect(await overdue('2027-01-19')).toEqual([]);
        expect(await overdue('2027-01-20')).toEqual([renewal]);
        expect(await overdue('2027-01-21')).toEqual([renewal]);
        expect(await overdue('2027-01-22')).toEqual([]);
        expect((await get(`/v1/loans/${loanA}`, tokenA)).body).toMatchObject({ status: 'renewed', renewedBy: renewal, checkedOutOn: '2027-01-05', endedOn: '2027-01-12' });
        expect((await get(`/v1/loans/${renewal}`, tokenA)).body).toMatchObject({
          status: 'returned', renewalOf: loanA, startOn: '2027-01-12', dueOn: '2027-01-19', endedOn: '2027-01-22', returnedLate: true, returnCondition: 'good, bowl scratched',
        });
        expect((await get(`/v1/loans/${renewal}?asOf=2027-01-15`, tokenA)).body.status).toBe('out');
        expect((await get(`/v1/resources/${mixer}`, tokenB)).body).toMatchObject({ status: 'available', condition: 'good, bowl scratched' });
        await refused(() => get(`/v1/loans/${renewal}`, tokenC), 404, 'LOAN.NOT_FOUND');
      });
    });

    describe('damage', () => {
      const w = useLendingLedger();
      const { ledger } = w;
      const { post, get, refused } = ledger;

      it('records damage on a loan: the resource goes in for repair and is not lent meanwhile', async () => {
        await givenMoneyLoanHistory(w);
        await givenValleyPrintersAndBsResources(w);
        await givenMixerReservedAndOutWithA(w);
        await givenMixerRenewedAndReturnedLate(w);
        const { coopA, tokenA, tokenB } = w;
        const { tokenC, mixer, loanC } = w.ids;
        expect((await post(`/v1/loans/${loanC}/checkout`, {}, tokenB)).status).toBe(201);
        const damaged = await post(`/v1/loans/${loanC}/lost-or-damaged`, { outcome: 'damaged', notes: 'motor burnt out' }, tokenB);
        expect(damaged.status).toBe(201);
        expect((await get(`/v1/loans/${loanC}`, tokenC)).body).toMatchObject({ status: 'damaged', notes: 'motor burnt out' });
        expect((await get(`/v1/resources/${mixer}`, tokenB)).body).toMatchObject({ status: 'in-repair' });
        await refused(() => post('/v1/loans', { resourceId: mixer, borrowerId: coopA, startOn: '2027-02-01', dueOn: '2027-02-02' }, tokenA), 409, 'RESOURCE.IN_REPAIR');
        expect(ids((await get('/v1/loans', tokenC)).body.items)).toEqual([loanC]);
      });
    });
  });

  describe('labour hours', () => {
    const w = useLendingLedger();
    const { ledger } = w;
    const { post, get, refused } = ledger;
    const propose = (body: Record<string, unknown>, token: string) =>
      post('/v1/labour-exchanges', { workerId: w.coopB, receiverId: w.coopA, minutes: 480, workedOn: '2027-01-10', description: 'oven installation', ...body }, token);
    const balances = async (asOf: string, token = ledger.auditor) =>
      Object.fromEntries(((await get(`/v1/labour-balances?asOf=${asOf}`, token)).body.items as { cooperativeId: string; balanceMinutes: number; flagged: boolean }[])
        .map((b) => [b.cooperativeId, { balance: b.balanceMinutes, flagged: b.flagged }]));

    it('moves minutes only when both sides confirmed, zero-sum, and flags a balance past its limit without blocking', async () => {
      await givenMoneyLoanHistory(w);
      await givenThingLoanHistory(w);
      const { coopA, coopB, tokenA, tokenB } = w;
      const coopC = (await get('/v1/cooperatives', ledger.auditor)).body.items.find((c: { name: string }) => c.name === 'Valley Printers').cooperativeId;
      const tokenC = (await ledger.t.token('cooperative', coopC)).secret;
      await refused(() => post(`/v1/cooperatives/${coopA}/labour-limit`, { limitMinutes: 600 }, tokenA), 403, 'AUTH.FORBIDDEN');
      expect((await post(`/v1/cooperatives/${coopA}/labour-limit`, { limitMinutes: 600 })).status).toBe(201);
      await refused(() => propose({}, ledger.steward), 403, 'AUTH.FORBIDDEN');
      await refused(() => propose({}, tokenC), 403, 'COOPERATIVE.ACTING_FOR_ANOTHER');
      await refused(() => propose({ workerId: coopA }, tokenA), 422, 'LABOUR.SAME_COOPERATIVE');
      await refused(() => propose({ minutes: 0 }, tokenA), 400, 'REQUEST.INVALID');
      const first = await propose({}, tokenA);
      expect(first.status).toBe(201);
      const e1 = first.body.exchangeId;
      expect((await balances('2027-01-22'))[coopA]).toEqual({ balance: 0, flagged: false });
      await refused(() => post(`/v1/labour-exchanges/${e1}/confirm`, {}, tokenA), 409, 'LABOUR.COUNTERPART_CONFIRMATION_REQUIRED');
      await refused(() => post(`/v1/labour-exchanges/${e1}/confirm`, {}, tokenC), 404, 'LABOUR.NOT_FOUND');
      expect((await post(`/v1/labour-exchanges/${e1}/confirm`, {}, tokenB)).status).toBe(201);
      await refused(() => post(`/v1/labour-exchanges/${e1}/confirm`, {}, tokenB), 409, 'LABOUR.ALREADY_CONFIRMED');
      let now = await balances('2027-01-22');
      expect([now[coopA], now[coopB], now[coopC]]).toEqual([{ balance: -480, flagged: false }, { balance: 480, flagged: false }, { balance: 0, flagged: false }]);

      const second = await propose({ minutes: 240, workedOn: '2027-01-20', description: 'wiring' }, tokenB);
      expect((await post(`/v1/labour-exchanges/${second.body.exchangeId}/confirm`, {}, tokenA)).status).toBe(201);
      now = await balances('2027-01-22');
      // Past A's limit of 600 minutes: flagged, and the exchange was still accepted.
      expect([now[coopA], now[coopB]]).toEqual([{ balance: -720, flagged: true }, { balance: 720, flagged: false }]);
      expect((await balances('2027-01-15'))[coopA]).toEqual({ balance: -480, flagged: false });
      expect(Object.keys(await balances('2027-01-22', tokenA))).toEqual([coopA]);
      const trialLabour = ((await get('/v1/ledger/trial-balance')).body.accounts as { account: string; asset: string; balanceMinor: number }[]).filter((a) => a.asset === 'labour-minutes');
      expect(trialLabour.reduce((sum, a) => sum + a.balanceMinor, 0)).toBe(0);
      const exchanges = (await get('/v1/labour-exchanges', tokenB)).body.items;
      expect(exchanges).toMatchObject([
        { exchangeId: e1, workerId: coopB, receiverId: coopA, minutes: 480, proposedBy: coopA, status: 'confirmed' },
        { minutes: 240, proposedBy: coopB, status: 'confirmed' },
      ]);
    });
  });

  describe('after the whole story: reports, the loan events, verify and replay', () => {
    // Every test here only reads the state the story wrote, so they share one ledger.
    const w = useLendingLedger();
    const { ledger } = w;
    const { get, refused } = ledger;
    beforeAll(() => givenLendingHistory(w));

    it('every loan event carries balanced postings for ledger verify', async () => {
      const loanEvents = (await allEvents(ledger.t.store)).filter((e) => e.type.startsWith('MoneyLoan'));
      expect(loanEvents.map((e) => e.type)).toEqual([
        'MoneyLoanRequested', 'MoneyLoanDisbursed', 'MoneyLoanRepaid', 'MoneyLoanRequested', 'MoneyLoanDisbursed', 'MoneyLoanForgiven', 'MoneyLoanDisbursed', 'MoneyLoanRepaid',
      ]);
      for (const e of loanEvents.filter((x) => x.type !== 'MoneyLoanRequested')) expect(postingProblem((e.data as { postings: unknown }).postings)).toBeUndefined();
    });

    it("reports per cooperative what it lent and borrowed, outstanding and overdue, as of any date", async () => {
      const { coopA, coopB, tokenA } = w;
      const a = (await get(`/v1/cooperatives/${coopA}/lending-report?asOf=2027-01-22`, tokenA)).body;
      expect(a.money).toMatchObject({
        lent: [],
        borrowed: [{ currency: 'USD', loans: 2, amountMinor: 650_000, paidMinor: 250_000, forgivenMinor: 400_000, outstandingMinor: 0, behindMinor: 0 }],
      });
      expect(a.things.lent).toEqual({ loans: 0, reserved: 0, out: 0, overdue: 0, returnedLate: 0, lostOrDamaged: 0 });
      expect(a.things.borrowed).toEqual({ loans: 2, reserved: 0, out: 0, overdue: 0, returnedLate: 1, lostOrDamaged: 0 });
      expect(a.hours).toEqual({ workedMinutes: 0, receivedMinutes: 720, balanceMinutes: -720, limitMinutes: 600, flagged: true });
      const aEarlier = (await get(`/v1/cooperatives/${coopA}/lending-report?asOf=2027-01-20`, tokenA)).body;
      expect(aEarlier.things.borrowed).toMatchObject({ out: 0, overdue: 1 });
      expect(aEarlier.hours).toMatchObject({ balanceMinutes: -720, flagged: true });
      expect((await get(`/v1/cooperatives/${coopA}/lending-report?asOf=2027-01-15`, tokenA)).body.hours).toMatchObject({ balanceMinutes: -480, flagged: false });

      const b = (await get(`/v1/cooperatives/${coopB}/lending-report?asOf=2027-01-22`, ledger.auditor)).body;
      expect(b.money.lent).toEqual([{ currency: 'USD', loans: 1, amountMinor: 50_000, paidMinor: 50_000, forgivenMinor: 0, outstandingMinor: 0, behindMinor: 0 }]);
      expect(b.money.borrowed).toEqual([{ currency: 'USD', loans: 1, amountMinor: 500_000, paidMinor: 0, forgivenMinor: 0, outstandingMinor: 500_000, behindMinor: 200_000 }]);
      expect(b.things.lent).toEqual({ loans: 3, reserved: 0, out: 0, overdue: 0, returnedLate: 1, lostOrDamaged: 1 });
      expect(b.hours).toEqual({ workedMinutes: 720, receivedMinutes: 0, balanceMinutes: 720, flagged: false });
      await refused(() => get(`/v1/cooperatives/${coopB}/lending-report`, tokenA), 404, 'COOPERATIVE.NOT_FOUND');

      const csv = await ledger.t.request('GET', `/v1/cooperatives/${coopB}/lending-report?asOf=2027-01-22`, { token: ledger.auditor, headers: { accept: 'text/csv' } });
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      const lines = csv.text.trim().split('\r\n');
      expect(lines[0]).toBe('section,cooperativeId,from,to,kind,id,status,currency,amountMinor,paidMinor,forgivenMinor,outstandingMinor,behindMinor,loans,minutes,days,daysOnLoan,utilisation');
      expect(lines).toContain(`money-borrowed,${coopB},,,,,,USD,500000,0,0,500000,200000,1,,,,`);
      expect(lines).toContain(`hours,${coopB},,,,,within-limit,,,,,,,,720,,,`);
    });

    it('reports the network: who lent to whom and how much, utilisation of shared resources, what is behind and overdue', async () => {
      const { coopA, coopB, tokenA } = w;
      const r = (await get('/v1/lending/report?asOf=2027-01-22', ledger.auditor)).body;
      expect(r.money).toEqual([{ currency: 'USD', loans: 3, amountMinor: 1_150_000, paidMinor: 250_000, forgivenMinor: 400_000, outstandingMinor: 500_000, behindMinor: 200_000 }]);
      expect(r.flows).toHaveLength(6);
      expect(r.flows).toEqual(expect.arrayContaining([
        { kind: 'money', from: 'fund:revolving-loan-fund', to: coopA, currency: 'USD', amountMinor: 600_000, outstandingMinor: 0, loans: 1 },
        { kind: 'money', from: 'fund:revolving-loan-fund', to: coopB, currency: 'USD', amountMinor: 500_000, outstandingMinor: 500_000, loans: 1 },
        { kind: 'money', from: coopB, to: coopA, currency: 'USD', amountMinor: 50_000, outstandingMinor: 0, loans: 1 },
        { kind: 'things', from: coopB, to: coopA, loans: 1 },
        expect.objectContaining({ kind: 'things', from: coopB, loans: 1 }),
        { kind: 'hours', from: coopB, to: coopA, minutes: 720 },
      ]));
      // The mixer: registered 2027-01-04, 19 days to 2027-01-22; out 01-05..01-12 (7 days) and, renewed, 01-12..01-22 (10 days).
      expect(r.utilisation).toMatchObject([
        { kind: 'equipment', ownerId: coopB, since: '2027-01-04', days: 19, daysOnLoan: 17, utilisation: 0.8947 },
        { kind: 'vehicle', days: 19, daysOnLoan: 0, utilisation: 0 },
      ]);
      expect(r.overdueThings).toEqual([]);
      expect(r.moneyBehind).toMatchObject([{ borrowerId: coopB, behindMinor: 200_000, outstandingMinor: 500_000 }]);
      const earlier = (await get('/v1/lending/report?asOf=2027-01-20', ledger.auditor)).body;
      expect(earlier.overdueThings).toMatchObject([{ borrowerId: coopA, status: 'overdue', dueOn: '2027-01-19' }]);
      await refused(() => get('/v1/lending/report?asOf=2027-02-30', ledger.auditor), 400, 'REQUEST.INVALID');
      // Outside the supported range: refused, never a 500.
      await refused(() => get('/v1/lending/report?asOf=1900-01-01', ledger.auditor), 400, 'REQUEST.INVALID');
      await refused(() => get(`/v1/cooperatives/${coopA}/lending-report?asOf=9999-12-31`, ledger.auditor), 400, 'REQUEST.INVALID');
      await refused(() => get('/v1/lending/report', tokenA), 403, 'AUTH.FORBIDDEN');
      const csv = await ledger.t.request('GET', '/v1/lending/report?asOf=2027-01-22', { token: ledger.auditor, headers: { accept: 'text/csv' } });
      expect(csv.text).toContain(`utilisation,${coopB},,,equipment,`);
    });

    it('passes ledger verify (loan and labour postings balance) and replays to the very same read models', async () => {
      expect((await get('/v1/audit/verify', ledger.auditor)).body).toMatchObject({ ok: true, problems: [] });
      await expectReplayMatches(ledger.t);
    });
  });

  describe('deposits and fees of loans of things', () => {
    const w = useLendingLedger();
    const { ledger, clock } = w;
    const { post, get, refused } = ledger;

    it('takes a deposit at check-out and gives it back on return; a waived fee is not charged', async () => {
      await givenLendingHistory(w);
      const { coopA, coopB, tokenA, tokenB } = w;
      const coopC = () => w.ids.coopC;
      clock.set('2027-01-22T12:00:00.000Z');
      const projector = (await post('/v1/resources', { ownerId: coopA, kind: 'equipment', description: 'Projector', condition: 'good' }, tokenA)).body.resourceId;
      const reserve = (body: Record<string, unknown>, token = tokenB) => post('/v1/loans', { resourceId: projector, borrowerId: coopB, startOn: '2027-01-22', dueOn: '2027-01-24', ...body }, token);
      await refused(() => reserve({ depositMinor: 5_000 }), 400, 'LOAN.CHARGES_INVALID');
      await refused(() => reserve({ depositMinor: 0, feeMinor: 0, currency: 'USD' }), 400, 'LOAN.CHARGES_INVALID');
      const loan = (await reserve({ depositMinor: 5_000, feeMinor: 1_000, currency: 'USD' })).body.loanId;
      expect((await post(`/v1/loans/${loan}/checkout`, {}, tokenA)).status).toBe(201);
      let balance = await trial(ledger);
      expect([balance(`coop:${coopB}`), balance(`deposit:${loan}`)]).toEqual([-5_000, 5_000]);
      await refused(() => post(`/v1/loans/${loan}/waive`, { charge: 'fee', reason: 'we are friends' }, tokenB), 403, 'COOPERATIVE.ACTING_FOR_ANOTHER');
      expect((await post(`/v1/loans/${loan}/waive`, { charge: 'fee', reason: 'solidarity' }, tokenA)).status).toBe(201);
      await refused(() => post(`/v1/loans/${loan}/waive`, { charge: 'fee', reason: 'again' }, tokenA), 409, 'LOAN.CHARGE_ALREADY_WAIVED');
      expect((await post(`/v1/loans/${loan}/return`, { condition: 'good' }, tokenA)).status).toBe(201);
      balance = await trial(ledger);
      expect([balance(`coop:${coopB}`), balance(`deposit:${loan}`), balance(`coop:${coopA}`)]).toEqual([0, 0, 0]);
      expect((await get(`/v1/loans/${loan}`, tokenB)).body.charges).toEqual({
        currency: 'USD', depositMinor: 5_000, feeMinor: 1_000, depositWaived: false, feeWaived: true, depositTaken: true, depositReturnedMinor: 5_000, depositKeptMinor: 0, feeChargedMinor: 0,
      });
      await refused(() => post(`/v1/loans/${loan}/waive`, { charge: 'deposit', reason: 'late' }, tokenA), 409, 'LOAN.NOT_OUT');

      // A cancelled reservation frees its days; only a reservation can be cancelled, by either side.
      const booked = (await reserve({ startOn: '2027-01-23', dueOn: '2027-01-24' })).body.loanId;
      await refused(() => reserve({ startOn: '2027-01-24', dueOn: '2027-01-24' }), 409, 'LOAN.RESERVATION_OVERLAPS');
      const valley = (await ledger.t.token('cooperative', coopC())).secret;
      await refused(() => post(`/v1/loans/${booked}/cancel`, { reason: 'plans changed' }, valley), 404, 'LOAN.NOT_FOUND');
      expect((await post(`/v1/loans/${booked}/cancel`, { reason: 'plans changed' }, tokenB)).status).toBe(201);
      await refused(() => post(`/v1/loans/${booked}/cancel`, { reason: 'again' }, tokenA), 409, 'LOAN.NOT_RESERVED');
      expect((await get(`/v1/loans/${booked}`, tokenA)).body).toMatchObject({ status: 'cancelled', endedOn: '2027-01-22', notes: 'plans changed' });
      const rebooked = await reserve({ startOn: '2027-01-24', dueOn: '2027-01-24' });
      expect(rebooked.status).toBe(201);
      expect((await post(`/v1/loans/${rebooked.body.loanId}/cancel`, { reason: 'not needed' }, tokenA)).status).toBe(201);

      // Lost: the owner keeps the deposit, and the fee is paid.
      clock.set('2027-01-25T12:00:00.000Z');
      const second = (await post('/v1/loans', { resourceId: projector, borrowerId: coopC(), startOn: '2027-01-25', dueOn: '2027-01-26', depositMinor: 2_000, feeMinor: 500, currency: 'USD' })).body.loanId;
      expect((await post(`/v1/loans/${second}/checkout`, {}, tokenA)).status).toBe(201);
      expect((await post(`/v1/loans/${second}/lost-or-damaged`, { outcome: 'lost', notes: 'left on a train' }, tokenA)).status).toBe(201);
      balance = await trial(ledger);
      expect([balance(`coop:${coopA}`), balance(`coop:${coopC()}`), balance(`deposit:${second}`)]).toEqual([2_500, -2_500, 0]);
      expect((await get(`/v1/resources/${projector}`, tokenA)).body).toMatchObject({ status: 'retired' });
    });
  });
});
