import { SealService } from '../../src/audit/seals/seal.service';
import { LedgerConfig } from '../../src/config';
import { FixedClock } from '../../src/shared/clock';
import { RegisteredRoute, TestApp, TestResponse, startTestApp } from './test-app';

/**
 * One small but complete world, seeded through the real HTTP API, that the fuzz suite, the roles
 * matrix and the contract tests share: every kind of id a path can take exists at least twice,
 * once belonging to the scoped tokens' own subjects and once to subjects they may not see.
 *
 * Cooperative A and sustainer S1 are "own" for the scoped tokens; cooperative C (with loans and
 * exchanges between B and C only) and sustainer S2 are "other". Cooperative B is the counterpart
 * of both (A and C each borrow B's mixer, B lends to A and lends money to C), so B's ids may appear in what A or C sees; the
 * world is symmetric, so C's token sees A's ids as "other" exactly as A sees C's.
 */
export const NOW = '2026-10-01T10:00:00.000Z';

export type Subject = 'own' | 'other';

export interface World {
  readonly t: TestApp;
  readonly tokens: {
    steward: string;
    steward2: string;
    auditor: string;
    sustainerOwn: string;
    sustainerOther: string;
    cooperativeOwn: string;
    cooperativeOther: string;
    /** Cooperative B's token (A's counterpart), used to seed and confirm. */
    cooperativeB: string;
  };
  readonly funds: Record<string, string>;
  /** Ids of each kind: `own` belongs to A / S1 where the kind is scoped, `other` to C / S2. */
  readonly ids: Record<string, Record<Subject, string>>;
  /** Real ids a body field of this name may hold (`fundId`, `borrowerId`, …), for valid bodies. */
  idsForField(field: string): string[];
  /** The same, for a cooperative token acting for its own cooperative (`own` is A, `other` is C). */
  idsForCooperative(subject: Subject): (field: string) => string[];
  /** The ids a scoped token must never see in a body, by scoped role. */
  readonly foreignIds: { sustainer: string[]; cooperative: string[] };
}

async function must(label: string, response: Promise<TestResponse>): Promise<TestResponse> {
  const r = await response;
  if (r.status < 200 || r.status >= 300) {
    throw new Error(`fixture ${label} failed: ${r.status} ${r.text.slice(0, 500)}`);
  }
  return r;
}

