import { ledgerEventCatalogue } from '../src/composition';
import { LENDING_EVENTS } from '../src/modules/lending/lending.events';
import { FixedClock } from '../src/shared/clock';
import { Ledger, created, fieldsOf as fields, useLedger } from './support/api';
import { TestResponse, allEvents } from './support/test-app';

/**
 * The rules of issue 10 for lending, as a hostile client would try them: bad input refused at the
 * edge (never a 500, never an event the catalogue would refuse), every dated fact refused in a
 * closed period, loans from a fund approved by a second steward, check-outs, renewals and
 * returns recorded after the fact, and cooperative tokens answered 404 — exactly as for an
 * unknown id — for anything their cooperative is not party to. Every refusal leaves the log head
 * where it was.
 *
 * Each `describe` below has its own ledger (`useRulesLedger`); a test that writes has one of its
 * own, and tests that only read (or write only what no other reads) share one. The given-steps
 * replay, in order, what the story wrote before the test, so any test runs alone or in any order.
 */

const UNKNOWN = '4b8e2f44-8a59-4f53-9a0b-0d1b7a4c9e11';
const plan = { interval: 'monthly', instalments: 2, firstDueOn: '2027-04-10' };

/** A ledger on 2027-03-10 with 100 000 in the revolving loan fund and three cooperatives with tokens. */
interface RulesLedger {
  readonly ledger: Ledger;
  readonly clock: FixedClock;
  coopA: string;
  coopB: string;
  coopC: string;
  tokenA: string;
  tokenB: string;
  tokenC: string;
  fundId: string;
  /** Ids the given-steps created, by name. */
  readonly ids: Record<string, string>;
  /** March's trial balance as it stood when March was closed. */
  marchTrialBalance?: unknown;
  balance(): Promise<{ postedMinor: number; pendingMinor: number; availableMinor: number }>;
  fundLoan(body?: Record<string, unknown>): Record<string, unknown>;
}

function useRulesLedger(): RulesLedger {
  const clock = new FixedClock(new Date('2027-03-10T10:00:00.000Z'));
  const ledger = useLedger({ clock, config: { seedFunds: 'default' } });
  const { post, get } = ledger;
  const w: RulesLedger = {
    ledger, clock, coopA: '', coopB: '', coopC: '', tokenA: '', tokenB: '', tokenC: '', fundId: '', ids: {},
    balance: async () => (await get(`/v1/funds/${w.fundId}/balance`)).body,
    fundLoan: (body = {}) => ({ fromFundId: w.fundId, borrowerId: w.coopA, amountMinor: 60_000, currency: 'USD', disbursedOn: '2027-03-10', repayment: plan, ...body }),
  };
  beforeAll(async () => {
    w.fundId = ledger.funds['revolving-loan-fund'];
    await created(post('/v1/income', { fundId: w.fundId, source: 'Solidarity Foundation', category: 'grant', amountMinor: 100_000, currency: 'USD', effectiveAt: '2027-01-05T08:00:00.000Z' }));
    w.coopA = (await created(post('/v1/cooperatives', { name: 'Riverside Bakery', sector: 'food', contact: 'a@riverside.coop' }))).cooperativeId;
    w.coopB = (await created(post('/v1/cooperatives', { name: 'Hilltop Builders', sector: 'construction', contact: 'b@hilltop.coop' }))).cooperativeId;
    w.coopC = (await created(post('/v1/cooperatives', { name: 'Valley Printers', sector: 'print', contact: 'c@valley.coop' }))).cooperativeId;
    w.tokenA = (await ledger.t.token('cooperative', w.coopA)).secret;
    w.tokenB = (await ledger.t.token('cooperative', w.coopB)).secret;
    w.tokenC = (await ledger.t.token('cooperative', w.coopC)).secret;
  });
  return w;
}

/** Given a loan of 60 000 for a new oven from the fund to A, requested and approved by the second steward (ids.loan). */
async function givenFundLoanApproved(w: RulesLedger) {
  const { post, steward2 } = w.ledger;
  w.ids.loan = (await created(post('/v1/money-loans', w.fundLoan({ purpose: 'new oven' })))).loanId;
  await created(post(`/v1/money-loans/${w.ids.loan}/approve`, {}, steward2));
}

/** Given that, a loan of 30 000 rejected and one of 10 000 left pending (ids.pending). */
async function givenLoanRejectedAndOnePending(w: RulesLedger) {
  await givenFundLoanApproved(w);
  const { post, steward2 } = w.ledger;
  const rejected = await created(post('/v1/money-loans', w.fundLoan({ amountMinor: 30_000 })));
  await created(post(`/v1/money-loans/${rejected.loanId}/reject`, { reason: 'the borrower found other money' }, steward2));
  w.ids.pending = (await created(post('/v1/money-loans', w.fundLoan({ amountMinor: 10_000 })))).loanId;
}

