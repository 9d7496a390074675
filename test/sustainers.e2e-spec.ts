import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson, sha256Hex } from '../src/shared/canonical-json';
import { FixedClock } from '../src/shared/clock';
import { ledgerCli } from './support/processes';
import { Ledger, seeded, useLedger } from './support/api';
import { allEvents } from './support/test-app';

/**
 * Sustainers over HTTP with real tokens: three pledges (monthly, quarterly, yearly) through 2028,
 * a leap year, with month-end due dates, a pause, an amendment and a refund; standings, fund
 * totals and statements to the cent; then an erasure that hides the person and keeps the totals.
 *
 * Each `describe` below has its own ledger with that year of gifts (`useSustainersLedger`); the
 * tests that only read share one, and each test that writes has a ledger of its own, brought by
 * named given-steps to the state the story had reached before it, so any test runs alone or in
 * any order.
 */

interface SustainersLedger {
  readonly ledger: Ledger;
  readonly ids: Record<string, string>;
  readonly pledges: Record<string, string>;
  readonly gifts: Record<string, string>;
  readonly tokens: Record<string, string>;
  created(url: string, body: unknown): Promise<Record<string, string>>;
  donate(name: string, body: Record<string, unknown>): Promise<string>;
  /** Everything a rejection must leave alone: a problem document, nothing appended. */
  refused(url: string, body: unknown, status: number, code: string, token?: string): Promise<unknown>;
}

/** A fresh ledger for the calling `describe` on 2029-01-10, with the year 2028 of pledges and gifts in it. */
function useSustainersLedger(): SustainersLedger {
  const clock = new FixedClock(new Date('2029-01-10T10:00:00.000Z'));
  const ledger = useLedger({ clock, config: { seedFunds: 'default', organisationName: 'Solidarity Network' } });
  const w: SustainersLedger = {
    ledger,
    ids: {},
    pledges: {},
    gifts: {},
    tokens: {},
    created: (url, body) => seeded(url, ledger.post(url, body)),
    donate: async (name, body) => (await w.created('/v1/donations', { sustainerId: w.ids[name], currency: 'USD', method: 'card', ...body })).donationId,
    refused: (url, body, status, code, token) => ledger.refused(() => ledger.post(url, body, token), status, code),
  };
  beforeAll(() => givenAYearOfGifts(w));
  return w;
}