export async function seedWorld(config: Partial<LedgerConfig> = {}, options: { onRoute?: (route: RegisteredRoute) => void } = {}): Promise<World> {
  // Webhook subscribers of the world point nowhere: no delivery is attempted (see test/webhooks.e2e-spec.ts for that).
  const t = await startTestApp({ clock: new FixedClock(new Date(NOW)), config: { seedFunds: 'default', webhookDelivery: false, ...config }, onRoute: options.onRoute });
  const steward = (await t.token('steward')).secret;
  const steward2 = (await t.token('steward')).secret;
  const auditor = (await t.token('auditor')).secret;
  const post = (label: string, url: string, body: unknown, token = steward) => must(label, t.request('POST', url, { token, body }));

  const list = await must('funds', t.request('GET', `/v1/funds?minPosition=${await t.store.headPosition()}`, { token: steward }));
  const funds: Record<string, string> = {};
  for (const f of list.body.items as { fundId: string; code: string }[]) funds[f.code] = f.fundId;
  for (const code of ['general', 'revolving-loan-fund', 'internal-capacity']) {
    await post(`income ${code}`, '/v1/income', {
      fundId: funds[code], source: 'Solidarity Foundation', category: 'grant', amountMinor: 1_000_000, currency: 'USD', effectiveAt: '2026-09-01T08:00:00.000Z',
    });
  }
  const transfer = (amountMinor: number) =>
    post('transfer', '/v1/transfers', { fromFundId: funds.general, toFundId: funds['internal-capacity'], amountMinor, currency: 'USD', memo: 'fixture' });
  const t1 = (await transfer(5_000)).body.movementId;
  const t2 = (await transfer(6_000)).body.movementId;
  const disburse = (n: number) =>
    post('disbursement', '/v1/disbursements', {
      fundId: funds.general, payee: 'Print Shop', category: 'printing', invoiceReference: `P-${n}`, amountMinor: 2_500, currency: 'USD', effectiveAt: '2026-09-15T12:00:00.000Z',
    });
  const d1 = (await disburse(1)).body.movementId;
  const d2 = (await disburse(2)).body.movementId;

  const property = (n: number) =>
    post('property', '/v1/properties', { address: `${n} Elm Street`, parcelId: `APN-044-221-0${n}`, acquiredOn: '2024-05-01', status: 'held' });
  const p1 = (await property(1)).body.propertyId;
  const p2 = (await property(2)).body.propertyId;
  const improvement = (propertyId: string) =>
    post('improvement', '/v1/improvements', {
      propertyId, description: 'Roof', phase: 'rehab', estimateMinor: 20_000, currency: 'USD', fundingLines: [{ fundId: funds.general, amountMinor: 20_000 }],
    });
  const i1 = (await improvement(p1)).body.improvementId;
  const i2 = (await improvement(p2)).body.improvementId;
  await post('approve improvement', `/v1/improvements/${i1}/approve`, undefined, steward2);
  await post('approve improvement', `/v1/improvements/${i2}/approve`, undefined, steward2);
  const expense = (improvementId: string, n: number) =>
    post('expense', `/v1/improvements/${improvementId}/expenses`, {
      vendor: 'Acme Roofing', amountMinor: 1_000, currency: 'USD', invoiceReference: `R-${n}`, effectiveAt: '2026-10-01T09:00:00.000Z',
    });
  const e1 = (await expense(i1, 1)).body;
  const e2 = (await expense(i2, 2)).body;
  const increase = (improvementId: string) =>
    post('budget increase', `/v1/improvements/${improvementId}/budget-increases`, {
      fundingLines: [{ fundId: funds.general, amountMinor: 1_000 }], reason: 'more tiles',
    });
  const b1 = (await increase(i1)).body;
  const b2 = (await increase(i2)).body;

  const coop = async (name: string) => (await post('cooperative', '/v1/cooperatives', { name, sector: 'food', contact: `hello@${name.toLowerCase()}.coop` })).body.cooperativeId as string;
  const coopA = await coop('Alpha');
  const coopB = await coop('Bravo');
  const coopC = await coop('Charlie');
  const tokenA = (await t.token('cooperative', coopA)).secret;
  const tokenB = (await t.token('cooperative', coopB)).secret;
  const tokenC = (await t.token('cooperative', coopC)).secret;
  const plan = { interval: 'monthly', instalments: 3, firstDueOn: '2026-11-01' };
  const loanA = (await post('money loan A', '/v1/money-loans', {
    fromFundId: funds['revolving-loan-fund'], borrowerId: coopA, amountMinor: 60_000, currency: 'USD', purpose: 'oven', disbursedOn: '2026-09-20', repayment: plan,
  })).body.loanId;
  // Should a loan from a fund come to need a second steward's approval (as other outflows do),
  // give it one; where no such route exists this is a 404 and writes nothing.
  await t.request('POST', `/v1/money-loans/${loanA}/approve`, { token: steward2 });
  const loanBC = (await post('money loan B→C', '/v1/money-loans', {
    fromCooperativeId: coopB, borrowerId: coopC, amountMinor: 10_000, currency: 'USD', purpose: 'van', disbursedOn: '2026-09-20', repayment: plan,
  }, tokenB)).body.loanId;
  const resource = async (ownerId: string, token: string) =>
    (await post('resource', '/v1/resources', { ownerId, kind: 'equipment', description: 'Stand mixer', condition: 'good', status: 'available' }, token)).body.resourceId as string;
  const resA = await resource(coopA, tokenA);
  const resB = await resource(coopB, tokenB);
  const resC = await resource(coopC, tokenC);
  const thingA = (await post('thing loan B→A', '/v1/loans', { resourceId: resB, borrowerId: coopA, startOn: '2026-10-05', dueOn: '2026-10-12' }, tokenA)).body.loanId;
  const thingBC = (await post('thing loan B→C', '/v1/loans', { resourceId: resB, borrowerId: coopC, startOn: '2026-11-05', dueOn: '2026-11-12' }, tokenC)).body.loanId;
  const hours = async (workerId: string, receiverId: string, token: string) =>
    (await post('labour', '/v1/labour-exchanges', { workerId, receiverId, minutes: 120, workedOn: '2026-09-10', description: 'Harvest help' }, token)).body.exchangeId as string;
  const exA = await hours(coopA, coopB, tokenA);
  const exBC = await hours(coopB, coopC, tokenB);

  const sustainer = async (displayName: string) =>
    (await post('sustainer', '/v1/sustainers', { displayName, email: `${displayName.toLowerCase()}@example.org`, anonymous: false })).body.sustainerId as string;
  const s1 = await sustainer('Sam');
  const s2 = await sustainer('Tess');
  const pledge = async (sustainerId: string) =>
    (await post('pledge', '/v1/pledges', { sustainerId, fundId: funds.general, amountMinor: 2_000, currency: 'USD', interval: 'monthly', startDate: '2026-01-31' })).body.pledgeId as string;
  const pl1 = await pledge(s1);
  const pl2 = await pledge(s2);
  const donation = async (sustainerId: string, pledgeId: string) =>
    (await post('donation', '/v1/donations', { sustainerId, pledgeId, amountMinor: 2_000, currency: 'USD', method: 'card', effectiveAt: '2026-02-01T09:00:00.000Z' })).body.donationId as string;
  const do1 = await donation(s1, pl1);
  const do2 = await donation(s2, pl2);
  const webhook = async (n: number) =>
    (await post('webhook', '/v1/webhooks', { url: `http://127.0.0.1:9/hook-${n}`, eventTypes: ['MovementPosted'] })).body.subscriptionId as string;
  const wh1 = await webhook(1);
  const wh2 = await webhook(2);
  const sus1 = (await t.token('sustainer', s1)).secret;
  const sus2 = (await t.token('sustainer', s2)).secret;
  // Tokens the matrix may rotate and revoke (never one it calls with).
  const spareTokenOwn = (await t.token('auditor')).tokenId;
  const spareTokenOther = (await t.token('auditor')).tokenId;
  await t.request('GET', `/v1/funds?minPosition=${await t.store.headPosition()}`, { token: steward });

  const pair = (own: string, other: string) => ({ own, other });
  const ids: Record<string, Record<Subject, string>> = {
    fundId: pair(funds.general, funds['internal-capacity']),
    movementId: pair(t1, t2),
    transferId: pair(t1, t2),
    disbursementId: pair(d1, d2),
    propertyId: pair(p1, p2),
    improvementId: pair(i1, i2),
    expenseId: pair(e1.expenseId, e2.expenseId),
    increaseId: pair(b1.increaseId, b2.increaseId),
    cooperativeId: pair(coopA, coopC),
    moneyLoanId: pair(loanA, loanBC),
    thingLoanId: pair(thingA, thingBC),
    resourceId: pair(resA, resC),
    exchangeId: pair(exA, exBC),
    sustainerId: pair(s1, s2),
    pledgeId: pair(pl1, pl2),
    donationId: pair(do1, do2),
    tokenId: pair(spareTokenOwn, spareTokenOther),
    webhookId: pair(wh1, wh2),
  };
  const coops = [coopA, coopB, coopC];
  const byField: Record<string, string[]> = {
    fundId: Object.values(funds), fromFundId: Object.values(funds), toFundId: Object.values(funds),
    borrowerId: coops, ownerId: coops, workerId: coops, receiverId: coops, cooperativeId: coops, fromCooperativeId: coops,
    sustainerId: [s1, s2], pledgeId: [pl1, pl2], propertyId: [p1, p2], resourceId: [resA, resB, resC],
  };
  // The log sealed once, so the seal and proof routes have something to answer.
  await t.app.get(SealService).tick(true);
  return {
    t,
    idsForField: (field) => byField[field] ?? [],
    idsForCooperative: (subject) => (field) =>
      ['borrowerId', 'ownerId', 'workerId', 'fromCooperativeId', 'cooperativeId'].includes(field) ? [subject === 'own' ? coopA : coopC] : byField[field] ?? [],
    tokens: { steward, steward2, auditor, sustainerOwn: sus1, sustainerOther: sus2, cooperativeOwn: tokenA, cooperativeOther: tokenC, cooperativeB: tokenB },
    funds,
    ids,
    foreignIds: {
      sustainer: [s2, pl2, do2],
      // Resources are listed for every cooperative (to borrow them), so a resource id is not foreign.
      cooperative: [coopC, loanBC, thingBC, exBC],
    },
  };
}

/**
 * Which kind of id a path parameter holds. `loanId` is a money loan under /v1/money-loans and a
 * loan of a thing under /v1/loans; `movementId` is a transfer or disbursement on their routes.
 */
export function idKind(path: string, param: string): string {
  if (param === 'loanId') return path.startsWith('/v1/money-loans') ? 'moneyLoanId' : 'thingLoanId';
  if (param === 'movementId' && path.startsWith('/v1/disbursements')) return 'disbursementId';
  if (param === 'movementId' && path.startsWith('/v1/transfers')) return 'transferId';
  return param;
}

/** A well-formed id that names nothing in the world. */
export const UNKNOWN_ID = '4b8e2f44-8a59-4f53-9a0b-0d1b7a4c9e11';
