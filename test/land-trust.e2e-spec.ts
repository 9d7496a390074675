import { LAND_TRUST_EVENTS } from '../src/modules/land-trust/land-trust.events';
import { EventCatalogue } from '../src/event-store/event-catalogue';
import { FixedClock } from '../src/shared/clock';
import { Ledger, expectCatalogued, expectReplayMatches, seed, seeded, useLedger } from './support/api';

/**
 * The community land trust over HTTP with real tokens: a property with three projects (one
 * completed under budget, one over budget with an approved increase, one cancelled midway),
 * reports asserted figure by figure against the funds' own balances and holds.
 *
 * Each `describe` below starts its own ledger (`useLandTrustLedger`) and each test brings it to
 * the state it needs with one named given-step; each step replays the one before it, then what
 * the story wrote next, so a test runs alone or in any order and asserts the figures of exactly
 * the state the story had reached.
 */

/** A ledger with the default funds on 2026-09-01, 1 000 000 in general and 500 000 in land-trust-improvements. */
interface LandTrustLedger {
  readonly ledger: Ledger;
  readonly clock: FixedClock;
  /** 12 Elm Street, once a given-step registered it. */
  propertyId: string;
  /** The roof (A), the heat pump (B) and the cistern (C), once planned. */
  readonly ids: Record<'A' | 'B' | 'C', string>;
  /** Anything else a step created, by name. */
  readonly more: Record<string, string>;
  balance(code: string, query?: string): Promise<Record<string, unknown>>;
  expense(id: string, vendor: string, amountMinor: number, invoiceReference: string, effectiveAt: string, token?: string): ReturnType<Ledger['post']>;
  line(code: string, amountMinor: number): { fundId: string; amountMinor: number };
  general(f: Record<string, number>): Record<string, unknown>;
  lti(f: Record<string, number>): Record<string, unknown>;
}

function useLandTrustLedger(): LandTrustLedger {
  const clock = new FixedClock(new Date('2026-09-01T10:00:00.000Z'));
  const ledger = useLedger({ clock, config: { seedFunds: 'default' } });
  const { funds, post, get } = ledger;
  beforeAll(async () => {
    for (const [code, amountMinor] of [['general', 1_000_000], ['land-trust-improvements', 500_000]] as const) {
      await seeded(`income ${code}`, seed.income(ledger, funds[code], amountMinor, '2026-09-01T08:00:00.000Z'));
    }
  });
  return {
    ledger,
    clock,
    propertyId: '',
    ids: { A: '', B: '', C: '' },
    more: {},
    balance: async (code, query = '') => (await get(`/v1/funds/${funds[code]}/balance${query}`)).body,
    expense: (id, vendor, amountMinor, invoiceReference, effectiveAt, token) =>
      post(`/v1/improvements/${id}/expenses`, { vendor, amountMinor, currency: 'USD', invoiceReference, effectiveAt }, token),
    line: (code, amountMinor) => ({ fundId: funds[code], amountMinor }),
    general: (f) => ({ fundId: funds.general, fundCode: 'general', currency: 'USD', ...f }),
    lti: (f) => ({ fundId: funds['land-trust-improvements'], fundCode: 'land-trust-improvements', currency: 'USD', ...f }),
  };
}

/** Given 12 Elm Street, held, then leased to household hh-7f3a9c from 2026-09-01. */
async function givenLeasedProperty(w: LandTrustLedger) {
  const { post } = w.ledger;
  w.propertyId = (await seeded('property', post('/v1/properties', { address: '12 Elm Street', parcelId: 'APN-044-221-07', acquiredOn: '2024-05-01', status: 'held' }))).propertyId;
  await seeded('ground lease', post(`/v1/properties/${w.propertyId}/ground-lease`, { householdId: 'hh-7f3a9c', startsOn: '2026-09-01', termYears: 99 }));
}

/** Given the leased property and a euro fund (opened to show a euro funding line refused). */
async function givenLeasedPropertyAndEuroFund(w: LandTrustLedger) {
  await givenLeasedProperty(w);
  w.more.euroGrants = (await seeded('euro fund', w.ledger.post('/v1/funds', { code: 'euro-grants', name: 'Euro grants', currency: 'EUR', restriction: { class: 'unrestricted' } }))).fundId;
}

/** Given the roof (A: 150 000 land trust + 50 000 general), heat pump (B: 100 000 general) and cistern (C: 60 000 general), each approved by the second steward. */
async function givenThreeApprovedProjects(w: LandTrustLedger) {
  await givenLeasedPropertyAndEuroFund(w);
  const { post, steward2 } = w.ledger;
  const plan = async (description: string, phase: string, estimateMinor: number, fundingLines: unknown[]) =>
    (await seeded(description, post('/v1/improvements', { propertyId: w.propertyId, description, phase, estimateMinor, currency: 'USD', fundingLines }))).improvementId as string;
  w.ids.A = await plan('Roof replacement', 'repair', 200_000, [w.line('land-trust-improvements', 150_000), w.line('general', 50_000)]);
  w.ids.B = await plan('Heat pump', 'energy', 100_000, [w.line('general', 100_000)]);
  w.ids.C = await plan('Rainwater cistern', 'water', 60_000, [w.line('general', 60_000)]);
  for (const id of Object.values(w.ids)) await seeded('approve', post(`/v1/improvements/${id}/approve`, {}, steward2));
}