/** Given that, and B lending A 5 000 directly (ids.coopLoan). */
async function givenLoanBetweenCooperatives(w: RulesLedger) {
  await givenLoanRejectedAndOnePending(w);
  w.ids.coopLoan = (await created(w.ledger.post('/v1/money-loans', { fromCooperativeId: w.coopB, borrowerId: w.coopA, amountMinor: 5_000, currency: 'USD', disbursedOn: '2027-03-10', repayment: plan }, w.tokenB))).loanId;
}

/** Given that, and two resources, each reserved by A: B's mixer from 03-10 with a deposit (ids.l1), C's van from 03-12 (ids.l3). */
async function givenTwoResourcesReservedByA(w: RulesLedger) {
  await givenLoanBetweenCooperatives(w);
  const { ids } = w;
  const { post } = w.ledger;
  ids.mixer = (await created(post('/v1/resources', { ownerId: w.coopB, kind: 'equipment', description: 'Stand mixer', condition: 'good' }, w.tokenB))).resourceId;
  ids.van = (await created(post('/v1/resources', { ownerId: w.coopC, kind: 'vehicle', description: 'Van', condition: 'good' }, w.tokenC))).resourceId;
  ids.l1 = (await created(post('/v1/loans', { resourceId: ids.mixer, borrowerId: w.coopA, startOn: '2027-03-10', dueOn: '2027-03-20', depositMinor: 1_000, currency: 'USD' }, w.tokenA))).loanId;
  ids.l3 = (await created(post('/v1/loans', { resourceId: ids.van, borrowerId: w.coopA, startOn: '2027-03-12', dueOn: '2027-04-05' }, w.tokenA))).loanId;
}

/** Given that, and on 03-14 the mixer recorded as checked out on 03-11. */
async function givenMixerCheckedOutAfterTheFact(w: RulesLedger) {
  await givenTwoResourcesReservedByA(w);
  w.clock.set('2027-03-14T16:00:00.000Z');
  await created(w.ledger.post(`/v1/loans/${w.ids.l1}/checkout`, { checkedOutOn: '2027-03-11' }, w.tokenB));
}

/** Given that, and the mixer renewed on 03-13 to 03-25 (ids.r1). */
async function givenMixerRenewedAfterTheFact(w: RulesLedger) {
  await givenMixerCheckedOutAfterTheFact(w);
  w.ids.r1 = (await created(w.ledger.post(`/v1/loans/${w.ids.l1}/renew`, { dueOn: '2027-03-25', renewedOn: '2027-03-13' }, w.tokenA))).renewalId;
}

/** Given that, and 120 minutes A worked for B on 03-05, proposed by A and not confirmed (ids.exchange). */
async function givenLabourProposed(w: RulesLedger) {
  await givenMixerRenewedAfterTheFact(w);
  w.ids.exchange = (await created(w.ledger.post('/v1/labour-exchanges', { workerId: w.coopA, receiverId: w.coopB, minutes: 120, workedOn: '2027-03-05', description: 'deliveries' }, w.tokenA))).exchangeId;
}

/** Given that, and on 2027-04-02 March closed, its trial balance kept as it stood. */
async function givenMarchClosed(w: RulesLedger) {
  await givenLabourProposed(w);
  w.clock.set('2027-04-02T10:00:00.000Z');
  w.marchTrialBalance = (await w.ledger.get('/v1/ledger/trial-balance?asOf=2027-03-31')).body.accounts;
  await created(w.ledger.post('/v1/periods/close', { period: '2027-03' }));
}

/** Given that, and what April took instead: hours on 04-01, the van checked out, the mixer returned, the pending loan disbursed, a repayment. */
async function givenAprilInsteadOfMarch(w: RulesLedger) {
  await givenMarchClosed(w);
  const { ids } = w;
  const { post, steward2 } = w.ledger;
  await created(post('/v1/labour-exchanges', { workerId: w.coopA, receiverId: w.coopB, minutes: 60, workedOn: '2027-04-01', description: 'x' }, w.tokenA));
  await created(post(`/v1/loans/${ids.l3}/checkout`, undefined, w.tokenC));
  await created(post(`/v1/loans/${ids.r1}/return`, { condition: 'good', returnedOn: '2027-04-01' }, w.tokenB));
  await created(post(`/v1/money-loans/${ids.pending}/approve`, { disbursedOn: '2027-04-01' }, steward2));
  await created(post(`/v1/money-loans/${ids.coopLoan}/repayments`, { amountMinor: 100, currency: 'USD', paidOn: '2027-04-02' }, w.tokenA));
}

