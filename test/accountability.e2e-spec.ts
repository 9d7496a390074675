import { checkConservation } from '../src/modules/accountability/attribution/conservation';
import { ReadModelDatabase } from '../src/projections/read-model-database';
import { FixedClock } from '../src/shared/clock';
import { expectReplayMatches, useLedger } from './support/api';
import { ledgerCli } from './support/processes';
import type { TestResponse } from './support/test-app';

/**
 * A year of a small network, end to end over HTTP: six sustainers, restricted and unrestricted
 * gifts, a grant, a transfer, spending, a land-trust project, a loan lent and partly repaid, a
 * refund and a reversal; then each gift's attribution to the cent as of several days, the
 * sustainer's own routes, the public report and the two statements against the trial balance.
 */
describe('accountability: where every gift went', () => {
  const clock = new FixedClock(new Date('2026-12-31T12:00:00.000Z'));
  const ledger = useLedger({ clock, config: { seedFunds: 'default' } });
  const { funds } = ledger;
  const d: Record<string, string> = {};
  const s: Record<string, string> = {};
  let loanId = '';
  let improvementId = '';
  let propertyId = '';
  let x1 = '';
  let alpha = '';
  let s5Token = '';

  const ok = async (label: string, request: Promise<TestResponse>): Promise<TestResponse> => {
    const r = await request;
    if (r.status < 200 || r.status >= 300) throw new Error(`${label}: ${r.status} ${r.text.slice(0, 400)}`);
    return r;
  };
  const post = (label: string, url: string, body: unknown, token = ledger.steward) => ok(label, ledger.t.request('POST', url, { token, body }));
  const at = (day: string) => `${day}T10:00:00.000Z`;
  const head = async () => ledger.t.store.headPosition();
  const get = async (url: string, token = ledger.auditor) => ledger.t.request('GET', `${url}${url.includes('?') ? '&' : '?'}minPosition=${await head()}`, { token });
  const gift = async (name: string, asOf: string) => {
    const r = await get(`/v1/donations/${d[name]}/attribution?asOf=${asOf}`);
    expect(r.status).toBe(200);
    expect(r.body.conserved).toBe(true);
    return r.body;
  };
  const spend = async (label: string, body: Record<string, unknown>) => {
    const r = await post(label, '/v1/disbursements', { currency: 'USD', ...body });
    await post(`${label} approve`, `/v1/disbursements/${r.body.movementId}/approve`, {}, ledger.steward2);
    return r.body.movementId as string;
  };

  beforeAll(async () => {
    for (const n of ['1', '2', '3', '4', '5', '6']) {
      s[n] = (await post(`sustainer ${n}`, '/v1/sustainers', { displayName: `Sustainer ${n}`, email: `s${n}@example.org`, anonymous: n === '4' })).body.sustainerId;
    }
    const pledge = (await post('pledge', '/v1/pledges', { sustainerId: s['1'], fundId: funds.general, amountMinor: 12_000, currency: 'USD', interval: 'monthly', startDate: '2026-01-10' })).body.pledgeId;
    const donate = async (name: string, sustainer: string, fund: string, amountMinor: number, day: string, pledgeId?: string) => {
      d[name] = (await post(`gift ${name}`, '/v1/donations', {
        sustainerId: s[sustainer], ...(pledgeId ? { pledgeId } : { fundId: funds[fund] }), amountMinor, currency: 'USD', method: 'card', effectiveAt: at(day),
      })).body.donationId;
    };
    await post('grant', '/v1/income', { fundId: funds['internal-capacity'], source: 'Solidarity Foundation', category: 'grant', amountMinor: 50_000, currency: 'USD', effectiveAt: at('2026-01-05') });
    await donate('d1', '1', 'general', 12_000, '2026-01-10', pledge);
    await donate('d2', '2', 'general', 5_000, '2026-01-15');
    await donate('d3', '3', 'water-autonomy', 20_000, '2026-02-01');
    await donate('d4', '4', 'land-trust-improvements', 30_000, '2026-02-05');
    await donate('d5', '5', 'general', 10_000, '2026-02-10');
    await donate('d6', '6', 'general', 4_000, '2026-02-10');

    x1 = await spend('staff', { fundId: funds.general, payee: 'Ana Staff', category: 'staff', invoiceReference: 'PAY-03', amountMinor: 15_000, effectiveAt: at('2026-03-01') });
    const t1 = await post('transfer', '/v1/transfers', { fromFundId: funds.general, toFundId: funds['revolving-loan-fund'], amountMinor: 8_000, currency: 'USD', memo: 'loan capital', effectiveAt: at('2026-03-05') });
    await post('transfer approve', `/v1/transfers/${t1.body.movementId}/approve`, {}, ledger.steward2);
    await spend('water', {
      fundId: funds['water-autonomy'], payee: 'Rain Tanks Coop', category: 'water-equipment', invoiceReference: 'RT-1', amountMinor: 7_500,
      effectiveAt: at('2026-03-10'), purpose: 'water autonomy initiatives',
    });
    await spend('appeal', { fundId: funds['internal-capacity'], payee: 'Print Shop', category: 'appeal-mailings', invoiceReference: 'PS-1', amountMinor: 10_000, effectiveAt: at('2026-03-20') });

    propertyId = (await post('property', '/v1/properties', { address: '12 Commons Lane', parcelId: 'APN-100-200-01', acquiredOn: '2020-06-01', status: 'held' })).body.propertyId;
    improvementId = (await post('improvement', '/v1/improvements', {
      propertyId, description: 'Roof repair', phase: 'repair', estimateMinor: 18_000, currency: 'USD',
      fundingLines: [{ fundId: funds['land-trust-improvements'], amountMinor: 18_000 }], effectiveAt: '2026-04-01',
    })).body.improvementId;
    await post('approve improvement', `/v1/improvements/${improvementId}/approve`, { effectiveAt: '2026-04-01' }, ledger.steward2);
    await post('expense 1', `/v1/improvements/${improvementId}/expenses`, { vendor: 'Roofers Coop', amountMinor: 12_000, currency: 'USD', invoiceReference: 'R-1', effectiveAt: at('2026-04-10') });
    await post('expense 2', `/v1/improvements/${improvementId}/expenses`, { vendor: 'Roofers Coop', amountMinor: 5_000, currency: 'USD', invoiceReference: 'R-2', effectiveAt: at('2026-04-20') });
    await post('complete', `/v1/improvements/${improvementId}/complete`, { completedOn: '2026-04-30', inspection: 'passed' });

    alpha = (await post('coop alpha', '/v1/cooperatives', { name: 'Alpha Bakery', sector: 'food', contact: 'hello@alpha.coop' })).body.cooperativeId;
    const bravo = (await post('coop bravo', '/v1/cooperatives', { name: 'Bravo Builders', sector: 'building', contact: 'hello@bravo.coop' })).body.cooperativeId;
    loanId = (await post('loan', '/v1/money-loans', {
      fromFundId: funds['revolving-loan-fund'], borrowerId: alpha, amountMinor: 7_000, currency: 'USD', purpose: 'oven', disbursedOn: '2026-05-01',
      repayment: { interval: 'monthly', instalments: 7, firstDueOn: '2026-06-01' },
    })).body.loanId;
    await ledger.t.request('POST', `/v1/money-loans/${loanId}/approve`, { token: ledger.steward2, body: {} });
    await post('repay', `/v1/money-loans/${loanId}/repayments`, { amountMinor: 3_000, currency: 'USD', paidOn: '2026-06-01' });

    await post('refund d6', `/v1/donations/${d.d6}/refund`, { reason: 'given twice by mistake', effectiveAt: at('2026-06-15') });
    const x2 = await spend('books', { fundId: funds.general, payee: 'Books Coop', category: 'accounting', invoiceReference: 'BK-1', amountMinor: 1_000, effectiveAt: at('2026-07-01') });
    await post('reverse x2', `/v1/movements/${x2}/reverse`, { reason: 'charged twice', effectiveAt: at('2026-07-15') });

    const alphaToken = (await ledger.t.token('cooperative', alpha)).secret;
    const bravoToken = (await ledger.t.token('cooperative', bravo)).secret;
    const hours = await post('labour', '/v1/labour-exchanges', { workerId: alpha, receiverId: bravo, minutes: 120, workedOn: '2026-08-10', description: 'Harvest help' }, alphaToken);
    await post('confirm labour', `/v1/labour-exchanges/${hours.body.exchangeId}/confirm`, {}, bravoToken);
    s5Token = (await ledger.t.token('sustainer', s['5'])).secret;
  });

  it('attributes each gift to the cent at the end of the year', async () => {
    const end = '2026-12-31';
    const d1 = await gift('d1', end);
    expect(d1.totals).toEqual({ amountMinor: 12_000, spentMinor: 12_000, inFundsMinor: 0, onLoanMinor: 0, refundedMinor: 0 });
    expect(d1.recurring).toBe(true);
    expect(d1.paidFor).toEqual([expect.objectContaining({ kind: 'disbursement', movementId: x1, payee: 'Ana Staff', category: 'staff', amountMinor: 12_000, on: '2026-03-01' })]);

    const d2 = await gift('d2', end);
    expect(d2.totals).toEqual({ amountMinor: 5_000, spentMinor: 3_000, inFundsMinor: 2_000, onLoanMinor: 0, refundedMinor: 0 });
    expect(d2.moved).toEqual([expect.objectContaining({ fromFundCode: 'general', toFundCode: 'revolving-loan-fund', amountMinor: 2_000 })]);
    expect(d2.loans).toEqual([expect.objectContaining({ loanId, cooperativeId: alpha, cooperativeName: 'Alpha Bakery', lentMinor: 2_000, repaidMinor: 2_000, outstandingMinor: 0, status: 'repaid' })]);
    expect(d2.inFunds).toEqual([expect.objectContaining({ fundCode: 'revolving-loan-fund', amountMinor: 2_000 })]);

    const d3 = await gift('d3', end);
    expect(d3.totals).toEqual({ amountMinor: 20_000, spentMinor: 7_500, inFundsMinor: 12_500, onLoanMinor: 0, refundedMinor: 0 });
    expect(d3.paidFor).toEqual([expect.objectContaining({ kind: 'disbursement', payee: 'Rain Tanks Coop', purpose: 'water autonomy initiatives', category: 'water-equipment' })]);
    expect(d3.restrictionClass).toBe('donor-restricted');

    const d4 = await gift('d4', end);
    expect(d4.totals).toEqual({ amountMinor: 30_000, spentMinor: 17_000, inFundsMinor: 13_000, onLoanMinor: 0, refundedMinor: 0 });
    expect(d4.paidFor).toEqual([
      expect.objectContaining({ kind: 'improvement', improvementId, propertyId, propertyAddress: '12 Commons Lane', projectDescription: 'Roof repair', vendor: 'Roofers Coop', phase: 'repair', amountMinor: 12_000 }),
      expect.objectContaining({ kind: 'improvement', amountMinor: 5_000, on: '2026-04-20' }),
    ]);

    const d5 = await gift('d5', end);
    expect(d5.totals).toEqual({ amountMinor: 10_000, spentMinor: 0, inFundsMinor: 6_000, onLoanMinor: 4_000, refundedMinor: 0 });
    expect(d5.inFunds).toEqual([
      expect.objectContaining({ fundCode: 'general', amountMinor: 4_000 }),
      expect.objectContaining({ fundCode: 'revolving-loan-fund', amountMinor: 2_000 }),
    ]);
    expect(d5.loans).toEqual([expect.objectContaining({ lentMinor: 5_000, repaidMinor: 1_000, outstandingMinor: 4_000, status: 'outstanding' })]);

    const d6 = await gift('d6', end);
    expect(d6.totals).toEqual({ amountMinor: 4_000, spentMinor: 0, inFundsMinor: 0, onLoanMinor: 0, refundedMinor: 4_000 });
    expect(d6.refund).toEqual({ on: '2026-06-15', amountMinor: 4_000, fromThisGiftMinor: 4_000 });
  });

  it('answers as of any day: before the spending, while on loan, between a disbursement and its reversal', async () => {
    expect((await gift('d1', '2026-02-28')).totals).toMatchObject({ spentMinor: 0, inFundsMinor: 12_000 });
    expect((await gift('d5', '2026-01-31')).received).toBe(false);
    const march = await gift('d5', '2026-03-31');
    expect(march.totals).toMatchObject({ inFundsMinor: 10_000, onLoanMinor: 0 });
    expect(march.inFunds).toEqual([
      expect.objectContaining({ fundCode: 'general', amountMinor: 4_000 }),
      expect.objectContaining({ fundCode: 'revolving-loan-fund', amountMinor: 6_000 }),
    ]);
    expect((await gift('d2', '2026-05-15')).totals).toMatchObject({ spentMinor: 3_000, onLoanMinor: 2_000, inFundsMinor: 0 });
    expect((await gift('d5', '2026-05-15')).totals).toMatchObject({ onLoanMinor: 5_000, inFundsMinor: 5_000 });
    const july = await gift('d5', '2026-07-05');
    expect(july.totals).toMatchObject({ spentMinor: 1_000, inFundsMinor: 5_000, onLoanMinor: 4_000 });
    expect(july.paidFor).toEqual([expect.objectContaining({ payee: 'Books Coop', category: 'accounting', amountMinor: 1_000 })]);
    expect((await gift('d5', '2026-07-20')).totals).toMatchObject({ spentMinor: 0, inFundsMinor: 6_000 });
    expect((await gift('d6', '2026-06-14')).totals).toMatchObject({ inFundsMinor: 4_000, refundedMinor: 0 });
    expect((await gift('d4', '2026-04-15')).totals).toMatchObject({ spentMinor: 12_000, inFundsMinor: 18_000 });
  });

  it('gives every gift\'s totals to the cent as of each of several days', async () => {
    // [spent, in funds, on loan, refunded] by gift and day, worked out by hand from the year above.
    const amounts: Record<string, number> = { d1: 12_000, d2: 5_000, d3: 20_000, d4: 30_000, d5: 10_000, d6: 4_000 };
    const expected: Record<string, Record<string, [number, number, number, number]>> = {
      '2026-02-28': { d1: [0, 12_000, 0, 0], d2: [0, 5_000, 0, 0], d3: [0, 20_000, 0, 0], d4: [0, 30_000, 0, 0], d5: [0, 10_000, 0, 0], d6: [0, 4_000, 0, 0] },
      '2026-03-09': { d1: [12_000, 0, 0, 0], d2: [3_000, 2_000, 0, 0], d3: [0, 20_000, 0, 0], d4: [0, 30_000, 0, 0], d5: [0, 10_000, 0, 0], d6: [0, 4_000, 0, 0] },
      '2026-05-15': { d1: [12_000, 0, 0, 0], d2: [3_000, 0, 2_000, 0], d3: [7_500, 12_500, 0, 0], d4: [17_000, 13_000, 0, 0], d5: [0, 5_000, 5_000, 0], d6: [0, 4_000, 0, 0] },
      '2026-06-30': { d1: [12_000, 0, 0, 0], d2: [3_000, 2_000, 0, 0], d3: [7_500, 12_500, 0, 0], d4: [17_000, 13_000, 0, 0], d5: [0, 6_000, 4_000, 0], d6: [0, 0, 0, 4_000] },
      '2026-07-05': { d1: [12_000, 0, 0, 0], d2: [3_000, 2_000, 0, 0], d3: [7_500, 12_500, 0, 0], d4: [17_000, 13_000, 0, 0], d5: [1_000, 5_000, 4_000, 0], d6: [0, 0, 0, 4_000] },
    };
    for (const [day, gifts] of Object.entries(expected)) {
      for (const [name, [spentMinor, inFundsMinor, onLoanMinor, refundedMinor]] of Object.entries(gifts)) {
        const totals = (await gift(name, day)).totals;
        expect({ gift: name, day, ...totals }).toEqual({ gift: name, day, amountMinor: amounts[name], spentMinor, inFundsMinor, onLoanMinor, refundedMinor });
      }
    }
  });

  it('shows a sustainer its own year and gifts under /v1/me, and nobody else\'s', async () => {
    const mine = await get('/v1/me/attribution?year=2026', s5Token);
    expect(mine.status).toBe(200);
    expect(mine.body.gifts.map((g: { donationId: string }) => g.donationId)).toEqual([d.d5]);
    expect(mine.body.totalsByCurrency.USD).toEqual({ amountMinor: 10_000, spentMinor: 0, inFundsMinor: 6_000, onLoanMinor: 4_000, refundedMinor: 0 });
    const own = await get(`/v1/me/donations/${d.d5}/attribution?asOf=2026-05-15`, s5Token);
    expect(own.status).toBe(200);
    expect(own.body.totals.onLoanMinor).toBe(5_000);
    const other = await get(`/v1/me/donations/${d.d1}/attribution`, s5Token);
    const unknown = await get('/v1/me/donations/4b8e2f44-8a59-4f53-9a0b-0d1b7a4c9e11/attribution', s5Token);
    expect([other.status, other.body.code]).toEqual([404, 'DONATION.NOT_FOUND']);
    expect([unknown.status, unknown.body.code]).toEqual([404, 'DONATION.NOT_FOUND']);
    expect((await get(`/v1/donations/${d.d5}/attribution`, s5Token)).status).toBe(403);
    expect((await get(`/v1/sustainers/${s['1']}/attribution?year=2026`, s5Token)).status).toBe(403);
    const steward = await get(`/v1/sustainers/${s['4']}/attribution?year=2026`, ledger.steward);
    expect(steward.body.paidForByPurpose).toEqual([
      expect.objectContaining({ kind: 'improvement', purpose: 'land trust property improvements', category: 'repair', amountMinor: 17_000 }),
    ]);
    expect((await get(`/v1/sustainers/4b8e2f44-8a59-4f53-9a0b-0d1b7a4c9e11/attribution?year=2026`)).body.code).toBe('SUSTAINER.NOT_FOUND');
    const bad = await get(`/v1/sustainers/${s['1']}/attribution?year=1800`);
    expect([bad.status, bad.body.code]).toEqual([400, 'REQUEST.INVALID']);
    expect((await get(`/v1/donations/${d.d1}/attribution?asOf=2026-02-30`)).status).toBe(400);
  });

  it('publishes a report without a token: no personal data, small groups merged', async () => {
    const r = await ledger.t.request('GET', `/v1/transparency/report?period=2026&minPosition=${await head()}`);
    expect(r.status).toBe(200);
    const report = r.body;
    const text = JSON.stringify(report);
    for (const id of Object.values(s)) expect(text).not.toContain(id);
    for (const id of Object.values(d)) expect(text).not.toContain(id);
    expect(text).not.toContain('Ana Staff');
    expect(report.received.total).toEqual([{ group: 'all', currency: 'USD', amountMinor: 81_000, gifts: 6, sustainers: 6, fewerThanFive: false }]);
    // January (2 sustainers) and February (4) each single out fewer than five: grouped.
    expect(report.received.byMonth).toEqual([{ group: '2026-01+2026-02', currency: 'USD', amountMinor: 81_000, gifts: 6, sustainers: 6, fewerThanFive: false }]);
    expect(report.received.byKind).toEqual([{ group: 'one-off+recurring', currency: 'USD', amountMinor: 81_000, gifts: 6, sustainers: 6, fewerThanFive: false }]);
    // One sustainer was refunded: fewer than five, withheld like a small group of gifts.
    expect(report.received.refundedMinor).toEqual({ USD: null });
    expect(report.received.otherIncome).toEqual([{ currency: 'USD', category: 'grant', amountMinor: 50_000 }]);
    expect(report.spent.byProgram).toEqual([
      { currency: 'USD', program: 'General fund', amountMinor: 15_000 },
      { currency: 'USD', program: 'land trust property improvements', amountMinor: 17_000 },
      { currency: 'USD', program: 'staff and internal capacity', amountMinor: 10_000 },
      { currency: 'USD', program: 'water autonomy initiatives', amountMinor: 7_500 },
    ]);
    expect(report.spent.byCategory).toEqual(expect.arrayContaining([{ currency: 'USD', category: 'land-trust-repair', amountMinor: 17_000 }, { currency: 'USD', category: 'appeal-mailings', amountMinor: 10_000 }]));
    expect(report.spent.totalByCurrency).toEqual({ USD: 49_500 });
    // By month, the same spending (the public page charts it).
    expect(report.spent.byMonth.length).toBeGreaterThan(0);
    for (const m of report.spent.byMonth) expect(m).toEqual({ currency: 'USD', month: expect.stringMatching(/^2026-(0[1-9]|1[0-2])$/), amountMinor: expect.any(Number) });
    expect(report.spent.byMonth.reduce((sum: number, m: { amountMinor: number }) => sum + m.amountMinor, 0)).toBe(49_500);
    expect(report.restrictedReleased).toEqual([
      { currency: 'USD', purpose: 'land trust property improvements', amountMinor: 17_000 },
      { currency: 'USD', purpose: 'water autonomy initiatives', amountMinor: 7_500 },
    ]);
    expect(report.landTrustProjectsCompleted).toEqual([expect.objectContaining({ improvementId, description: 'Roof repair', completedOn: '2026-04-30', estimateMinor: 18_000, costMinor: 17_000 })]);
    expect(report.lending).toEqual([{ currency: 'USD', loansMade: 1, lentMinor: 7_000, repaidMinor: 3_000, forgivenMinor: 0 }]);
    expect(report.labour).toEqual({ exchanges: 1, minutes: 120, hours: 2 });
    // A month alone: one sustainer in March-less January is withheld, not shown.
    const january = (await ledger.t.request('GET', '/v1/transparency/report?period=2026-01')).body;
    expect(january.received.total).toEqual([{ group: 'all', currency: 'USD', amountMinor: null, gifts: null, sustainers: null, fewerThanFive: true }]);
    const csv = await ledger.t.request('GET', '/v1/transparency/report?period=2026', { headers: { accept: 'text/csv' } });
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.text.split('\r\n')[0]).toBe('section,group,currency,amount_minor,count,sustainers,note');
    expect(csv.text).toContain('received-total,all,USD,81000,6,6,');
    expect(csv.text).toContain('refunded,all,USD,,,,fewer than 5 sustainers: withheld');
    expect(csv.text).toContain('spent-program,water autonomy initiatives,USD,7500,,,');
    for (const m of report.spent.byMonth) expect(csv.text).toContain(`spent-month,${m.month},USD,${m.amountMinor},,,`);
    expect(csv.text).toContain('refunded,all,USD,,,,fewer than 5 sustainers: withheld');
    const bad = await ledger.t.request('GET', '/v1/transparency/report?period=FY20');
    expect([bad.status, bad.body.code]).toEqual([400, 'REQUEST.INVALID']);
    expect((await ledger.t.request('GET', '/v1/transparency/report')).status).toBe(400);
  });

  it('states activities and financial position (ASC 958) that reconcile with the trial balance', async () => {
    const activities = await get('/v1/statements/activities?period=2026');
    expect(activities.status).toBe(200);
    const [a] = activities.body.statements;
    expect(a.revenue.contributions).toEqual({ withoutDonorRestrictionsMinor: 27_000, withDonorRestrictionsMinor: 50_000, totalMinor: 77_000 });
    expect(a.revenue.otherIncome).toEqual({ withoutDonorRestrictionsMinor: 50_000, withDonorRestrictionsMinor: 0, totalMinor: 50_000 });
    expect(a.netAssetsReleasedFromRestrictions).toEqual({ withoutDonorRestrictionsMinor: 24_500, withDonorRestrictionsMinor: -24_500, totalMinor: 0 });
    expect(a.expenses).toMatchObject({ programServicesMinor: 39_500, managementAndGeneralMinor: 0, fundraisingMinor: 10_000, total: { withoutDonorRestrictionsMinor: 49_500, totalMinor: 49_500 } });
    expect(a.changeInNetAssets).toEqual({ withoutDonorRestrictionsMinor: 52_000, withDonorRestrictionsMinor: 25_500, totalMinor: 77_500 });
    expect(a.netAssetsAtStart.totalMinor).toBe(0);
    expect(a.netAssetsAtEnd).toEqual({ withoutDonorRestrictionsMinor: 52_000, withDonorRestrictionsMinor: 25_500, totalMinor: 77_500 });
    expect(a.balanced).toBe(true);
    expect(a.reconciliation.every((r: { matches: boolean }) => r.matches)).toBe(true);

    const position = await get('/v1/statements/financial-position?asOf=2026-12-31');
    const [p] = position.body.statements;
    expect(p.assets).toMatchObject({ cashMinor: 73_500, loansReceivableMinor: 4_000, totalMinor: 77_500 });
    expect(p.assets.loansReceivable).toEqual([expect.objectContaining({ loanId, cooperativeName: 'Alpha Bakery', amountMinor: 4_000 })]);
    expect(p.netAssets.withoutDonorRestrictions).toEqual({ undesignatedMinor: 4_000, boardDesignatedMinor: 48_000, totalMinor: 52_000 });
    expect(p.netAssets.withDonorRestrictions.totalMinor).toBe(25_500);

    // The trial balance, independently: each figure is a sum of its accounts.
    const tb = await get('/v1/ledger/trial-balance?asOf=2026-12-31');
    const sum = (prefix: string) =>
      (tb.body.accounts as Array<{ account: string; asset: string; balanceMinor: number }>).filter((x) => x.asset === 'USD' && x.account.startsWith(prefix)).reduce((t, x) => t + x.balanceMinor, 0);
    expect(sum('fund:')).toBe(p.assets.cashMinor);
    expect(sum('loan:')).toBe(p.assets.loansReceivableMinor);
    expect(-sum('sustainer:')).toBe(a.revenue.contributions.totalMinor);
    expect(-sum('income:')).toBe(a.revenue.otherIncome.totalMinor);
    expect(sum('vendor:') + sum('expense:')).toBe(a.expenses.total.totalMinor);
    expect(a.revenue.total.totalMinor - a.expenses.total.totalMinor).toBe(p.netAssets.totalMinor);
    // The public report of the same year, against the same trial balance.
    const pub = (await ledger.t.request('GET', `/v1/transparency/report?period=2026&minPosition=${await head()}`)).body;
    expect(pub.spent.totalByCurrency.USD).toBe(sum('vendor:') + sum('expense:'));
    expect(pub.received.otherIncome.reduce((t: number, x: { amountMinor: number }) => t + x.amountMinor, 0)).toBe(-sum('income:'));
    // Gifts received less the one refund (4,000, withheld from the public report as it is one person's) are the contributions.
    expect(pub.received.total[0].amountMinor - 4_000).toBe(-sum('sustainer:'));
    const [lending] = pub.lending;
    expect(lending.lentMinor - lending.repaidMinor - lending.forgivenMinor).toBe(sum('loan:'));
    expect(pub.restrictedReleased.reduce((t: number, x: { amountMinor: number }) => t + x.amountMinor, 0)).toBe(a.netAssetsReleasedFromRestrictions.withoutDonorRestrictionsMinor);
    expect((await get('/v1/statements/activities?period=2026', (await ledger.t.token('sustainer', s['2'])).secret)).status).toBe(403);
  });

  it('keeps an erased sustainer\'s lots without a name, conserves everything, and replays to the same rows', async () => {
    await post('erase s1', `/v1/sustainers/${s['1']}/erase`, {});
    const d1 = await gift('d1', '2026-12-31');
    expect(d1).toMatchObject({ erased: true, totals: { spentMinor: 12_000 } });
    expect(JSON.stringify(d1)).not.toMatch(/Sustainer 1|s1@example/);
    const report = checkConservation(ledger.t.app.get(ReadModelDatabase).db);
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ ok: true, originsChecked: 7 });
    await expectReplayMatches(ledger.t);
    // `ledger replay` rebuilds the attribution from the log and checks its conservation too.
    const replay = ledgerCli(ledger.t.dataDir, ['replay']);
    expect(replay.stdout).toContain('OK: attribution conserved: 7 gifts and incomes');
    expect(replay.status).toBe(0);
  });
});