/** Given Ada (monthly, paused in June and July), Bea (anonymous, quarterly, amended, one gift refunded) and Cy (yearly, and a cash gift) through 2028. */
async function givenAYearOfGifts(w: SustainersLedger) {
  const { ledger, ids, pledges, gifts, tokens, created, donate } = w;
  const { funds } = ledger;
  ids.ada = (await created('/v1/sustainers', { displayName: 'Ada Example', email: 'ada@example.org', postalAddress: '1 Main St', anonymous: false })).sustainerId;
  ids.bea = (await created('/v1/sustainers', { displayName: 'Bea Quiet', anonymous: true })).sustainerId;
  ids.cy = (await created('/v1/sustainers', { displayName: 'Cy Giver', email: 'cy@example.org', anonymous: false })).sustainerId;
  for (const name of ['ada', 'bea', 'cy']) tokens[name] = (await ledger.t.token('sustainer', ids[name])).secret;

  // Monthly from 31 January: due on the last day of shorter months (29 February: 2028 is a leap year).
  pledges.monthly = (await created('/v1/pledges', { sustainerId: ids.ada, fundId: funds['water-autonomy'], amountMinor: 2_500, currency: 'USD', interval: 'monthly', startDate: '2028-01-31' })).pledgeId;
  // Quarterly from 29 February, amended from 29 August to 150.00.
  pledges.quarterly = (await created('/v1/pledges', { sustainerId: ids.bea, fundId: funds.general, amountMinor: 10_000, currency: 'USD', interval: 'quarterly', startDate: '2028-02-29' })).pledgeId;
  // Yearly from 31 March, two instalments.
  pledges.yearly = (await created('/v1/pledges', { sustainerId: ids.cy, fundId: funds.general, amountMinor: 30_000, currency: 'USD', interval: 'yearly', startDate: '2028-03-31', instalments: 2 })).pledgeId;

  // Ada pays every month-end instalment, except June and July, when her pledge is paused.
  await created(`/v1/pledges/${pledges.monthly}/pause`, { from: '2028-06-01', reason: 'travelling' });
  await created(`/v1/pledges/${pledges.monthly}/resume`, { from: '2028-08-01' });
  for (const day of ['2028-01-31', '2028-02-29', '2028-03-31', '2028-04-30', '2028-05-31', '2028-08-31', '2028-09-30', '2028-10-31', '2028-11-30', '2028-12-31']) {
    await donate('ada', { pledgeId: pledges.monthly, amountMinor: 2_500, effectiveAt: day });
  }
  await created(`/v1/pledges/${pledges.quarterly}/amend`, { from: '2028-08-29', amountMinor: 15_000 });
  gifts.beaFeb = await donate('bea', { pledgeId: pledges.quarterly, amountMinor: 10_000, effectiveAt: '2028-02-29', method: 'bank-transfer' });
  gifts.beaMay = await donate('bea', { pledgeId: pledges.quarterly, amountMinor: 10_000, effectiveAt: '2028-05-29' });
  gifts.beaAug = await donate('bea', { pledgeId: pledges.quarterly, amountMinor: 15_000, effectiveAt: '2028-08-29' });
  gifts.beaNov = await donate('bea', { pledgeId: pledges.quarterly, amountMinor: 15_000, effectiveAt: '2028-11-29' });
  // The card payment of May was charged back: refunded on 15 June.
  await created(`/v1/donations/${gifts.beaMay}/refund`, { reason: 'card charged back', effectiveAt: '2028-06-15' });
  // Cy's yearly gift bought a 25.00 dinner ticket; later a one-off 50.00 in cash without a pledge.
  gifts.cyYearly = await donate('cy', { pledgeId: pledges.yearly, amountMinor: 30_000, effectiveAt: '2028-03-31', method: 'cheque', goodsServicesMinor: 2_500 });
  gifts.cyCash = await donate('cy', { fundId: funds.general, amountMinor: 5_000, effectiveAt: '2028-12-31', method: 'cash' });
}

/** Given what the refusals test writes: training-materials closed, a spare pledge of Cy's cancelled, January 2028 closed. */
async function givenFundClosedSparePledgeCancelledAndJanuaryClosed(w: SustainersLedger) {
  const { ledger, ids, created } = w;
  const { funds } = ledger;
  await created(`/v1/funds/${funds['training-materials']}/close`, { reason: 'merged' });
  const spare = (await created('/v1/pledges', { sustainerId: ids.cy, fundId: funds.general, amountMinor: 1_000, currency: 'USD', interval: 'monthly', startDate: '2029-01-31' })).pledgeId;
  await created(`/v1/pledges/${spare}/cancel`, { from: '2029-01-31', reason: 'changed their mind' });
  await created('/v1/periods/close', { period: '2028-01' });
}

/** Given Ada erased. */
async function givenAdaErased(w: SustainersLedger) {
  await w.created(`/v1/sustainers/${w.ids.ada}/erase`, {});
}

/** Given eight more monthly pledges of Cy's, each given a gift and then cancelled (one outcome of the race). */
async function givenCysRacedPledges(w: SustainersLedger) {
  const { ids, created } = w;
  const { funds } = w.ledger;
  for (let i = 0; i < 8; i++) {
    const { pledgeId } = await created('/v1/pledges', { sustainerId: ids.cy, fundId: funds.general, amountMinor: 1_000, currency: 'USD', interval: 'monthly', startDate: '2029-01-31' });
    await created('/v1/donations', { sustainerId: ids.cy, pledgeId, amountMinor: 1_000, currency: 'USD', method: 'card', effectiveAt: '2029-01-09' });
    await created(`/v1/pledges/${pledgeId}/cancel`, { from: '2029-01-31', reason: 'race' });
  }
}