describe('lending rules over HTTP', () => {
  describe('bad input is refused at the edge with REQUEST.INVALID naming the field', () => {
    const w = useRulesLedger();
    const { ledger, fundLoan } = w;
    const { post, get, refused } = ledger;

    it('refuses strings that would not hash as stored, dates outside the supported range and unsafe amounts', async () => {
      const { coopA, coopB, tokenA, tokenB } = w;
      expect(fields(await refused(() => post('/v1/cooperatives', { name: 'Lone \ud800 surrogate', sector: 'food', contact: 'x' }), 400, 'REQUEST.INVALID'))).toEqual(['name']);
      expect(fields(await refused(() => post('/v1/cooperatives', { name: ' Acme', sector: 'food', contact: 'x' }), 400, 'REQUEST.INVALID'))).toEqual(['name']);
      expect(fields(await refused(() => post('/v1/cooperatives', { name: 'Acme', sector: 'food\u0007', contact: 'x' }), 400, 'REQUEST.INVALID'))).toEqual(['sector']);
      expect(fields(await refused(() => post('/v1/money-loans', fundLoan({ disbursedOn: '1900-01-01' })), 400, 'REQUEST.INVALID'))).toEqual(['disbursedOn']);
      expect(fields(await refused(() => post('/v1/money-loans', fundLoan({ disbursedOn: '2027-02-30' })), 400, 'REQUEST.INVALID'))).toEqual(['disbursedOn']);
      expect(fields(await refused(() => post('/v1/money-loans', fundLoan({ amountMinor: 2 ** 53 })), 400, 'REQUEST.INVALID'))).toEqual(['amountMinor']);
      expect(fields(await refused(() => post('/v1/money-loans', fundLoan({ purpose: 'oven\n' })), 400, 'REQUEST.INVALID'))).toEqual(['purpose']);
      await refused(() => post('/v1/resources', { ownerId: coopB, kind: 'equipment', description: 'Mixer ', condition: 'good' }, tokenB), 400, 'REQUEST.INVALID');
      await refused(() => post('/v1/labour-exchanges', { workerId: coopA, receiverId: coopB, minutes: 60, workedOn: '9999-12-31', description: 'x' }, tokenA), 400, 'REQUEST.INVALID');
    });

    it('validates the nested repayment plan: missing, not an object, or incomplete is a 400, never a 500', async () => {
      const { repayment: _r, ...withoutPlan } = fundLoan();
      expect(fields(await refused(() => post('/v1/money-loans', withoutPlan), 400, 'REQUEST.INVALID'))).toContain('repayment');
      expect(fields(await refused(() => post('/v1/money-loans', fundLoan({ repayment: 'monthly' })), 400, 'REQUEST.INVALID'))).toContain('repayment');
      expect(fields(await refused(() => post('/v1/money-loans', fundLoan({ repayment: null })), 400, 'REQUEST.INVALID'))).toContain('repayment');
      expect(fields(await refused(() => post('/v1/money-loans', fundLoan({ repayment: { interval: 'monthly' } })), 400, 'REQUEST.INVALID'))).toEqual(
        expect.arrayContaining(['repayment.instalments', 'repayment.firstDueOn']),
      );
      expect(fields(await refused(() => post('/v1/money-loans', fundLoan({ repayment: { ...plan, firstDueOn: '2027-04-31' } })), 400, 'REQUEST.INVALID'))).toEqual(['repayment.firstDueOn']);
      // A schedule running past the last supported business day would record dates no projection supports.
      await refused(() => post('/v1/money-loans', fundLoan({ repayment: { interval: 'yearly', instalments: 5, firstDueOn: '2298-01-01' } })), 400, 'LOAN.INSTALMENTS_INVALID');
      await refused(() => post('/v1/money-loans', fundLoan({ extra: 1 })), 400, 'REQUEST.INVALID');
    });

    it('checks query parameters by the same rules: asOf in range, known parameters only, limit within its maximum', async () => {
      const { coopA } = w;
      for (const url of [
        '/v1/money-loans?asOf=9999-12-31',
        '/v1/loans?asOf=1900-01-01',
        '/v1/labour-balances?asOf=2027-13-01',
        '/v1/labour-exchanges?asOf=x',
        `/v1/cooperatives/${coopA}/lending-report?asOf=2330-01-01`,
        '/v1/lending/report?asOf=0001-01-01',
        `/v1/money-loans/${UNKNOWN}?asOf=9999-12-31`,
        '/v1/money-loans?color=red',
        `/v1/cooperatives/${coopA}?color=red`,
        `/v1/resources/${UNKNOWN}?color=red`,
        '/v1/cooperatives?limit=501',
        '/v1/resources?available=yes',
        '/v1/loans?minPosition=-1',
      ]) {
        const body = await refused(() => get(url, ledger.auditor), 400, 'REQUEST.INVALID');
        expect(body.errors?.length).toBeGreaterThan(0);
      }
      const head = await ledger.t.store.headPosition();
      for (const url of ['/v1/money-loans', '/v1/loans', '/v1/labour-balances', '/v1/labour-exchanges', '/v1/resources', '/v1/cooperatives', `/v1/cooperatives/${coopA}`, '/v1/lending/report', `/v1/cooperatives/${coopA}/lending-report`]) {
        expect((await get(`${url}?minPosition=${head}`, ledger.auditor)).status).toBe(200);
      }
    });

    it('pages listings with limit, after and next', async () => {
      const first = (await get('/v1/cooperatives?limit=2', ledger.auditor)).body;
      expect(first.items.map((c: { name: string }) => c.name)).toEqual(['Hilltop Builders', 'Riverside Bakery']);
      expect(first.next).toBe('Riverside Bakery');
      const second = (await get(`/v1/cooperatives?limit=2&after=${encodeURIComponent(first.next)}`, ledger.auditor)).body;
      expect(second).toEqual({ items: [expect.objectContaining({ name: 'Valley Printers' })] });
      const balances = (await get('/v1/labour-balances?limit=1', ledger.auditor)).body;
      expect(balances.items).toHaveLength(1);
      expect(balances.next).toBe(balances.items[0].cooperativeId);
      expect((await get(`/v1/labour-balances?limit=5&after=${balances.next}`, ledger.auditor)).body.items).toHaveLength(2);
    });
  });

  describe('a loan from a fund is approved by a second steward', () => {
    const w = useRulesLedger();
    const { ledger, ids, balance, fundLoan } = w;
    const { post, get, refused } = ledger;

    it('holds the amount on request, refuses self-approval and more than is available, and disburses on approval', async () => {
      const { tokenA } = w;
      await refused(() => post('/v1/money-loans', fundLoan(), tokenA), 403, 'LOAN.STEWARD_ONLY');
      const requested = await created(post('/v1/money-loans', fundLoan({ purpose: 'new oven' })));
      expect(requested.status).toBe('pending');
      ids.loan = requested.loanId;
      expect(await balance()).toMatchObject({ postedMinor: 100_000, pendingMinor: 60_000, availableMinor: 40_000 });
      expect((await get(`/v1/money-loans/${ids.loan}`, tokenA)).body).toMatchObject({ loanId: ids.loan, status: 'pending', amountMinor: 60_000, disbursedOn: '2027-03-10' });
      expect((await get('/v1/money-loans?status=pending', ledger.auditor)).body.items.map((l: { loanId: string }) => l.loanId)).toEqual([ids.loan]);
      // Only 40 000 is available while 60 000 is held.
      await refused(() => post('/v1/money-loans', fundLoan({ amountMinor: 50_000 })), 409, 'FUND.INSUFFICIENT_AVAILABLE');
      await refused(() => post(`/v1/money-loans/${ids.loan}/repayments`, { amountMinor: 1, currency: 'USD', paidOn: '2027-03-10' }, tokenA), 409, 'LOAN.PENDING');
      await refused(() => post(`/v1/money-loans/${ids.loan}/approve`, {}), 403, 'LOAN.SELF_APPROVAL');
      await refused(() => post(`/v1/money-loans/${ids.loan}/approve`, {}, tokenA), 403, 'AUTH.FORBIDDEN');
      await refused(() => post(`/v1/money-loans/${UNKNOWN}/approve`, {}, ledger.steward2), 404, 'LOAN.NOT_FOUND');
      await refused(() => post(`/v1/money-loans/${ids.loan}/approve`, { disbursedOn: '2027-03-11' }, ledger.steward2), 422, 'LOAN.DATE_IN_FUTURE');
      await refused(() => post(`/v1/money-loans/${ids.loan}/approve`, { disbursedOn: '2027-03-09' }, ledger.steward2), 422, 'LOAN.BEFORE_REQUEST');
      await refused(() => post(`/v1/money-loans/${ids.loan}/approve`, { disbursedOn: '1900-01-01' }, ledger.steward2), 400, 'REQUEST.INVALID');
      await refused(() => post(`/v1/money-loans/${ids.loan}/approve`, { note: 'x' }, ledger.steward2), 400, 'REQUEST.INVALID');
      const approved = await created(post(`/v1/money-loans/${ids.loan}/approve`, {}, ledger.steward2));
      expect(approved).toMatchObject({ loanId: ids.loan, status: 'active', disbursedOn: '2027-03-10' });
      expect(await balance()).toMatchObject({ postedMinor: 40_000, pendingMinor: 0, availableMinor: 40_000 });
      expect((await get(`/v1/money-loans/${ids.loan}`, tokenA)).body).toMatchObject({ loanId: ids.loan, lenderAccount: 'fund:revolving-loan-fund', standing: { outstandingMinor: 60_000 } });
      await refused(() => post(`/v1/money-loans/${ids.loan}/approve`, {}, ledger.steward2), 409, 'LOAN.ALREADY_DECIDED');
      await refused(() => post(`/v1/money-loans/${ids.loan}/reject`, { reason: 'late' }, ledger.steward2), 409, 'LOAN.ALREADY_DECIDED');
      const disbursed = (await allEvents(ledger.t.store)).find((e) => e.type === 'MoneyLoanDisbursed' && (e.data as { loanId: string }).loanId === ids.loan);
      expect(disbursed?.data).toMatchObject({ disbursedBy: expect.stringMatching(/^token:/), requestedBy: expect.stringMatching(/^token:/) });
    });
  });

  describe('a rejection', () => {
    const w = useRulesLedger();
    const { ledger, ids, balance, fundLoan } = w;
    const { post, get, refused } = ledger;

    it('a rejection needs a reason and releases the hold', async () => {
      await givenFundLoanApproved(w);
      const requested = await created(post('/v1/money-loans', fundLoan({ amountMinor: 30_000 })));
      expect(await balance()).toMatchObject({ pendingMinor: 30_000, availableMinor: 10_000 });
      await refused(() => post(`/v1/money-loans/${requested.loanId}/reject`, {}, ledger.steward2), 400, 'REQUEST.INVALID');
      await refused(() => post(`/v1/money-loans/${requested.loanId}/reject`, { reason: ' ' }, ledger.steward2), 400, 'REQUEST.INVALID');
      expect(await created(post(`/v1/money-loans/${requested.loanId}/reject`, { reason: 'the borrower found other money' }, ledger.steward2))).toMatchObject({ status: 'rejected' });
      expect(await balance()).toMatchObject({ postedMinor: 40_000, pendingMinor: 0, availableMinor: 40_000 });
      expect((await get(`/v1/money-loans/${requested.loanId}`, ledger.auditor)).body).toMatchObject({ status: 'rejected', rejection: { reason: 'the borrower found other money' } });
      await refused(() => post(`/v1/money-loans/${requested.loanId}/approve`, {}, ledger.steward2), 409, 'LOAN.ALREADY_DECIDED');
      // Kept pending for the closed-period test below.
      ids.pending = (await created(post('/v1/money-loans', fundLoan({ amountMinor: 10_000 })))).loanId;
    });
  });

  describe('loans between cooperatives', () => {
    const w = useRulesLedger();
    const { ledger, ids } = w;
    const { post, refused } = ledger;

    it('loans between cooperatives stay direct; forgiving needs a reason', async () => {
      await givenLoanRejectedAndOnePending(w);
      const { coopA, coopB, tokenB } = w;
      const loan = await created(post('/v1/money-loans', { fromCooperativeId: coopB, borrowerId: coopA, amountMinor: 5_000, currency: 'USD', disbursedOn: '2027-03-10', repayment: plan }, tokenB));
      expect(loan.status).toBe('active');
      ids.coopLoan = loan.loanId;
      await refused(() => post(`/v1/money-loans/${ids.coopLoan}/forgive`, { forgivenOn: '2027-03-10' }, tokenB), 400, 'REQUEST.INVALID');
      await refused(() => post(`/v1/money-loans/${ids.coopLoan}/forgive`, { reason: '', forgivenOn: '2027-03-10' }, tokenB), 400, 'REQUEST.INVALID');
    });
  });

  describe('cancelling a reservation', () => {
    const w = useRulesLedger();
    const { ledger, ids } = w;
    const { post, refused } = ledger;

    it('refuses cancelling a reservation without what the route takes', async () => {
      await givenTwoResourcesReservedByA(w);
      const { tokenA } = w;
      await refused(() => post(`/v1/loans/${ids.l1}/cancel`, {}, tokenA), 400, 'REQUEST.INVALID');
    });
  });

  describe('a check-out recorded after the fact', () => {
    const w = useRulesLedger();
    const { ledger, clock, ids } = w;
    const { post, get, refused } = ledger;

    it('checks out on an earlier business day, never in the future nor before the reservation starts', async () => {
      await givenTwoResourcesReservedByA(w);
      const { tokenA, tokenB } = w;
      clock.set('2027-03-14T16:00:00.000Z');
      await refused(() => post(`/v1/loans/${ids.l1}/checkout`, { checkedOutOn: '2027-03-15' }, tokenB), 422, 'LOAN.DATE_IN_FUTURE');
      await refused(() => post(`/v1/loans/${ids.l1}/checkout`, { checkedOutOn: '2027-03-09' }, tokenB), 422, 'LOAN.NOT_STARTED');
      await refused(() => post(`/v1/loans/${ids.l1}/checkout`, { checkedOutOn: '14 March' }, tokenB), 400, 'REQUEST.INVALID');
      await refused(() => post(`/v1/loans/${ids.l1}/checkout`, { on: '2027-03-11' }, tokenB), 400, 'REQUEST.INVALID');
      await created(post(`/v1/loans/${ids.l1}/checkout`, { checkedOutOn: '2027-03-11' }, tokenB));
      expect((await get(`/v1/loans/${ids.l1}?asOf=2027-03-10`, tokenA)).body.status).toBe('reserved');
      expect((await get(`/v1/loans/${ids.l1}?asOf=2027-03-11`, tokenA)).body).toMatchObject({ status: 'out', checkedOutOn: '2027-03-11' });
      const events = await allEvents(ledger.t.store);
      const out = events.find((e) => e.type === 'ThingCheckedOut');
      // The business day is the one given; the moment it was recorded stays the server's clock.
      expect(out).toMatchObject({ data: { on: '2027-03-11' }, recordedAt: '2027-03-14T16:00:00.000Z' });
      expect(events.find((e) => e.type === 'ThingDepositTaken')?.data).toMatchObject({ effectiveAt: '2027-03-11T00:00:00.000Z' });
    });
  });

  describe('renewals and returns recorded after the fact', () => {
    const w = useRulesLedger();
    const { ledger, ids } = w;
    const { post, get, refused } = ledger;

    it('renews and returns on earlier days, never before the check-out nor in the future', async () => {
      await givenMixerCheckedOutAfterTheFact(w);
      const { tokenA, tokenB } = w;
      await refused(() => post(`/v1/loans/${ids.l1}/return`, { condition: 'good', returnedOn: '2027-03-10' }, tokenB), 422, 'LOAN.BEFORE_CHECKOUT');
      await refused(() => post(`/v1/loans/${ids.l1}/return`, { condition: 'good', returnedOn: '2027-03-15' }, tokenB), 422, 'LOAN.DATE_IN_FUTURE');
      await refused(() => post(`/v1/loans/${ids.l1}/lost-or-damaged`, { outcome: 'lost', notes: 'gone', reportedOn: '2027-03-10' }, tokenB), 422, 'LOAN.BEFORE_CHECKOUT');
      await refused(() => post(`/v1/loans/${ids.l1}/renew`, { dueOn: '2027-03-25', renewedOn: '2027-03-10' }, tokenA), 422, 'LOAN.BEFORE_CHECKOUT');
      await refused(() => post(`/v1/loans/${ids.l1}/renew`, { dueOn: '2027-03-25', renewedOn: '2027-03-15' }, tokenA), 422, 'LOAN.DATE_IN_FUTURE');
      const renewed = await created(post(`/v1/loans/${ids.l1}/renew`, { dueOn: '2027-03-25', renewedOn: '2027-03-13' }, tokenA));
      ids.r1 = renewed.renewalId;
      expect((await get(`/v1/loans/${ids.l1}`, tokenA)).body).toMatchObject({ status: 'renewed', endedOn: '2027-03-13', renewedBy: ids.r1 });
      await refused(() => post(`/v1/loans/${ids.r1}/return`, { condition: 'good', returnedOn: '2027-03-12' }, tokenB), 422, 'LOAN.BEFORE_CHECKOUT');
    });
  });

  describe('a cooperative token sees only what its cooperative is party to: 404 as for unknown ids', () => {
    const w = useRulesLedger();
    const { ledger, ids } = w;
    const { post, get, refused } = ledger;
    /** The same answer as for an unknown id: status, code and body, the id aside. */
    const asUnknown = async (request: (id: string) => Promise<TestResponse>, id: string, status: number, code: string) => {
      const hidden = await refused(() => request(id), status, code);
      const unknown = await refused(() => request(UNKNOWN), status, code);
      expect(JSON.parse(JSON.stringify(hidden).split(id).join('<id>'))).toEqual(JSON.parse(JSON.stringify(unknown).split(UNKNOWN).join('<id>')));
    };

    it('answers 404 for another cooperative, its report, loans and exchanges between others, exactly as for unknown ids', async () => {
      await givenMixerRenewedAfterTheFact(w);
      const { coopA, coopB, tokenA, tokenC } = w;
      ids.exchange = (await created(post('/v1/labour-exchanges', { workerId: coopA, receiverId: coopB, minutes: 120, workedOn: '2027-03-05', description: 'deliveries' }, tokenA))).exchangeId;
      await asUnknown((id) => get(`/v1/cooperatives/${id}`, tokenC), coopA, 404, 'COOPERATIVE.NOT_FOUND');
      await asUnknown((id) => get(`/v1/cooperatives/${id}/lending-report`, tokenC), coopA, 404, 'COOPERATIVE.NOT_FOUND');
      await asUnknown((id) => get(`/v1/money-loans/${id}`, tokenC), ids.coopLoan, 404, 'LOAN.NOT_FOUND');
      await asUnknown((id) => get(`/v1/money-loans/${id}`, tokenC), ids.pending, 404, 'LOAN.NOT_FOUND');
      await asUnknown((id) => get(`/v1/loans/${id}`, tokenC), ids.r1, 404, 'LOAN.NOT_FOUND');
      await asUnknown((id) => post(`/v1/money-loans/${id}/repayments`, { amountMinor: 1, currency: 'USD', paidOn: '2027-03-14' }, tokenC), ids.coopLoan, 404, 'LOAN.NOT_FOUND');
      await asUnknown((id) => post(`/v1/money-loans/${id}/forgive`, { reason: 'x', forgivenOn: '2027-03-14' }, tokenC), ids.coopLoan, 404, 'LOAN.NOT_FOUND');
      await asUnknown((id) => post(`/v1/loans/${id}/return`, { condition: 'good' }, tokenC), ids.r1, 404, 'LOAN.NOT_FOUND');
      await asUnknown((id) => post(`/v1/loans/${id}/cancel`, { reason: 'x' }, tokenC), ids.r1, 404, 'LOAN.NOT_FOUND');
      await asUnknown((id) => post(`/v1/labour-exchanges/${id}/confirm`, undefined, tokenC), ids.exchange, 404, 'LABOUR.NOT_FOUND');
      // A party in the wrong role is still told so: the borrower may not record the return.
      await refused(() => post(`/v1/loans/${ids.r1}/return`, { condition: 'good' }, tokenA), 403, 'COOPERATIVE.ACTING_FOR_ANOTHER');
      // Proposing hours between two other cooperatives is refused before any lookup: unknown or not, the same answer.
      await refused(() => post('/v1/labour-exchanges', { workerId: coopA, receiverId: coopB, minutes: 1, workedOn: '2027-03-05', description: 'x' }, tokenC), 403, 'COOPERATIVE.ACTING_FOR_ANOTHER');
      await refused(() => post('/v1/labour-exchanges', { workerId: UNKNOWN, receiverId: coopB, minutes: 1, workedOn: '2027-03-05', description: 'x' }, tokenC), 403, 'COOPERATIVE.ACTING_FOR_ANOTHER');
    });
  });

  describe('a cooperative token sees only what its cooperative is party to: resources and listings (these only read)', () => {
    const w = useRulesLedger();
    const { ledger, ids } = w;
    const { get } = ledger;
    beforeAll(() => givenLabourProposed(w));

    it('shows a resource to everyone, but the loan it is out on only to that loan\'s cooperatives', async () => {
      const { tokenA, tokenB, tokenC } = w;
      expect((await get(`/v1/resources/${ids.mixer}`, tokenC)).body).not.toHaveProperty('onLoan');
      expect((await get(`/v1/resources/${ids.mixer}`, tokenC)).body).toMatchObject({ status: 'on-loan' });
      expect((await get('/v1/resources', tokenC)).body.items.find((r: { resourceId: string }) => r.resourceId === ids.mixer)).not.toHaveProperty('onLoan');
      for (const token of [tokenA, tokenB, ledger.auditor]) expect((await get(`/v1/resources/${ids.mixer}`, token)).body.onLoan).toBe(ids.r1);
    });

    it('shows who owns a resource only to its owner and network roles; filtering by another owner is empty', async () => {
      const { coopB, coopC, tokenB, tokenC } = w;
      expect((await get(`/v1/resources/${ids.mixer}`, tokenC)).body).not.toHaveProperty('ownerId');
      expect((await get(`/v1/resources/${ids.mixer}`, tokenB)).body.ownerId).toBe(coopB);
      expect((await get(`/v1/resources/${ids.mixer}`, ledger.auditor)).body.ownerId).toBe(coopB);
      const listed = (await get('/v1/resources', tokenC)).body.items as { resourceId: string; ownerId?: string }[];
      expect(listed.find((r) => r.resourceId === ids.mixer)).not.toHaveProperty('ownerId');
      expect(listed.find((r) => r.resourceId === ids.van)?.ownerId).toBe(coopC);
      expect((await get(`/v1/resources?ownerId=${coopB}`, tokenC)).body).toEqual((await get(`/v1/resources?ownerId=${UNKNOWN}`, tokenC)).body);
      expect((await get(`/v1/resources?ownerId=${coopB}`, tokenC)).body.items).toEqual([]);
      expect((await get(`/v1/resources?ownerId=${coopB}`, tokenB)).body.items.map((r: { resourceId: string }) => r.resourceId)).toEqual([ids.mixer]);
    });

    it('gives an empty listing when filtered by another cooperative, as for an unknown one', async () => {
      const { coopA, tokenA, tokenC } = w;
      for (const path of ['/v1/loans', '/v1/money-loans', '/v1/labour-exchanges', '/v1/labour-balances']) {
        const other = (await get(`${path}?cooperativeId=${coopA}`, tokenC)).body;
        const unknown = (await get(`${path}?cooperativeId=${UNKNOWN}`, tokenC)).body;
        expect(other).toEqual(unknown);
        expect(other.items).toEqual([]);
      }
      expect((await get(`/v1/loans?cooperativeId=${coopA}`, tokenA)).body.items.length).toBeGreaterThan(0);
    });
  });

  describe('every dated fact refuses a closed period (each test writes only what no other reads)', () => {
    const w = useRulesLedger();
    const { ledger, ids } = w;
    const { post, get, refused } = ledger;
    beforeAll(() => givenMarchClosed(w));

    it('closes March', async () => {
      expect((await get('/v1/periods')).body.closed).toEqual(expect.arrayContaining([expect.objectContaining({ period: '2027-03' })]));
    });

    it('refuses labour hours worked in it, proposed or confirmed', async () => {
      const { coopA, coopB, tokenA, tokenB } = w;
      await refused(() => post(`/v1/labour-exchanges/${ids.exchange}/confirm`, undefined, tokenB), 422, 'PERIOD.CLOSED');
      await refused(() => post('/v1/labour-exchanges', { workerId: coopA, receiverId: coopB, minutes: 60, workedOn: '2027-03-20', description: 'x' }, tokenA), 422, 'PERIOD.CLOSED');
      await created(post('/v1/labour-exchanges', { workerId: coopA, receiverId: coopB, minutes: 60, workedOn: '2027-04-01', description: 'x' }, tokenA));
    });

    it('refuses check-outs, renewals, returns and losses dated in it, and their deposit and fee settlements', async () => {
      const { tokenA, tokenB, tokenC } = w;
      await refused(() => post(`/v1/loans/${ids.l3}/checkout`, { checkedOutOn: '2027-03-20' }, tokenC), 422, 'PERIOD.CLOSED');
      await refused(() => post(`/v1/loans/${ids.r1}/return`, { condition: 'good', returnedOn: '2027-03-30' }, tokenB), 422, 'PERIOD.CLOSED');
      await refused(() => post(`/v1/loans/${ids.r1}/renew`, { dueOn: '2027-04-20', renewedOn: '2027-03-30' }, tokenA), 422, 'PERIOD.CLOSED');
      await refused(() => post(`/v1/loans/${ids.r1}/lost-or-damaged`, { outcome: 'damaged', notes: 'dented', reportedOn: '2027-03-30' }, tokenB), 422, 'PERIOD.CLOSED');
      // No body at all: the optional date defaults to today.
      await created(post(`/v1/loans/${ids.l3}/checkout`, undefined, tokenC));
      await created(post(`/v1/loans/${ids.r1}/return`, { condition: 'good', returnedOn: '2027-04-01' }, tokenB));
      expect((await get(`/v1/loans/${ids.r1}`, tokenA)).body).toMatchObject({ status: 'returned', endedOn: '2027-04-01', returnedLate: true });
    });

    it('refuses repayments, forgiveness and disbursements dated in it', async () => {
      const { coopA, coopB, tokenA, tokenB } = w;
      await refused(() => post(`/v1/money-loans/${ids.coopLoan}/repayments`, { amountMinor: 100, currency: 'USD', paidOn: '2027-03-20' }, tokenA), 422, 'PERIOD.CLOSED');
      await refused(() => post(`/v1/money-loans/${ids.coopLoan}/forgive`, { reason: 'hardship', forgivenOn: '2027-03-20' }, tokenB), 422, 'PERIOD.CLOSED');
      await refused(() => post('/v1/money-loans', { fromCooperativeId: coopB, borrowerId: coopA, amountMinor: 100, currency: 'USD', disbursedOn: '2027-03-31', repayment: plan }, tokenB), 422, 'PERIOD.CLOSED');
      // Approved without a date, the pending loan would be disbursed on the day asked for, now closed.
      await refused(() => post(`/v1/money-loans/${ids.pending}/approve`, {}, ledger.steward2), 422, 'PERIOD.CLOSED');
      expect(await created(post(`/v1/money-loans/${ids.pending}/approve`, { disbursedOn: '2027-04-01' }, ledger.steward2))).toMatchObject({ disbursedOn: '2027-04-01' });
      await created(post(`/v1/money-loans/${ids.coopLoan}/repayments`, { amountMinor: 100, currency: 'USD', paidOn: '2027-04-02' }, tokenA));
    });
  });

  describe("a closed month's trial balance", () => {
    const w = useRulesLedger();
    const { ledger } = w;
    const { get } = ledger;
    beforeAll(() => givenAprilInsteadOfMarch(w));

    it('leaves the closed month\'s trial balance as it was at the close', async () => {
      expect((await get('/v1/ledger/trial-balance?asOf=2027-03-31')).body.accounts).toEqual(w.marchTrialBalance);
    });
  });

  describe('the whole story', () => {
    const w = useRulesLedger();
    const { ledger } = w;
    const { get } = ledger;
    beforeAll(() => givenAprilInsteadOfMarch(w));

    it('recorded only events the catalogue defines and accepts, and verify stays clean', async () => {
      const catalogue = ledgerEventCatalogue();
      const lendingTypes = new Set(LENDING_EVENTS.map((d) => d.type));
      const events = await allEvents(ledger.t.store);
      const lendingStreams = /^(cooperative|money-loan|resource|thing-loan|labour-exchange)-/;
      const written = new Set(events.filter((e) => lendingStreams.test(e.streamId)).map((e) => e.type));
      expect([...written].filter((type) => !lendingTypes.has(type))).toEqual([]);
      for (const e of events.filter((x) => lendingTypes.has(x.type))) expect({ type: e.type, problems: catalogue.problems(e) }).toEqual({ type: e.type, problems: [] });
      expect((await get('/v1/audit/verify', ledger.auditor)).body).toMatchObject({ ok: true, problems: [] });
    });
  });
});
