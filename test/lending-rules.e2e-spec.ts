import { ledgerEventCatalogue } from '../src/composition';
import { LENDING_EVENTS } from '../src/modules/lending/lending.events';
import { FixedClock } from '../src/shared/clock';
import { created, fieldsOf as fields, useLedger } from './support/api';
import { TestResponse, allEvents } from './support/test-app';

/**
 * The rules of issue 10 for lending, as a hostile client would try them: bad input refused at the
 * edge (never a 500, never an event the catalogue would refuse), every dated fact refused in a
 * closed period, loans from a fund approved by a second steward, check-outs, renewals and
 * returns recorded after the fact, and cooperative tokens answered 404 — exactly as for an
 * unknown id — for anything their cooperative is not party to. Every refusal leaves the log head
 * where it was.
 */
describe('lending rules over HTTP', () => {
  const clock = new FixedClock(new Date('2027-03-10T10:00:00.000Z'));
  const UNKNOWN = '4b8e2f44-8a59-4f53-9a0b-0d1b7a4c9e11';
  const ledger = useLedger({ clock, config: { seedFunds: 'default' } });
  const { post, get, refused } = ledger;
  let coopA: string;
  let coopB: string;
  let coopC: string;
  let tokenA: string;
  let tokenB: string;
  let tokenC: string;
  let fundId: string;

  const balance = async () => (await get(`/v1/funds/${fundId}/balance`)).body as { postedMinor: number; pendingMinor: number; availableMinor: number };
  const plan = { interval: 'monthly', instalments: 2, firstDueOn: '2027-04-10' };
  const fundLoan = (body: Record<string, unknown> = {}) => ({ fromFundId: fundId, borrowerId: coopA, amountMinor: 60_000, currency: 'USD', disbursedOn: '2027-03-10', repayment: plan, ...body });

  /** Ids the tests share, created in order. */
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    fundId = ledger.funds['revolving-loan-fund'];
    await created(post('/v1/income', { fundId, source: 'Solidarity Foundation', category: 'grant', amountMinor: 100_000, currency: 'USD', effectiveAt: '2027-01-05T08:00:00.000Z' }));
    coopA = (await created(post('/v1/cooperatives', { name: 'Riverside Bakery', sector: 'food', contact: 'a@riverside.coop' }))).cooperativeId;
    coopB = (await created(post('/v1/cooperatives', { name: 'Hilltop Builders', sector: 'construction', contact: 'b@hilltop.coop' }))).cooperativeId;
    coopC = (await created(post('/v1/cooperatives', { name: 'Valley Printers', sector: 'print', contact: 'c@valley.coop' }))).cooperativeId;
    tokenA = (await ledger.t.token('cooperative', coopA)).secret;
    tokenB = (await ledger.t.token('cooperative', coopB)).secret;
    tokenC = (await ledger.t.token('cooperative', coopC)).secret;
  });

  describe('bad input is refused at the edge with REQUEST.INVALID naming the field', () => {
    it('refuses strings that would not hash as stored, dates outside the supported range and unsafe amounts', async () => {
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
    it('holds the amount on request, refuses self-approval and more than is available, and disburses on approval', async () => {
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

    it('a rejection needs a reason and releases the hold', async () => {
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

    it('loans between cooperatives stay direct; forgiving needs a reason', async () => {
      const loan = await created(post('/v1/money-loans', { fromCooperativeId: coopB, borrowerId: coopA, amountMinor: 5_000, currency: 'USD', disbursedOn: '2027-03-10', repayment: plan }, tokenB));
      expect(loan.status).toBe('active');
      ids.coopLoan = loan.loanId;
      await refused(() => post(`/v1/money-loans/${ids.coopLoan}/forgive`, { forgivenOn: '2027-03-10' }, tokenB), 400, 'REQUEST.INVALID');
      await refused(() => post(`/v1/money-loans/${ids.coopLoan}/forgive`, { reason: '', forgivenOn: '2027-03-10' }, tokenB), 400, 'REQUEST.INVALID');
    });
  });

  describe('check-outs, renewals and returns recorded after the fact', () => {
    // What the tests of this block record after the fact: two resources, each reserved by A.
    beforeAll(async () => {
      ids.mixer = (await created(post('/v1/resources', { ownerId: coopB, kind: 'equipment', description: 'Stand mixer', condition: 'good' }, tokenB))).resourceId;
      ids.van = (await created(post('/v1/resources', { ownerId: coopC, kind: 'vehicle', description: 'Van', condition: 'good' }, tokenC))).resourceId;
      ids.l1 = (await created(post('/v1/loans', { resourceId: ids.mixer, borrowerId: coopA, startOn: '2027-03-10', dueOn: '2027-03-20', depositMinor: 1_000, currency: 'USD' }, tokenA))).loanId;
      ids.l3 = (await created(post('/v1/loans', { resourceId: ids.van, borrowerId: coopA, startOn: '2027-03-12', dueOn: '2027-04-05' }, tokenA))).loanId;
    });

    it('refuses cancelling a reservation without what the route takes', async () => {
      await refused(() => post(`/v1/loans/${ids.l1}/cancel`, {}, tokenA), 400, 'REQUEST.INVALID');
    });

    it('checks out on an earlier business day, never in the future nor before the reservation starts', async () => {
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

    it('renews and returns on earlier days, never before the check-out nor in the future', async () => {
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

  describe('a cooperative token sees only what its cooperative is party to', () => {
    /** The same answer as for an unknown id: status, code and body, the id aside. */
    const asUnknown = async (request: (id: string) => Promise<TestResponse>, id: string, status: number, code: string) => {
      const hidden = await refused(() => request(id), status, code);
      const unknown = await refused(() => request(UNKNOWN), status, code);
      expect(JSON.parse(JSON.stringify(hidden).split(id).join('<id>'))).toEqual(JSON.parse(JSON.stringify(unknown).split(UNKNOWN).join('<id>')));
    };

    it('answers 404 for another cooperative, its report, loans and exchanges between others, exactly as for unknown ids', async () => {
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

    it('shows a resource to everyone, but the loan it is out on only to that loan\'s cooperatives', async () => {
      expect((await get(`/v1/resources/${ids.mixer}`, tokenC)).body).not.toHaveProperty('onLoan');
      expect((await get(`/v1/resources/${ids.mixer}`, tokenC)).body).toMatchObject({ status: 'on-loan' });
      expect((await get('/v1/resources', tokenC)).body.items.find((r: { resourceId: string }) => r.resourceId === ids.mixer)).not.toHaveProperty('onLoan');
      for (const token of [tokenA, tokenB, ledger.auditor]) expect((await get(`/v1/resources/${ids.mixer}`, token)).body.onLoan).toBe(ids.r1);
    });

    it('shows who owns a resource only to its owner and network roles; filtering by another owner is empty', async () => {
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
      for (const path of ['/v1/loans', '/v1/money-loans', '/v1/labour-exchanges', '/v1/labour-balances']) {
        const other = (await get(`${path}?cooperativeId=${coopA}`, tokenC)).body;
        const unknown = (await get(`${path}?cooperativeId=${UNKNOWN}`, tokenC)).body;
        expect(other).toEqual(unknown);
        expect(other.items).toEqual([]);
      }
      expect((await get(`/v1/loans?cooperativeId=${coopA}`, tokenA)).body.items.length).toBeGreaterThan(0);
    });
  });

  describe('every dated fact refuses a closed period', () => {
    let marchTrialBalance: unknown;

    // Every test of this block writes into a closed March: closed here, with its trial balance as it stood.
    beforeAll(async () => {
      clock.set('2027-04-02T10:00:00.000Z');
      marchTrialBalance = (await get('/v1/ledger/trial-balance?asOf=2027-03-31')).body.accounts;
      await created(post('/v1/periods/close', { period: '2027-03' }));
    });

    it('closes March', async () => {
      expect((await get('/v1/periods')).body.closed).toEqual(expect.arrayContaining([expect.objectContaining({ period: '2027-03' })]));
    });

    it('refuses labour hours worked in it, proposed or confirmed', async () => {
      await refused(() => post(`/v1/labour-exchanges/${ids.exchange}/confirm`, undefined, tokenB), 422, 'PERIOD.CLOSED');
      await refused(() => post('/v1/labour-exchanges', { workerId: coopA, receiverId: coopB, minutes: 60, workedOn: '2027-03-20', description: 'x' }, tokenA), 422, 'PERIOD.CLOSED');
      await created(post('/v1/labour-exchanges', { workerId: coopA, receiverId: coopB, minutes: 60, workedOn: '2027-04-01', description: 'x' }, tokenA));
    });

    it('refuses check-outs, renewals, returns and losses dated in it, and their deposit and fee settlements', async () => {
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
      await refused(() => post(`/v1/money-loans/${ids.coopLoan}/repayments`, { amountMinor: 100, currency: 'USD', paidOn: '2027-03-20' }, tokenA), 422, 'PERIOD.CLOSED');
      await refused(() => post(`/v1/money-loans/${ids.coopLoan}/forgive`, { reason: 'hardship', forgivenOn: '2027-03-20' }, tokenB), 422, 'PERIOD.CLOSED');
      await refused(() => post('/v1/money-loans', { fromCooperativeId: coopB, borrowerId: coopA, amountMinor: 100, currency: 'USD', disbursedOn: '2027-03-31', repayment: plan }, tokenB), 422, 'PERIOD.CLOSED');
      // Approved without a date, the pending loan would be disbursed on the day asked for, now closed.
      await refused(() => post(`/v1/money-loans/${ids.pending}/approve`, {}, ledger.steward2), 422, 'PERIOD.CLOSED');
      expect(await created(post(`/v1/money-loans/${ids.pending}/approve`, { disbursedOn: '2027-04-01' }, ledger.steward2))).toMatchObject({ disbursedOn: '2027-04-01' });
      await created(post(`/v1/money-loans/${ids.coopLoan}/repayments`, { amountMinor: 100, currency: 'USD', paidOn: '2027-04-02' }, tokenA));
    });

    it('leaves the closed month\'s trial balance as it was at the close', async () => {
      expect((await get('/v1/ledger/trial-balance?asOf=2027-03-31')).body.accounts).toEqual(marchTrialBalance);
    });
  });

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