describe('sustainers, pledges and donations over HTTP', () => {
  describe('after a year of gifts (these tests only read, so they share one ledger)', () => {
    const { ledger, ids, pledges, gifts, tokens } = useSustainersLedger();
    const { funds, post, get } = ledger;

    it('keeps personal data out of the log: only ciphertext, and no name in the answers kept with idempotency keys', async () => {
      const log = readFileSync(join(ledger.t.dataDir, 'events.db'));
      for (const clear of ['Ada Example', 'ada@example.org', '1 Main St', 'Bea Quiet']) expect(log.includes(Buffer.from(clear))).toBe(false);
    });

    it('reports each pledge standing as of any day, month ends and the leap day included', async () => {
      const monthly = (await get(`/v1/pledges/${pledges.monthly}?asOf=2028-12-31`)).body;
      expect(monthly).toMatchObject({ status: 'on-track', expectedMinor: 25_000, receivedMinor: 25_000, arrearsMinor: 0, nextDue: { dueOn: '2029-01-31', amountMinor: 2_500 } });
      expect(monthly.schedule.map((i: { dueOn: string }) => i.dueOn)).toEqual([
        '2028-01-31', '2028-02-29', '2028-03-31', '2028-04-30', '2028-05-31', '2028-08-31', '2028-09-30', '2028-10-31', '2028-11-30', '2028-12-31', '2029-01-31',
      ]);
      expect((await get(`/v1/pledges/${pledges.monthly}?asOf=2028-07-15`)).body).toMatchObject({ status: 'paused', expectedMinor: 12_500, receivedMinor: 12_500 });
      // Without gifts after the last one, three missed instalments make it lapsed.
      expect((await get(`/v1/pledges/${pledges.monthly}?asOf=2029-03-31`)).body).toMatchObject({ status: 'lapsed', arrearsMinor: 7_500 });

      const quarterly = (await get(`/v1/pledges/${pledges.quarterly}?asOf=2028-12-31`)).body;
      expect(quarterly).toMatchObject({ status: 'behind', expectedMinor: 50_000, receivedMinor: 40_000, arrearsMinor: 10_000, nextDue: { dueOn: '2029-02-28', amountMinor: 15_000 } });
      expect(quarterly.schedule.map((i: { dueOn: string; amountMinor: number }) => `${i.dueOn}:${i.amountMinor}`)).toEqual([
        '2028-02-29:10000', '2028-05-29:10000', '2028-08-29:15000', '2028-11-29:15000', '2029-02-28:15000',
      ]);
      // Before the refund the May gift counted.
      expect((await get(`/v1/pledges/${pledges.quarterly}?asOf=2028-06-14`)).body).toMatchObject({ status: 'on-track', receivedMinor: 20_000 });

      expect((await get(`/v1/pledges/${pledges.yearly}?asOf=2028-12-31`)).body).toMatchObject({ status: 'on-track', totalPromisedMinor: 60_000, nextDue: { dueOn: '2029-03-31' } });
      expect((await get(`/v1/pledges/${pledges.yearly}?asOf=2029-04-30`)).body).toMatchObject({ status: 'behind', arrearsMinor: 30_000, nextDue: null });
    });

    it('totals what was raised per fund by quarter, month and year, with promises apart, and the balances agree', async () => {
      const quarters = (await get('/v1/fund-totals?year=2028&by=quarter', ledger.auditor)).body.items;
      const row = (code: string, period: string) => quarters.find((r: { fundCode: string; period: string }) => r.fundCode === code && r.period === period);
      expect(row('water-autonomy', '2028-Q1')).toMatchObject({ receivedMinor: 7_500, refundedMinor: 0, netMinor: 7_500, promisedMinor: 7_500 });
      expect(row('water-autonomy', '2028-Q2')).toMatchObject({ receivedMinor: 5_000, promisedMinor: 5_000 });
      expect(row('water-autonomy', '2028-Q3')).toMatchObject({ receivedMinor: 5_000, promisedMinor: 5_000 });
      expect(row('water-autonomy', '2028-Q4')).toMatchObject({ receivedMinor: 7_500, promisedMinor: 7_500 });
      expect(row('general', '2028-Q1')).toMatchObject({ receivedMinor: 40_000, refundedMinor: 0, promisedMinor: 40_000 });
      expect(row('general', '2028-Q2')).toMatchObject({ receivedMinor: 10_000, refundedMinor: 10_000, netMinor: 0, promisedMinor: 10_000 });
      expect(row('general', '2028-Q4')).toMatchObject({ receivedMinor: 20_000, netMinor: 20_000, promisedMinor: 15_000 });

      const months = (await get('/v1/fund-totals?year=2028&by=month')).body.items;
      expect(months.find((r: { fundCode: string; period: string }) => r.fundCode === 'water-autonomy' && r.period === '2028-02')).toMatchObject({ receivedMinor: 2_500 });
      const years = (await get('/v1/fund-totals?year=2028&by=year')).body.items;
      expect(years).toEqual([
        expect.objectContaining({ fundCode: 'general', period: '2028', receivedMinor: 85_000, refundedMinor: 10_000, netMinor: 75_000, promisedMinor: 80_000 }),
        expect.objectContaining({ fundCode: 'water-autonomy', period: '2028', receivedMinor: 25_000, refundedMinor: 0, netMinor: 25_000, promisedMinor: 25_000 }),
      ]);
      expect((await get(`/v1/funds/${funds.general}/balance?asOf=2028-12-31`)).body.postedMinor).toBe(75_000);
      expect((await get(`/v1/funds/${funds['water-autonomy']}/balance?asOf=2028-12-31`)).body.postedMinor).toBe(25_000);
      expect((await get(`/v1/funds/${funds.general}/balance?asOf=2028-06-14`)).body.postedMinor).toBe(50_000);
      expect((await get('/v1/fund-totals?year=2028', (await ledger.t.token('sustainer', ids.ada)).secret)).status).toBe(403);
    });

    it('records the donation as a movement from the sustainer to the fund, carrying the restriction', async () => {
      const [first] = (await get(`/v1/donations?sustainerId=${ids.ada}&year=2028`)).body.items;
      expect(first).toMatchObject({ receivedOn: '2028-01-31', fundCode: 'water-autonomy', restriction: { class: 'donor-restricted' }, sustainerName: 'Ada Example' });
      const movement = (await get(`/v1/movements/${first.donationId}`)).body;
      expect(movement).toMatchObject({ kind: 'donation', status: 'posted', postings: [{ from: `sustainer:${ids.ada}`, to: 'fund:water-autonomy', amountMinor: 2_500, asset: 'USD' }] });
      expect((await get(`/v1/movements/${gifts.beaMay}`)).body).toMatchObject({ reversed: true, reversal: { reason: 'card charged back' } });
      // Journals and the trial balance see donations like any movement: a sustainer's account is what they gave, negated.
      expect((await get(`/v1/funds/${funds['water-autonomy']}/journal?kind=donation&limit=200`)).body.items).toHaveLength(10);
      const trial = (await get('/v1/ledger/trial-balance?asOf=2028-12-31', ledger.auditor)).body;
      expect(JSON.stringify(trial)).toContain(`sustainer:${ids.ada}`);
      const accounts = trial.accounts as Array<{ account: string; balanceMinor: number }>;
      expect(accounts.find((a) => a.account === `sustainer:${ids.ada}`)?.balanceMinor).toBe(-25_000);
      expect(accounts.find((a) => a.account === `sustainer:${ids.bea}`)?.balanceMinor).toBe(-40_000);
    });

    it('writes the year statement by day received, with the US acknowledgement for gifts of 250 USD or more, in JSON and CSV', async () => {
      const cy = (await get(`/v1/sustainers/${ids.cy}/statement?year=2028`)).body;
      expect(cy.sustainer).toMatchObject({ displayName: 'Cy Giver' });
      expect(cy.gifts).toEqual([
        expect.objectContaining({
          dateReceived: '2028-03-31', fundCode: 'general', amountMinor: 30_000, method: 'cheque', goodsOrServicesProvided: true, goodsServicesValueMinor: 2_500,
          contributionMinor: 27_500, quidProQuoDisclosureRequired: true,
          acknowledgement: expect.objectContaining({ organisationName: 'Solidarity Network', amountMinor: 30_000, dateReceived: '2028-03-31', goodsOrServicesProvided: true, goodsServicesValueMinor: 2_500 }),
        }),
        expect.objectContaining({ dateReceived: '2028-12-31', amountMinor: 5_000, method: 'cash', acknowledgement: null, goodsOrServicesProvided: false }),
      ]);
      expect(cy.gifts[0].acknowledgement.statement).toContain('by its good faith estimate, is 25.00 USD');
      expect(cy.totalsByFund).toEqual([expect.objectContaining({ fundCode: 'general', receivedMinor: 35_000, refundedMinor: 0, netMinor: 35_000, goodsServicesValueMinor: 2_500 })]);
      expect(cy.pledges).toEqual([expect.objectContaining({ pledgeId: pledges.yearly, promisedMinor: 30_000, receivedMinor: 30_000 })]);

      const bea = (await get(`/v1/sustainers/${ids.bea}/statement?year=2028`)).body;
      expect(bea.totals).toEqual([expect.objectContaining({ currency: 'USD', receivedMinor: 50_000, refundedMinor: 10_000, netMinor: 40_000 })]);
      expect(bea.gifts.find((g: { donationId: string }) => g.donationId === gifts.beaMay)).toMatchObject({ refundedOn: '2028-06-15', acknowledgement: null });

      const csv = await get(`/v1/sustainers/${ids.cy}/statement?year=2028`, ledger.steward, { accept: 'text/csv' });
      expect(csv.status).toBe(200);
      expect(csv.headers['content-type']).toContain('text/csv');
      const lines = csv.text.trim().split('\r\n');
      expect(lines[0]).toBe('date_received,donation_id,fund_code,amount_minor,currency,method,goods_or_services_provided,goods_services_value_minor,refunded_on,acknowledgement_required,organisation_name');
      expect(lines[1]).toBe(`2028-03-31,${gifts.cyYearly},general,30000,USD,cheque,yes,2500,,yes,Solidarity Network`);
      expect(lines[2]).toBe(`2028-12-31,${gifts.cyCash},general,5000,USD,cash,no,0,,no,Solidarity Network`);
    });

    it('never names an anonymous sustainer in a listing except to a steward or themselves', async () => {
      const byAuditor = (await get('/v1/sustainers', ledger.auditor)).body.items;
      expect(byAuditor.find((s: { sustainerId: string }) => s.sustainerId === ids.bea)).toMatchObject({ anonymous: true, displayName: null, email: null });
      expect(byAuditor.find((s: { sustainerId: string }) => s.sustainerId === ids.ada)).toMatchObject({ displayName: 'Ada Example', email: null });
      const donations = (await get('/v1/donations?year=2028', ledger.auditor)).body.items;
      expect(donations.filter((d: { sustainerId: string }) => d.sustainerId === ids.bea).every((d: { sustainerName: string | null }) => d.sustainerName === null)).toBe(true);
      expect((await get(`/v1/sustainers/${ids.bea}`)).body).toMatchObject({ displayName: 'Bea Quiet' });
      expect((await get('/v1/me', tokens.bea)).body).toMatchObject({ displayName: 'Bea Quiet', anonymous: true });
    });

    it("shows a sustainer their own pledges, donations and statement, and nothing of anyone else's (404, not 403)", async () => {
      const mine = (await get('/v1/me/pledges?asOf=2028-12-31', tokens.ada)).body.items;
      expect(mine).toEqual([expect.objectContaining({ pledgeId: pledges.monthly, status: 'on-track' })]);
      expect((await get('/v1/me/donations?year=2028', tokens.ada)).body.items).toHaveLength(10);
      expect((await get('/v1/me/statement?year=2028', tokens.ada)).body.totals).toEqual([expect.objectContaining({ receivedMinor: 25_000 })]);
      expect((await get('/v1/me/statement?year=2028', tokens.ada, { accept: 'text/csv' })).text.split('\r\n')).toHaveLength(12);
      expect((await get(`/v1/sustainers/${ids.ada}/statement?year=2028`, tokens.ada)).status).toBe(200);
      for (const url of [`/v1/sustainers/${ids.bea}/statement?year=2028`, `/v1/sustainers/${ids.bea}`, `/v1/pledges/${pledges.quarterly}`, `/v1/me/pledges/${pledges.quarterly}`]) {
        const other = await get(url, tokens.ada);
        expect({ url, status: other.status, code: other.body.code }).toEqual({ url, status: 404, code: expect.stringMatching(/NOT_FOUND$/) });
      }
      expect((await get('/v1/donations', tokens.ada)).status).toBe(403);
      expect((await post('/v1/pledges', {}, tokens.ada)).status).toBe(403);
    });
  });

  describe('refusals', () => {
    const { ledger, ids, pledges, gifts, created, refused } = useSustainersLedger();
    const { funds, post, get } = ledger;

    it('refuses bad input with a stable code and appends nothing', async () => {
      const pledge = { sustainerId: ids.cy, fundId: funds.general, amountMinor: 1_000, currency: 'USD', interval: 'monthly', startDate: '2029-01-31' };
      const unknown = '0190aaaa-0000-7000-8000-000000000000';
      await refused('/v1/pledges', { ...pledge, sustainerId: unknown }, 404, 'SUSTAINER.NOT_FOUND');
      await refused('/v1/pledges', { ...pledge, fundId: unknown }, 404, 'FUND.NOT_FOUND');
      await refused('/v1/pledges', { ...pledge, interval: 'weekly' }, 400, 'REQUEST.INVALID');
      await refused('/v1/pledges', { ...pledge, endDate: '2029-01-30' }, 422, 'PLEDGE.START_AFTER_END');
      await refused('/v1/pledges', { ...pledge, startDate: '2029-02-30' }, 400, 'REQUEST.INVALID');
      await refused('/v1/pledges', { ...pledge, currency: 'EUR' }, 422, 'PLEDGE.CURRENCY_MISMATCH');
      expect((await post(`/v1/funds/${funds['training-materials']}/close`, { reason: 'merged' })).status).toBe(201);
      await refused('/v1/pledges', { ...pledge, fundId: funds['training-materials'] }, 409, 'FUND.CLOSED');

      const gift = { sustainerId: ids.cy, amountMinor: 1_000, currency: 'USD', method: 'cash', effectiveAt: '2029-01-05' };
      await refused('/v1/donations', { ...gift, sustainerId: unknown, fundId: funds.general }, 404, 'SUSTAINER.NOT_FOUND');
      await refused('/v1/donations', { ...gift, pledgeId: unknown }, 404, 'PLEDGE.NOT_FOUND');
      await refused('/v1/donations', { ...gift, fundId: unknown }, 404, 'FUND.NOT_FOUND');
      await refused('/v1/donations', { ...gift, pledgeId: pledges.yearly, currency: 'EUR' }, 422, 'DONATION.CURRENCY_MISMATCH');
      await refused('/v1/donations', { ...gift, pledgeId: pledges.monthly }, 422, 'DONATION.PLEDGE_OF_ANOTHER_SUSTAINER');
      await refused('/v1/donations', { ...gift }, 400, 'REQUEST.INVALID');
      await refused('/v1/donations', { ...gift, fundId: funds.general, method: 'barter' }, 400, 'REQUEST.INVALID');
      await refused('/v1/donations', { ...gift, fundId: funds.general, goodsServicesMinor: 1_001 }, 422, 'DONATION.GOODS_VALUE_INVALID');
      await refused(`/v1/donations/${unknown}/refund`, { reason: 'x' }, 404, 'DONATION.NOT_FOUND');
      await refused(`/v1/donations/${gifts.beaMay}/refund`, { reason: 'again' }, 409, 'MOVEMENT.ALREADY_REVERSED');
      await refused(`/v1/pledges/${unknown}/pause`, { from: '2029-01-01' }, 404, 'PLEDGE.NOT_FOUND');
      await refused(`/v1/pledges/${pledges.monthly}/resume`, { from: '2029-01-01' }, 409, 'PLEDGE.NOT_PAUSED');
      await refused(`/v1/pledges/${pledges.monthly}/pause`, { from: '2028-07-01' }, 422, 'PLEDGE.DATE_BEFORE_LAST_CHANGE');

      // A cancelled pledge takes no more changes and no more gifts.
      const spare = (await created('/v1/pledges', pledge)).pledgeId;
      expect((await post(`/v1/pledges/${spare}/cancel`, { from: '2029-01-31', reason: 'changed their mind' })).body).toMatchObject({ status: 'cancelled' });
      await refused(`/v1/pledges/${spare}/amend`, { from: '2029-02-01', amountMinor: 2_000 }, 409, 'PLEDGE.CANCELLED');
      await refused(`/v1/pledges/${spare}/write-off`, { from: '2029-02-01', reason: 'x' }, 409, 'PLEDGE.CANCELLED');
      await refused('/v1/donations', { ...gift, pledgeId: spare }, 409, 'PLEDGE.CANCELLED');
      expect((await get(`/v1/pledges/${spare}?asOf=2029-12-31`)).body).toMatchObject({ status: 'cancelled', nextDue: null, expectedMinor: 0 });

      const badDay = await get(`/v1/pledges/${pledges.monthly}?asOf=2027-02-29`);
      expect({ status: badDay.status, code: badDay.body.code }).toEqual({ status: 400, code: 'REQUEST.INVALID' });
      expect((await get('/v1/sustainers/not-a-uuid')).body.code).toBe('REQUEST.INVALID');

      // Nothing is back-dated into a closed period, a refund neither.
      expect((await post('/v1/periods/close', { period: '2028-01' })).status).toBe(201);
      await refused('/v1/donations', { ...gift, fundId: funds.general, effectiveAt: '2028-01-15' }, 422, 'PERIOD.CLOSED');
      const [january] = (await get(`/v1/donations?sustainerId=${ids.ada}&year=2028`)).body.items;
      await refused(`/v1/donations/${january.donationId}/refund`, { reason: 'late', effectiveAt: '2028-01-31' }, 422, 'PERIOD.CLOSED');
      // Nor before the gift was received.
      await refused(`/v1/donations/${gifts.cyCash}/refund`, { reason: 'early', effectiveAt: '2028-12-30' }, 422, 'DONATION.REFUND_BEFORE_GIFT');
    });
  });

  describe('erasure', () => {
    const w = useSustainersLedger();
    const { ledger, ids, pledges, tokens, refused } = w;
    const { funds, post, get } = ledger;

    it('erases a sustainer: the person is hidden everywhere, every total is unchanged, and the log still verifies', async () => {
      await givenFundClosedSparePledgeCancelledAndJanuaryClosed(w);
      const totalsBefore = (await get('/v1/fund-totals?year=2028&by=quarter')).body;
      const balanceBefore = (await get(`/v1/funds/${funds['water-autonomy']}/balance`)).body.postedMinor;
      const pledgeBefore = (await get(`/v1/pledges/${pledges.monthly}?asOf=2028-12-31`)).body;

      const erased = await post(`/v1/sustainers/${ids.ada}/erase`, {});
      expect(erased.status).toBe(201);
      await refused(`/v1/sustainers/${ids.ada}/erase`, {}, 409, 'SUSTAINER.ERASED');
      await refused('/v1/donations', { sustainerId: ids.ada, pledgeId: pledges.monthly, amountMinor: 2_500, currency: 'USD', method: 'card', effectiveAt: '2029-01-05' }, 409, 'SUSTAINER.ERASED');
      await refused(`/v1/pledges/${pledges.monthly}/pause`, { from: '2029-02-01' }, 409, 'SUSTAINER.ERASED');
      await refused('/v1/pledges', { sustainerId: ids.ada, fundId: funds.general, amountMinor: 1_000, currency: 'USD', interval: 'monthly', startDate: '2029-01-31' }, 409, 'SUSTAINER.ERASED');

      const hidden = { erased: true, displayName: null, email: null, postalAddress: null };
      expect((await get(`/v1/sustainers/${ids.ada}`)).body).toMatchObject(hidden);
      expect((await get('/v1/sustainers')).body.items.find((s: { sustainerId: string }) => s.sustainerId === ids.ada)).toMatchObject(hidden);
      expect((await get('/v1/me', tokens.ada)).body).toMatchObject(hidden);
      expect((await get(`/v1/sustainers/${ids.ada}/statement?year=2028`)).body.sustainer).toMatchObject(hidden);
      const listing = (await get(`/v1/donations?sustainerId=${ids.ada}`)).body.items;
      expect(listing).toHaveLength(10);
      expect(listing.every((d: { sustainerName: string | null }) => d.sustainerName === null)).toBe(true);

      expect((await get('/v1/fund-totals?year=2028&by=quarter')).body).toEqual(totalsBefore);
      expect((await get(`/v1/funds/${funds['water-autonomy']}/balance`)).body.postedMinor).toBe(balanceBefore);
      expect((await get(`/v1/pledges/${pledges.monthly}?asOf=2028-12-31`)).body).toEqual(pledgeBefore);
      expect((await get(`/v1/sustainers/${ids.ada}/statement?year=2028`)).body.totals).toEqual([expect.objectContaining({ receivedMinor: 25_000 })]);

      const verify = await get('/v1/audit/verify', ledger.auditor);
      expect(verify.body).toMatchObject({ ok: true, problems: [] });
      for (const file of ['readmodels.db', 'keys.db']) expect(readFileSync(join(ledger.t.dataDir, file)).includes(Buffer.from('Ada Example'))).toBe(false);

      // The compiled tool agrees: the log verifies, and the read models rebuilt from position 0 are the live ones.
      const verified = ledgerCli(ledger.t.dataDir, ['verify']);
      expect(verified.stdout).toMatch(/^OK: /);
      expect(verified.status).toBe(0);
      const replayed = ledgerCli(ledger.t.dataDir, ['replay']);
      expect(replayed.stdout).toMatch(/^OK: /);
      expect(replayed.status).toBe(0);
    });
  });

  describe('a gift racing a cancellation', () => {
    const w = useSustainersLedger();
    const { ledger, ids, created } = w;
    const { funds, post } = ledger;

    it('never records a gift on a pledge cancelled before it, however a gift and a cancellation race', async () => {
      await givenFundClosedSparePledgeCancelledAndJanuaryClosed(w);
      await givenAdaErased(w);
      const made = await Promise.all(
        Array.from({ length: 8 }, () =>
          created('/v1/pledges', { sustainerId: ids.cy, fundId: funds.general, amountMinor: 1_000, currency: 'USD', interval: 'monthly', startDate: '2029-01-31' }),
        ),
      );
      for (const { pledgeId } of made) {
        const [gift, cancel] = await Promise.all([
          post('/v1/donations', { sustainerId: ids.cy, pledgeId, amountMinor: 1_000, currency: 'USD', method: 'card', effectiveAt: '2029-01-09' }),
          post(`/v1/pledges/${pledgeId}/cancel`, { from: '2029-01-31', reason: 'race' }),
        ]);
        expect(cancel.status).toBe(201);
        const types: string[] = [];
        for await (const e of ledger.t.store.readStream(`pledge-${pledgeId}`)) types.push(e.type);
        if (gift.status === 201) expect(types).toEqual(['PledgeMade', 'PledgeGiftReceived', 'PledgeCancelled']);
        else {
          expect(gift.body.code).toBe('PLEDGE.CANCELLED');
          expect(types).toEqual(['PledgeMade', 'PledgeCancelled']);
        }
      }
    });
  });

  describe('a retried registration', () => {
    const w = useSustainersLedger();
    const { ledger } = w;
    const { get } = ledger;

    it('answers a retried registration as first answered, leaving no second key and no personal data in the stored answer', async () => {
      await givenFundClosedSparePledgeCancelledAndJanuaryClosed(w);
      await givenAdaErased(w);
      await givenCysRacedPledges(w);
      const body = { displayName: 'Dee Retry', email: 'dee@example.org', anonymous: false };
      const headers = { 'idempotency-key': 'register-dee' };
      const first = await ledger.t.request('POST', '/v1/sustainers', { token: ledger.steward, body, headers });
      const again = await ledger.t.request('POST', '/v1/sustainers', { token: ledger.steward, body, headers });
      expect(first.status).toBe(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body.sustainerId).toBe(first.body.sustainerId);
      const other = await ledger.t.request('POST', '/v1/sustainers', { token: ledger.steward, body: { ...body, displayName: 'Someone Else' }, headers });
      expect(other.body.code).toBe('IDEMPOTENCY.KEY_REUSED');
      expect((await get(`/v1/sustainers/${first.body.sustainerId}`)).body.displayName).toBe('Dee Retry');
      const keys = new Database(join(ledger.t.dataDir, 'keys.db'), { readonly: true });
      try {
        const count = keys.prepare('SELECT count(*) AS n FROM sustainer_keys').get() as { n: number };
        expect(count.n).toBe(3); // Bea, Cy and Dee: Ada's key is gone, the retries left none behind.
      } finally {
        keys.close();
      }
      expect(readFileSync(join(ledger.t.dataDir, 'events.db')).includes(Buffer.from('dee@example.org'))).toBe(false);
      // The stored fingerprint is keyed: a plain hash of the body would confirm a guess of the person's data.
      const plain = sha256Hex(canonicalJson({ method: 'POST', url: '/v1/sustainers', body }));
      const recorded = (await allEvents(ledger.t.store)).filter((e) => e.type === 'IdempotentRequestRecorded').map((e) => (e.data as { fingerprint: string }).fingerprint);
      expect(recorded.length).toBeGreaterThan(0);
      expect(recorded).not.toContain(plain);
    });
  });
});