/** Given, recorded on 2026-09-15: the roof 170 000 (AR-1001, 09-10), the heat pump 80 000 (SUN-7, 09-12), the cistern 25 000 (RC-3, 09-05). */
async function givenFirstExpenses(w: LandTrustLedger) {
  await givenThreeApprovedProjects(w);
  w.clock.set('2026-09-15T10:00:00.000Z');
  await seeded('AR-1001', w.expense(w.ids.A, 'Acme Roofing', 170_000, 'AR-1001', '2026-09-10T12:00:00.000Z'));
  await seeded('SUN-7', w.expense(w.ids.B, 'Sun Co-op', 80_000, 'SUN-7', '2026-09-12T12:00:00.000Z'));
  await seeded('RC-3', w.expense(w.ids.C, 'Rain Catchers', 25_000, 'RC-3', '2026-09-05T12:00:00.000Z'));
}

/** Given the heat pump's increase of 30 000 from the land trust fund approved, and 40 000 more spent on it (SUN-8). */
async function givenHeatPumpIncreasedAndSpent(w: LandTrustLedger) {
  await givenFirstExpenses(w);
  const { post, steward2 } = w.ledger;
  const increase = await seeded('increase', post(`/v1/improvements/${w.ids.B}/budget-increases`, { fundingLines: [w.line('land-trust-improvements', 30_000)], reason: 'larger unit needed' }));
  await seeded('approve increase', post(`/v1/improvements/${w.ids.B}/budget-increases/${increase.increaseId}/approve`, {}, steward2));
  await seeded('SUN-8', w.expense(w.ids.B, 'Sun Co-op', 40_000, 'SUN-8', '2026-09-15T09:00:00.000Z'));
}

/** Given that, and August 2026 closed. */
async function givenAugustClosed(w: LandTrustLedger) {
  await givenHeatPumpIncreasedAndSpent(w);
  await seeded('close', w.ledger.post('/v1/periods/close', { period: '2026-08' }));
}

/** Given that, and on 2026-09-20 the roof completed (09-19, passed) with a resale credit of 120 000, and the cistern cancelled. */
async function givenRoofCompletedAndCisternCancelled(w: LandTrustLedger) {
  await givenAugustClosed(w);
  const { post } = w.ledger;
  w.clock.set('2026-09-20T10:00:00.000Z');
  await seeded('complete', post(`/v1/improvements/${w.ids.A}/complete`, { completedOn: '2026-09-19', inspection: 'passed' }));
  await seeded('resale credit', post(`/v1/improvements/${w.ids.A}/resale-credit`, { amountMinor: 120_000, description: 'new roof' }));
  await seeded('cancel', post(`/v1/improvements/${w.ids.C}/cancel`, { reason: 'city water connection arrived' }));
}

/** Given that, a contingency increase requested once (Idempotency-Key increase-b-2) and the heat pump's last 10 000 spent (SUN-10). */
async function givenHeatPumpHoldSpent(w: LandTrustLedger) {
  await givenRoofCompletedAndCisternCancelled(w);
  const { t, steward } = w.ledger;
  await seeded('contingency', t.request('POST', `/v1/improvements/${w.ids.B}/budget-increases`, { token: steward, body: { fundingLines: [w.line('general', 5_000)], reason: 'contingency' }, headers: { 'idempotency-key': 'increase-b-2' } }));
  await seeded('SUN-10', w.expense(w.ids.B, 'Sun Co-op', 10_000, 'SUN-10', '2026-09-20T09:00:00.000Z'));
}

/** Given that, and a new wing of 2 000 000 planned (its approval refused: the fund cannot cover it). */
async function givenNewWingPlanned(w: LandTrustLedger) {
  await givenHeatPumpHoldSpent(w);
  await seeded('new wing', w.ledger.post('/v1/improvements', { propertyId: w.propertyId, description: 'New wing', phase: 'new-construction', estimateMinor: 2_000_000, currency: 'USD', fundingLines: [w.line('general', 2_000_000)] }));
}

/** The whole story: that, and 3 Oak Lane's windows with one expense reversed during the work and one after it completed. */
async function givenWholeStory(w: LandTrustLedger) {
  await givenNewWingPlanned(w);
  const { post, steward2 } = w.ledger;
  const second = await seeded('3 Oak Lane', post('/v1/properties', { address: '3 Oak Lane', parcelId: 'APN-044-221-08', acquiredOn: '2025-01-15', status: 'in-rehab' }));
  const d = (await seeded('windows', post('/v1/improvements', { propertyId: second.propertyId, description: 'Windows', phase: 'rehab', estimateMinor: 50_000, currency: 'USD', fundingLines: [w.line('general', 50_000)] }))).improvementId;
  await seeded('approve windows', post(`/v1/improvements/${d}/approve`, {}, steward2));
  const paid = await seeded('G-1', w.expense(d, 'Glass Co', 30_000, 'G-1', '2026-09-20T08:00:00.000Z'));
  await seeded('reverse G-1', post(`/v1/improvements/${d}/expenses/${paid.expenseId}/reverse`, { reason: 'wrong invoice' }));
  const later = await seeded('G-2', w.expense(d, 'Glass Co', 20_000, 'G-2', '2026-09-20T09:00:00.000Z'));
  await seeded('complete windows', post(`/v1/improvements/${d}/complete`, { completedOn: '2026-09-20', inspection: 'passed-with-conditions' }));
  await seeded('reverse G-2', post(`/v1/improvements/${d}/expenses/${later.expenseId}/reverse`, { reason: 'refunded by vendor' }));
}

describe('land trust over HTTP', () => {
  describe('a property and its ground lease', () => {
    const w = useLandTrustLedger();
    const { ledger } = w;
    const { post, get, refused } = ledger;

    it('registers a property, records a ground lease for a pseudonymous household, and keeps status changes as events', async () => {
      const created = await post('/v1/properties', { address: '12 Elm Street', parcelId: 'APN-044-221-07', acquiredOn: '2024-05-01', status: 'held' });
      expect(created.status).toBe(201);
      const propertyId = created.body.propertyId;
      await refused(() => post('/v1/properties', { address: 'Elsewhere', parcelId: 'APN-044-221-07', acquiredOn: '2024-05-01', status: 'held' }), 409, 'PROPERTY.PARCEL_TAKEN');
      await refused(() => post(`/v1/properties/${propertyId}/ground-lease`, { householdId: 'jane.doe@example.org', startsOn: '2026-09-01', termYears: 99 }), 400, 'LEASE.HOUSEHOLD_ID_INVALID');
      expect((await post(`/v1/properties/${propertyId}/ground-lease`, { householdId: 'hh-7f3a9c', startsOn: '2026-09-01', termYears: 99 })).status).toBe(201);
      await refused(() => post(`/v1/properties/${propertyId}/status`, { status: 'leased' }), 409, 'PROPERTY.STATUS_UNCHANGED');
      const view = (await get(`/v1/properties/${propertyId}`, ledger.auditor)).body;
      expect(view).toMatchObject({
        propertyId,
        address: '12 Elm Street',
        parcelId: 'APN-044-221-07',
        acquiredOn: '2024-05-01',
        status: 'leased',
        groundLease: { householdId: 'hh-7f3a9c', startsOn: '2026-09-01', termYears: 99 },
        statusHistory: [{ from: 'held', to: 'leased', reason: 'ground lease recorded' }],
      });
      expect((await get('/v1/properties', ledger.auditor)).body.items.map((p: { propertyId: string }) => p.propertyId)).toEqual([propertyId]);
    });
  });

  describe('plans refused', () => {
    const w = useLandTrustLedger();
    const { ledger, line } = w;
    const { post, refused } = ledger;

    it('refuses plans whose funding does not cover the estimate, is in another currency or is restricted elsewhere', async () => {
      await givenLeasedProperty(w);
      const { propertyId } = w;
      const plan = { propertyId, description: 'Roof', phase: 'repair', estimateMinor: 200_000, currency: 'USD' };
      await refused(() => post('/v1/improvements', { ...plan, fundingLines: [line('general', 199_999)] }), 422, 'IMPROVEMENT.FUNDING_SHORT');
      await refused(() => post('/v1/improvements', { ...plan, fundingLines: [line('water-autonomy', 200_000)] }), 422, 'IMPROVEMENT.PURPOSE_MISMATCH');
      await refused(() => post('/v1/improvements', { ...plan, estimateMinor: -5, fundingLines: [line('general', 200_000)] }), 400, 'REQUEST.INVALID');
      await refused(() => post('/v1/improvements', { ...plan, fundingLines: [line('general', 0)] }), 400, 'REQUEST.INVALID');
      await refused(() => post('/v1/improvements', { ...plan, fundingLines: [line('general', 100_000), line('general', 100_000)] }), 400, 'IMPROVEMENT.DUPLICATE_FUND');
      const eur = await post('/v1/funds', { code: 'euro-grants', name: 'Euro grants', currency: 'EUR', restriction: { class: 'unrestricted' } });
      expect(eur.status).toBe(201);
      await refused(() => post('/v1/improvements', { ...plan, fundingLines: [{ fundId: eur.body.fundId, amountMinor: 200_000 }] }), 422, 'IMPROVEMENT.CURRENCY_MISMATCH');
    });
  });

  describe('planning and approving', () => {
    const w = useLandTrustLedger();
    const { ledger, ids, balance, expense, line } = w;
    const { post, refused } = ledger;

    it('plans three projects, each approved by another steward, holding their funding lines', async () => {
      await givenLeasedPropertyAndEuroFund(w);
      const { propertyId } = w;
      const plan = (description: string, phase: string, estimateMinor: number, fundingLines: unknown[]) =>
        post('/v1/improvements', { propertyId, description, phase, estimateMinor, currency: 'USD', fundingLines });
      ids.A = (await plan('Roof replacement', 'repair', 200_000, [line('land-trust-improvements', 150_000), line('general', 50_000)])).body.improvementId;
      ids.B = (await plan('Heat pump', 'energy', 100_000, [line('general', 100_000)])).body.improvementId;
      ids.C = (await plan('Rainwater cistern', 'water', 60_000, [line('general', 60_000)])).body.improvementId;

      await refused(() => expense(ids.A, 'Acme Roofing', 1_000, 'EARLY-1', '2026-09-01T09:00:00.000Z'), 409, 'IMPROVEMENT.NOT_APPROVED');
      await refused(() => post(`/v1/improvements/${ids.A}/approve`, {}), 403, 'IMPROVEMENT.SELF_APPROVAL');
      for (const id of Object.values(ids)) expect((await post(`/v1/improvements/${id}/approve`, {}, ledger.steward2)).status).toBe(201);
      await refused(() => post(`/v1/improvements/${ids.A}/approve`, {}, ledger.steward2), 409, 'IMPROVEMENT.ALREADY_DECIDED');

      expect(await balance('general')).toMatchObject({ postedMinor: 1_000_000, pendingMinor: 210_000, availableMinor: 790_000 });
      expect(await balance('land-trust-improvements')).toMatchObject({ postedMinor: 500_000, pendingMinor: 150_000 });
    });
  });

  describe('expenses', () => {
    const w = useLandTrustLedger();
    const { ledger, clock, ids, expense } = w;
    const { funds, refused } = ledger;

    it('pays expenses from the funds in funding-line order, refusing spending beyond the allocation', async () => {
      await givenThreeApprovedProjects(w);
      clock.set('2026-09-15T10:00:00.000Z');
      const a1 = await expense(ids.A, 'Acme Roofing', 170_000, 'AR-1001', '2026-09-10T12:00:00.000Z');
      expect(a1.status).toBe(201);
      expect(a1.body.charges).toEqual([
        { fundId: funds['land-trust-improvements'], fundCode: 'land-trust-improvements', amountMinor: 150_000 },
        { fundId: funds.general, fundCode: 'general', amountMinor: 20_000 },
      ]);
      // Recorded on the 15th, paid on the 12th: a back-dated expense.
      expect((await expense(ids.B, 'Sun Co-op', 80_000, 'SUN-7', '2026-09-12T12:00:00.000Z')).status).toBe(201);
      expect((await expense(ids.C, 'Rain Catchers', 25_000, 'RC-3', '2026-09-05T12:00:00.000Z')).status).toBe(201);

      await refused(() => expense(ids.B, 'Sun Co-op', 80_000, 'SUN-7', '2026-09-13T12:00:00.000Z'), 409, 'IMPROVEMENT.DUPLICATE_INVOICE');
      await refused(() => expense(ids.B, 'Sun Co-op', -1, 'SUN-8', '2026-09-13T12:00:00.000Z'), 400, 'REQUEST.INVALID');
      await refused(() => expense(ids.B, 'Sun Co-op', 1_000, 'SUN-8', '2026-08-31T12:00:00.000Z'), 422, 'IMPROVEMENT.EXPENSE_BEFORE_APPROVAL');
      await refused(() => expense(ids.B, 'Sun Co-op', 1_000, 'SUN-8', '2026-09-16T12:00:00.000Z'), 422, 'IMPROVEMENT.EXPENSE_IN_FUTURE');
      const over = await refused(() => expense(ids.B, 'Sun Co-op', 40_000, 'SUN-8', '2026-09-14T12:00:00.000Z'), 409, 'IMPROVEMENT.OVER_ALLOCATION');
      expect(over).toMatchObject({ remainingMinor: 20_000, requestedMinor: 40_000 });
    });
  });

  describe('a budget increase', () => {
    const w = useLandTrustLedger();
    const { ledger, ids, balance, expense, line } = w;
    const { funds, post, refused } = ledger;

    it('spends beyond the estimate only after a budget increase is approved by another steward, and not before its approval date', async () => {
      await givenFirstExpenses(w);
      const increase = await post(`/v1/improvements/${ids.B}/budget-increases`, { fundingLines: [line('land-trust-improvements', 30_000)], reason: 'larger unit needed' });
      expect(increase.status).toBe(201);
      const url = `/v1/improvements/${ids.B}/budget-increases/${increase.body.increaseId}/approve`;
      // Requested, not approved: still refused.
      await refused(() => expense(ids.B, 'Sun Co-op', 40_000, 'SUN-8', '2026-09-15T09:00:00.000Z'), 409, 'IMPROVEMENT.OVER_ALLOCATION');
      await refused(() => post(url, {}), 403, 'IMPROVEMENT.SELF_APPROVAL');
      expect((await post(url, {}, ledger.steward2)).status).toBe(201);
      expect(await balance('land-trust-improvements')).toMatchObject({ postedMinor: 350_000, pendingMinor: 30_000 });
      // The increase pays from the day it was approved, not before.
      await refused(() => expense(ids.B, 'Sun Co-op', 40_000, 'SUN-8', '2026-09-14T12:00:00.000Z'), 409, 'IMPROVEMENT.OVER_ALLOCATION');
      const b2 = await expense(ids.B, 'Sun Co-op', 40_000, 'SUN-8', '2026-09-15T09:00:00.000Z');
      expect(b2.status).toBe(201);
      expect(b2.body.charges).toEqual([
        { fundId: funds.general, fundCode: 'general', amountMinor: 20_000 },
        { fundId: funds['land-trust-improvements'], fundCode: 'land-trust-improvements', amountMinor: 20_000 },
      ]);
    });
  });

  describe('a closed period', () => {
    const w = useLandTrustLedger();
    const { ledger, ids, expense } = w;
    const { post, refused } = ledger;

    it('refuses back-dating into a closed period', async () => {
      await givenHeatPumpIncreasedAndSpent(w);
      expect((await post('/v1/periods/close', { period: '2026-08' })).status).toBe(201);
      await refused(() => expense(ids.B, 'Sun Co-op', 1_000, 'SUN-9', '2026-08-20T12:00:00.000Z'), 422, 'PERIOD.CLOSED');
    });
  });

  describe('completing and cancelling', () => {
    const w = useLandTrustLedger();
    const { ledger, clock, ids, expense } = w;
    const { post, refused } = ledger;

    it('completes one project under budget, releasing the rest, with a resale credit; cancels another midway', async () => {
      await givenAugustClosed(w);
      clock.set('2026-09-20T10:00:00.000Z');
      await refused(() => post(`/v1/improvements/${ids.A}/resale-credit`, { amountMinor: 120_000, description: 'new roof' }), 409, 'IMPROVEMENT.NOT_COMPLETED');
      const done = await post(`/v1/improvements/${ids.A}/complete`, { completedOn: '2026-09-19', inspection: 'passed' });
      expect(done.status).toBe(201);
      expect(done.body).toMatchObject({ status: 'completed', releasedMinor: 30_000 });
      await refused(() => post(`/v1/improvements/${ids.A}/complete`, { completedOn: '2026-09-19', inspection: 'passed' }), 409, 'IMPROVEMENT.ALREADY_COMPLETED');
      await refused(() => expense(ids.A, 'Acme Roofing', 1_000, 'AR-1002', '2026-09-20T09:00:00.000Z'), 409, 'IMPROVEMENT.COMPLETED');
      await refused(() => post(`/v1/improvements/${ids.A}/resale-credit`, { amountMinor: 170_001, description: 'new roof' }), 422, 'IMPROVEMENT.CREDIT_EXCEEDS_COST');
      expect((await post(`/v1/improvements/${ids.A}/resale-credit`, { amountMinor: 120_000, description: 'new roof' })).status).toBe(201);

      const cancelled = await post(`/v1/improvements/${ids.C}/cancel`, { reason: 'city water connection arrived' });
      expect(cancelled.body).toMatchObject({ status: 'cancelled', releasedMinor: 35_000 });
      await refused(() => expense(ids.C, 'Rain Catchers', 1_000, 'RC-4', '2026-09-20T09:00:00.000Z'), 409, 'IMPROVEMENT.CANCELLED');
      await refused(() => post(`/v1/improvements/${ids.C}/cancel`, { reason: 'again' }), 409, 'IMPROVEMENT.CANCELLED');
    });
  });

  describe('reports, once the roof is completed and the cistern cancelled', () => {
    const w = useLandTrustLedger();
    const { ledger, ids, balance, general, lti } = w;
    const { funds, get } = ledger;
    // Every test here only reads: they share one ledger brought to the state once.
    beforeAll(() => givenRoofCompletedAndCisternCancelled(w));

    it('reports every figure per project, per phase, vendor and fund, and the funds agree', async () => {
      const { propertyId } = w;
      const report = (await get(`/v1/properties/${propertyId}/report`, ledger.auditor)).body;
      expect(report).toMatchObject({ propertyId, address: '12 Elm Street', parcelId: 'APN-044-221-07', status: 'leased' });
      expect((await get(`/v1/properties/${propertyId}/report?asOf=2026-08-31`, ledger.auditor)).body).toMatchObject({ status: 'held', projects: [], totals: [] });
      expect(report.projects).toEqual([
        {
          improvementId: ids.A, propertyId, description: 'Roof replacement', phase: 'repair', status: 'completed', currency: 'USD',
          estimateMinor: 200_000, allocatedMinor: 200_000, spentMinor: 170_000, releasedMinor: 30_000, remainingMinor: 0, varianceMinor: -30_000,
          completedOn: '2026-09-19', inspection: 'passed', resaleCreditMinor: 120_000,
          byVendor: [{ vendor: 'Acme Roofing', spentMinor: 170_000 }],
          byFund: [
            lti({ allocatedMinor: 150_000, spentMinor: 150_000, releasedMinor: 0, heldMinor: 0 }),
            general({ allocatedMinor: 50_000, spentMinor: 20_000, releasedMinor: 30_000, heldMinor: 0 }),
          ],
        },
        {
          improvementId: ids.B, propertyId, description: 'Heat pump', phase: 'energy', status: 'approved', currency: 'USD',
          estimateMinor: 100_000, allocatedMinor: 130_000, spentMinor: 120_000, releasedMinor: 0, remainingMinor: 10_000, varianceMinor: 20_000,
          byVendor: [{ vendor: 'Sun Co-op', spentMinor: 120_000 }],
          byFund: [
            general({ allocatedMinor: 100_000, spentMinor: 100_000, releasedMinor: 0, heldMinor: 0 }),
            lti({ allocatedMinor: 30_000, spentMinor: 20_000, releasedMinor: 0, heldMinor: 10_000 }),
          ],
        },
        {
          improvementId: ids.C, propertyId, description: 'Rainwater cistern', phase: 'water', status: 'cancelled', currency: 'USD',
          estimateMinor: 60_000, allocatedMinor: 60_000, spentMinor: 25_000, releasedMinor: 35_000, remainingMinor: 0, varianceMinor: -35_000,
          byVendor: [{ vendor: 'Rain Catchers', spentMinor: 25_000 }],
          byFund: [general({ allocatedMinor: 60_000, spentMinor: 25_000, releasedMinor: 35_000, heldMinor: 0 })],
        },
      ]);
      expect(report.totals).toEqual([
        { currency: 'USD', estimateMinor: 360_000, allocatedMinor: 390_000, spentMinor: 315_000, releasedMinor: 65_000, remainingMinor: 10_000, varianceMinor: -45_000 },
      ]);
      expect(report.byPhase).toEqual([
        { phase: 'energy', currency: 'USD', estimateMinor: 100_000, spentMinor: 120_000, varianceMinor: 20_000 },
        { phase: 'repair', currency: 'USD', estimateMinor: 200_000, spentMinor: 170_000, varianceMinor: -30_000 },
        { phase: 'water', currency: 'USD', estimateMinor: 60_000, spentMinor: 25_000, varianceMinor: -35_000 },
      ]);
      expect(report.byVendor).toEqual([
        { vendor: 'Acme Roofing', currency: 'USD', spentMinor: 170_000 },
        { vendor: 'Rain Catchers', currency: 'USD', spentMinor: 25_000 },
        { vendor: 'Sun Co-op', currency: 'USD', spentMinor: 120_000 },
      ]);
      expect(report.byFund).toEqual([
        general({ allocatedMinor: 210_000, spentMinor: 145_000, releasedMinor: 65_000, heldMinor: 0 }),
        lti({ allocatedMinor: 180_000, spentMinor: 170_000, releasedMinor: 0, heldMinor: 10_000 }),
      ]);

      // The funds' own balances: income less what the report says each paid; held is what the report says is still held.
      expect(await balance('general')).toMatchObject({ postedMinor: 1_000_000 - 145_000, pendingMinor: 0 });
      expect(await balance('land-trust-improvements')).toMatchObject({ postedMinor: 500_000 - 170_000, pendingMinor: 10_000 });
      const trial = (await get('/v1/ledger/trial-balance', ledger.auditor)).body;
      expect(trial.accounts).toEqual(expect.arrayContaining([
        { account: 'vendor:Acme Roofing', asset: 'USD', balanceMinor: 170_000 },
        { account: 'vendor:Sun Co-op', asset: 'USD', balanceMinor: 120_000 },
        { account: 'vendor:Rain Catchers', asset: 'USD', balanceMinor: 25_000 },
      ]));
      expect(trial.totalsByAsset).toEqual({ USD: 0 });
    });

    it('shows a back-dated expense in the report as of its own date and not before, agreeing with the funds then', async () => {
      const { propertyId } = w;
      const before = (await get(`/v1/properties/${propertyId}/report?asOf=2026-09-11`, ledger.auditor)).body;
      const on = (await get(`/v1/properties/${propertyId}/report?asOf=2026-09-12`, ledger.auditor)).body;
      const b = (r: { projects: { improvementId: string }[] }) => r.projects.find((p) => p.improvementId === ids.B);
      expect(b(before)).toMatchObject({ status: 'approved', allocatedMinor: 100_000, spentMinor: 0, remainingMinor: 100_000, byVendor: [] });
      expect(b(on)).toMatchObject({ status: 'approved', allocatedMinor: 100_000, spentMinor: 80_000, remainingMinor: 20_000, byVendor: [{ vendor: 'Sun Co-op', spentMinor: 80_000 }] });
      // As of the 12th nothing had completed or been cancelled yet.
      expect(on.projects.map((p: { status: string }) => p.status)).toEqual(['approved', 'approved', 'approved']);
      expect(on.totals).toEqual([
        { currency: 'USD', estimateMinor: 360_000, allocatedMinor: 360_000, spentMinor: 275_000, releasedMinor: 0, remainingMinor: 85_000, varianceMinor: -85_000 },
      ]);
      expect(on.byFund).toEqual([
        general({ allocatedMinor: 210_000, spentMinor: 125_000, releasedMinor: 0, heldMinor: 85_000 }),
        lti({ allocatedMinor: 150_000, spentMinor: 150_000, releasedMinor: 0, heldMinor: 0 }),
      ]);
      expect(await balance('general', '?asOf=2026-09-12')).toMatchObject({ postedMinor: 1_000_000 - 125_000, pendingMinor: 85_000 });
      expect(await balance('general', '?asOf=2026-09-11')).toMatchObject({ postedMinor: 1_000_000 - 45_000, pendingMinor: 165_000 });
      expect(await balance('land-trust-improvements', '?asOf=2026-09-12')).toMatchObject({ postedMinor: 350_000, pendingMinor: 0 });
      expect((await get(`/v1/properties/${propertyId}/report?asOf=2026-02-30`, ledger.auditor)).body).toMatchObject({ code: 'REQUEST.INVALID', errors: [{ field: 'asOf' }] });
    });

    it('rolls the portfolio up, per month and for a period', async () => {
      const { propertyId } = w;
      const report = (await get('/v1/land-trust/report?period=2026-09', ledger.auditor)).body;
      expect(report.properties).toEqual([
        {
          propertyId, address: '12 Elm Street', parcelId: 'APN-044-221-07', projects: 3,
          totals: [{ currency: 'USD', estimateMinor: 360_000, allocatedMinor: 390_000, spentMinor: 315_000, releasedMinor: 65_000, remainingMinor: 10_000, varianceMinor: -45_000 }],
        },
      ]);
      expect(report.byMonth).toEqual([{ month: '2026-09', currency: 'USD', spentMinor: 315_000 }]);
      expect(report.byQuarter).toEqual([{ period: 'FY2026-Q3', currency: 'USD', spentMinor: 315_000 }]);
      expect(report.byFiscalYear).toEqual([{ period: 'FY2026', currency: 'USD', spentMinor: 315_000 }]);
      expect(report.period).toMatchObject({ period: '2026-09', start: '2026-09-01', end: '2026-10-01', totals: [{ currency: 'USD', spentMinor: 315_000 }] });
      expect(report.period.byFund).toEqual([
        { fundId: funds.general, fundCode: 'general', currency: 'USD', spentMinor: 145_000 },
        { fundId: funds['land-trust-improvements'], fundCode: 'land-trust-improvements', currency: 'USD', spentMinor: 170_000 },
      ]);
      const august = (await get('/v1/land-trust/report?period=2026-08', ledger.auditor)).body;
      expect(august.period.totals).toEqual([]);
      expect((await get('/v1/land-trust/report?period=2026-13', ledger.auditor)).body).toMatchObject({ code: 'REQUEST.INVALID', errors: [{ field: 'period' }] });
    });

    it('answers both reports as CSV when asked', async () => {
      const { propertyId } = w;
      const csv = await get(`/v1/properties/${propertyId}/report?asOf=2026-09-12`, ledger.auditor, { accept: 'text/csv' });
      expect(csv.status).toBe(200);
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      const lines = csv.text.trimEnd().split('\r\n');
      expect(lines[0]).toBe('section,propertyId,improvementId,description,phase,status,vendor,fundCode,period,currency,estimateMinor,allocatedMinor,spentMinor,releasedMinor,remainingMinor,heldMinor,varianceMinor');
      expect(lines).toContain(`project,${propertyId},${ids.B},Heat pump,energy,approved,,,,USD,100000,100000,80000,0,20000,,-20000`);
      expect(lines).toContain(`total,${propertyId},,,,,,,,USD,360000,360000,275000,0,85000,,-85000`);
      const portfolio = await get('/v1/land-trust/report', ledger.auditor, { accept: 'text/csv' });
      expect(portfolio.headers['content-type']).toMatch(/^text\/csv/);
      expect(portfolio.text.split('\r\n')).toContain('month,,,,,,,,2026-09,USD,,,315000,,,,');
    });
  });

  describe('idempotency and a race for the last of a hold', () => {
    const w = useLandTrustLedger();
    const { ledger, ids, balance, expense, line } = w;

    it('answers a repeated request with the same Idempotency-Key once, and lets only one of two racing expenses take the last of a hold', async () => {
      await givenRoofCompletedAndCisternCancelled(w);
      const body = { fundingLines: [line('general', 5_000)], reason: 'contingency' };
      const headers = { 'idempotency-key': 'increase-b-2' };
      const first = await ledger.t.request('POST', `/v1/improvements/${ids.B}/budget-increases`, { token: ledger.steward, body, headers });
      const head = await ledger.t.store.headPosition();
      const again = await ledger.t.request('POST', `/v1/improvements/${ids.B}/budget-increases`, { token: ledger.steward, body, headers });
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body.increaseId).toBe(first.body.increaseId);
      expect(await ledger.t.store.headPosition()).toBe(head);

      // B has 10 000 left, held on the land-trust fund: two payments of 10 000 race for it.
      const results = await Promise.all([
        expense(ids.B, 'Sun Co-op', 10_000, 'SUN-10', '2026-09-20T09:00:00.000Z'),
        expense(ids.B, 'Sun Co-op', 10_000, 'SUN-11', '2026-09-20T09:00:00.000Z', ledger.steward2),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
      expect(results.find((r) => r.status === 409)?.body.code).toBe('IMPROVEMENT.OVER_ALLOCATION');
      expect(await balance('land-trust-improvements')).toMatchObject({ postedMinor: 320_000, pendingMinor: 0 });
    });
  });

  describe('showing projects, unknown ids, an approval the funds cannot cover', () => {
    const w = useLandTrustLedger();
    const { ledger, ids, balance, expense, line } = w;
    const { post, get, refused } = ledger;

    it('shows a project with its allocation and expenses; refuses unknown projects and properties, and approvals the funds cannot cover', async () => {
      await givenHeatPumpHoldSpent(w);
      const { propertyId } = w;
      const view = (await get(`/v1/improvements/${ids.C}`, ledger.auditor)).body;
      expect(view).toMatchObject({
        improvementId: ids.C,
        status: 'cancelled',
        cancelReason: 'city water connection arrived',
        allocation: [{ fundCode: 'general', amountMinor: 60_000, approvedOn: '2026-09-01', source: 'plan' }],
        expenses: [{ vendor: 'Rain Catchers', invoiceReference: 'RC-3', amountMinor: 25_000, effectiveAt: '2026-09-05T12:00:00.000Z', recordedAt: '2026-09-15T10:00:00.000Z' }],
      });
      const listed = (await get(`/v1/improvements?propertyId=${propertyId}&limit=2`, ledger.auditor)).body;
      expect(listed.items.map((i: { improvementId: string; status: string }) => [i.improvementId, i.status])).toEqual([[ids.A, 'completed'], [ids.B, 'approved']]);
      expect((await get(`/v1/improvements?propertyId=${propertyId}&after=${listed.next}`, ledger.auditor)).body.items.map((i: { improvementId: string }) => i.improvementId)).toEqual([ids.C]);
      expect((await get('/v1/improvements?status=cancelled', ledger.auditor)).body.items.map((i: { improvementId: string }) => i.improvementId)).toEqual([ids.C]);
      const unknown = '00000000-0000-4000-8000-000000000000';
      await refused(() => get(`/v1/improvements/${unknown}`, ledger.auditor), 404, 'IMPROVEMENT.NOT_FOUND');
      await refused(() => expense(unknown, 'Acme', 1, 'X', '2026-09-20T09:00:00.000Z'), 404, 'IMPROVEMENT.NOT_FOUND');
      await refused(() => post('/v1/improvements', { propertyId: unknown, description: 'x', phase: 'rehab', estimateMinor: 1, currency: 'USD', fundingLines: [line('general', 1)] }), 404, 'PROPERTY.NOT_FOUND');
      await refused(() => get(`/v1/properties/${unknown}/report`, ledger.auditor), 404, 'PROPERTY.NOT_FOUND');
      const big = await post('/v1/improvements', { propertyId, description: 'New wing', phase: 'new-construction', estimateMinor: 2_000_000, currency: 'USD', fundingLines: [line('general', 2_000_000)] });
      expect(big.status).toBe(201);
      const refusal = await refused(() => post(`/v1/improvements/${big.body.improvementId}/approve`, {}, ledger.steward2), 409, 'FUND.INSUFFICIENT_AVAILABLE');
      expect(refusal).toMatchObject({ availableMinor: 855_000, requestedMinor: 2_000_000 });
      expect(await balance('general')).toMatchObject({ pendingMinor: 0 });
    });
  });

  describe('reversing expenses', () => {
    const w = useLandTrustLedger();
    const { ledger, ids, balance, expense, line, general } = w;
    const { post, get, refused } = ledger;

    it('reverses an expense once: back into its holds while the work goes on, released after it has ended', async () => {
      await givenNewWingPlanned(w);
      const second = await post('/v1/properties', { address: '3 Oak Lane', parcelId: 'APN-044-221-08', acquiredOn: '2025-01-15', status: 'in-rehab' });
      const d = (await post('/v1/improvements', { propertyId: second.body.propertyId, description: 'Windows', phase: 'rehab', estimateMinor: 50_000, currency: 'USD', fundingLines: [line('general', 50_000)] })).body.improvementId;
      await post(`/v1/improvements/${d}/approve`, {}, ledger.steward2);
      const paid = await expense(d, 'Glass Co', 30_000, 'G-1', '2026-09-20T08:00:00.000Z');
      expect(await balance('general')).toMatchObject({ postedMinor: 825_000, pendingMinor: 20_000 });

      const url = `/v1/improvements/${d}/expenses/${paid.body.expenseId}/reverse`;
      await refused(() => post(url, { reason: 'wrong invoice', effectiveAt: '2026-09-19T12:00:00.000Z' }), 422, 'IMPROVEMENT.REVERSAL_BEFORE_EXPENSE');
      await refused(() => post(`/v1/improvements/${d}/expenses/${ids.A}/reverse`, { reason: 'x' }), 404, 'IMPROVEMENT.EXPENSE_NOT_FOUND');
      const reversed = await post(url, { reason: 'wrong invoice' });
      expect(reversed.body).toMatchObject({ status: 'reversed', restoredToHolds: true });
      await refused(() => post(url, { reason: 'again' }), 409, 'IMPROVEMENT.EXPENSE_ALREADY_REVERSED');
      expect(await balance('general')).toMatchObject({ postedMinor: 855_000, pendingMinor: 50_000 });

      const later = await expense(d, 'Glass Co', 20_000, 'G-2', '2026-09-20T09:00:00.000Z');
      await post(`/v1/improvements/${d}/complete`, { completedOn: '2026-09-20', inspection: 'passed-with-conditions' });
      expect(await balance('general')).toMatchObject({ postedMinor: 835_000, pendingMinor: 0 });
      const afterEnd = await post(`/v1/improvements/${d}/expenses/${later.body.expenseId}/reverse`, { reason: 'refunded by vendor' });
      expect(afterEnd.body).toMatchObject({ status: 'reversed', restoredToHolds: false });
      expect(await balance('general')).toMatchObject({ postedMinor: 855_000, pendingMinor: 0 });

      const report = (await get(`/v1/properties/${second.body.propertyId}/report`, ledger.auditor)).body;
      expect(report.projects).toEqual([
        {
          improvementId: d, propertyId: second.body.propertyId, description: 'Windows', phase: 'rehab', status: 'completed', currency: 'USD',
          estimateMinor: 50_000, allocatedMinor: 50_000, spentMinor: 0, releasedMinor: 50_000, remainingMinor: 0, varianceMinor: -50_000,
          completedOn: '2026-09-20', inspection: 'passed-with-conditions',
          byVendor: [{ vendor: 'Glass Co', spentMinor: 0 }],
          byFund: [general({ allocatedMinor: 50_000, spentMinor: 0, releasedMinor: 50_000, heldMinor: 0 })],
        },
      ]);
      const view = (await get(`/v1/improvements/${d}`, ledger.auditor)).body;
      expect(view.expenses.map((x: { reversal: { reason: string } }) => x.reversal.reason)).toEqual(['wrong invoice', 'refunded by vendor']);
      const trial = (await get('/v1/ledger/trial-balance', ledger.auditor)).body;
      expect(trial.accounts).not.toContainEqual(expect.objectContaining({ account: 'vendor:Glass Co' }));
    });
  });

  describe('the whole story: catalogue, verify and replay', () => {
    const w = useLandTrustLedger();
    const { ledger } = w;
    const { get } = ledger;
    // Every test here only reads: they share one ledger brought to the state once.
    beforeAll(() => givenWholeStory(w));

    it('wrote every land-trust event type, each valid against the catalogue', async () => {
      await expectCatalogued(ledger.t, new EventCatalogue(LAND_TRUST_EVENTS), /^(property|improvement)-/);
    });

    it('passes verify (the expense postings balance) and a replay rebuilds the same read models', async () => {
      expect((await get('/v1/audit/verify', ledger.auditor)).body).toMatchObject({ ok: true, problems: [] });
      await expectReplayMatches(ledger.t);
    });
  });
});
