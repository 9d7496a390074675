import { Subject, UNKNOWN_ID, World, idKind, seedWorld } from './support/fixtures';
import { FailureLog } from './support/failure-log';
import { Json, Operation, ResponseValidator, operationsOf, pathParams, problemShapeDefect, requestSchema } from './support/openapi-doc';
import { Rng, readmeCodes, validValue } from './support/schema-fuzz';
import { HttpMethod, TestResponse } from './support/test-app';

/**
 * Every route of the OpenAPI document × every kind of caller × own, another subject's and an
 * unknown id, against the README's API table (its roles column, encoded once below).
 *
 * Access per role: `yes` — the role may use the route on any id; `own` — a scoped token may use
 * it on its own subject's ids only; `visible` — it may see its own ids but not act on them (a
 * borrower forgiving its own loan: 403 is fine there, the id is its own). Absent: 403.
 * The central rule: for a scoped token, an id it may not see answers exactly like an unknown id
 * (same status, code and body shape), and a 2xx it may see names no other subject's ids.
 */
/**
 * `own`: only for the caller's own subject; `visible`: for what the caller is party to;
 * `seen`: every caller of the role may see the thing (a cooperative sees every shared resource),
 * but only its own may act on it, so another's answers 403 rather than 404.
 */
type Access = 'yes' | 'own' | 'visible' | 'seen';
interface Rule {
  readonly public?: true;
  readonly steward?: Access;
  readonly auditor?: Access;
  readonly sustainer?: Access;
  readonly cooperative?: Access;
  /** Query string every call needs (`year=2026`). */
  readonly query?: string;
  /** The subject id goes in this query parameter instead of the path (`GET /v1/pledges?sustainerId=`). */
  readonly subjectQuery?: { name: string; kind: string };
}
const SA: Rule = { steward: 'yes', auditor: 'yes' };
const STEWARD: Rule = { steward: 'yes' };
const ALL: Rule = { steward: 'yes', auditor: 'yes', sustainer: 'yes', cooperative: 'yes' };
const PUBLIC: Rule = { public: true };

/** The README's API table, route by route. */
const TABLE: Record<string, Rule> = {
  'GET /health': PUBLIC,
  'GET /health/live': PUBLIC,
  'GET /health/ready': PUBLIC,
  'GET /metrics': SA,
  'POST /v1/funds': STEWARD,
  'GET /v1/funds': ALL,
  'GET /v1/funds/{fundId}': ALL,
  'POST /v1/funds/{fundId}/close': STEWARD,
  'POST /v1/income': STEWARD,
  'POST /v1/transfers': STEWARD,
  'GET /v1/transfers': SA,
  'POST /v1/transfers/{movementId}/approve': STEWARD,
  'POST /v1/transfers/{movementId}/reject': STEWARD,
  'GET /v1/transfers/{movementId}': SA,
  'POST /v1/disbursements': STEWARD,
  'GET /v1/disbursements': SA,
  'POST /v1/disbursements/{movementId}/approve': STEWARD,
  'POST /v1/disbursements/{movementId}/reject': STEWARD,
  'GET /v1/disbursements/{movementId}': SA,
  'POST /v1/movements/{movementId}/reverse': STEWARD,
  'GET /v1/movements/{movementId}': SA,
  'POST /v1/periods/close': STEWARD,
  'GET /v1/periods': SA,
  'GET /v1/funds/{fundId}/balance': SA,
  'GET /v1/funds/{fundId}/journal': SA,
  'GET /v1/ledger/trial-balance': SA,
  'GET /v1/audit/verify': SA,
  'GET /v1/seals/public-key': PUBLIC,
  'GET /v1/seals/latest': SA,
  'GET /v1/audit/proofs/inclusion': { ...SA, query: 'position=1' },
  'GET /v1/audit/proofs/consistency': { ...SA, query: 'first=1' },
  'GET /v1/audit/export': { auditor: 'yes' },
  'POST /v1/properties': STEWARD,
  'GET /v1/properties': SA,
  'GET /v1/properties/{propertyId}': SA,
  'POST /v1/properties/{propertyId}/status': STEWARD,
  'POST /v1/properties/{propertyId}/ground-lease': STEWARD,
  'GET /v1/properties/{propertyId}/report': SA,
  'POST /v1/improvements': STEWARD,
  'GET /v1/improvements': SA,
  'GET /v1/improvements/{improvementId}': SA,
  'POST /v1/improvements/{improvementId}/approve': STEWARD,
  'POST /v1/improvements/{improvementId}/expenses': STEWARD,
  'POST /v1/improvements/{improvementId}/expenses/{expenseId}/reverse': STEWARD,
  'POST /v1/improvements/{improvementId}/budget-increases': STEWARD,
  'POST /v1/improvements/{improvementId}/budget-increases/{increaseId}/approve': STEWARD,
  'POST /v1/improvements/{improvementId}/complete': STEWARD,
  'POST /v1/improvements/{improvementId}/resale-credit': STEWARD,
  'POST /v1/improvements/{improvementId}/cancel': STEWARD,
  'GET /v1/land-trust/report': SA,
  'POST /v1/sustainers': STEWARD,
  'GET /v1/sustainers': SA,
  'GET /v1/sustainers/{sustainerId}': { ...SA, sustainer: 'own' },
  'POST /v1/sustainers/{sustainerId}/erase': STEWARD,
  'GET /v1/sustainers/{sustainerId}/statement': { ...SA, sustainer: 'own', query: 'year=2026' },
  'POST /v1/pledges': STEWARD,
  'GET /v1/pledges': { ...SA, sustainer: 'own', subjectQuery: { name: 'sustainerId', kind: 'sustainerId' } },
  'GET /v1/pledges/{pledgeId}': { ...SA, sustainer: 'own' },
  'POST /v1/pledges/{pledgeId}/amend': STEWARD,
  'POST /v1/pledges/{pledgeId}/pause': STEWARD,
  'POST /v1/pledges/{pledgeId}/resume': STEWARD,
  'POST /v1/pledges/{pledgeId}/cancel': STEWARD,
  'POST /v1/pledges/{pledgeId}/write-off': STEWARD,
  'POST /v1/donations': STEWARD,
  'GET /v1/donations': SA,
  'GET /v1/donations/{donationId}': SA,
  'POST /v1/donations/{donationId}/refund': STEWARD,
  'GET /v1/fund-totals': { ...SA, query: 'year=2026' },
  'GET /v1/me': { sustainer: 'own' },
  'GET /v1/me/pledges': { sustainer: 'own' },
  'GET /v1/me/pledges/{pledgeId}': { sustainer: 'own' },
  'GET /v1/me/donations': { sustainer: 'own', query: 'year=2026' },
  'GET /v1/me/statement': { sustainer: 'own', query: 'year=2026' },
  'GET /v1/me/donations/{donationId}/proof': { sustainer: 'own' },
  'POST /v1/cooperatives': STEWARD,
  'GET /v1/cooperatives': { ...SA, cooperative: 'own' },
  'GET /v1/cooperatives/{cooperativeId}': { ...SA, cooperative: 'own' },
  'POST /v1/cooperatives/{cooperativeId}/labour-limit': STEWARD,
  // A cooperative lends from itself; a body naming a fund is a steward's (403 LOAN.STEWARD_ONLY).
  'POST /v1/money-loans': { steward: 'yes', cooperative: 'visible' },
  'POST /v1/money-loans/{loanId}/approve': STEWARD,
  'POST /v1/money-loans/{loanId}/reject': STEWARD,
  'GET /v1/money-loans': { ...SA, cooperative: 'own' },
  'GET /v1/money-loans/{loanId}': { ...SA, cooperative: 'own' },
  'POST /v1/money-loans/{loanId}/repayments': { steward: 'yes', cooperative: 'own' },
  'POST /v1/money-loans/{loanId}/forgive': { steward: 'yes', cooperative: 'visible' },
  // Resources are listed for every cooperative (to borrow them), so no resource id is foreign.
  'POST /v1/resources': { steward: 'yes', cooperative: 'own' },
  'GET /v1/resources': { ...SA, cooperative: 'yes' },
  'GET /v1/resources/{resourceId}': { ...SA, cooperative: 'yes' },
  'POST /v1/resources/{resourceId}/status': { steward: 'yes', cooperative: 'seen' },
  'POST /v1/loans': { steward: 'yes', cooperative: 'own' },
  'GET /v1/loans': { ...SA, cooperative: 'own' },
  'GET /v1/loans/{loanId}': { ...SA, cooperative: 'own' },
  'POST /v1/loans/{loanId}/waive': { steward: 'yes', cooperative: 'visible' },
  'POST /v1/loans/{loanId}/cancel': { steward: 'yes', cooperative: 'own' },
  'POST /v1/loans/{loanId}/checkout': { steward: 'yes', cooperative: 'visible' },
  'POST /v1/loans/{loanId}/return': { steward: 'yes', cooperative: 'visible' },
  'POST /v1/loans/{loanId}/lost-or-damaged': { steward: 'yes', cooperative: 'visible' },
  'POST /v1/loans/{loanId}/renew': { steward: 'yes', cooperative: 'own' },
  'POST /v1/labour-exchanges': { cooperative: 'own' },
  'GET /v1/labour-exchanges': { ...SA, cooperative: 'own' },
  'POST /v1/labour-exchanges/{exchangeId}/confirm': { cooperative: 'visible' },
  'GET /v1/labour-balances': { ...SA, cooperative: 'own' },
  'GET /v1/cooperatives/{cooperativeId}/lending-report': { ...SA, cooperative: 'own' },
  'GET /v1/lending/report': SA,
  'GET /v1/donations/{donationId}/attribution': SA,
  'GET /v1/me/donations/{donationId}/attribution': { sustainer: 'own' },
  'GET /v1/sustainers/{sustainerId}/attribution': { ...SA, query: 'year=2026' },
  'GET /v1/me/attribution': { sustainer: 'own', query: 'year=2026' },
  'GET /v1/transparency/report': { ...PUBLIC, query: 'period=2026' },
  'GET /v1/statements/activities': { ...SA, query: 'period=2026' },
  'GET /v1/statements/financial-position': SA,
  'POST /v1/tokens': STEWARD,
  'GET /v1/tokens': SA,
  'GET /v1/tokens/{tokenId}': SA,
  'POST /v1/tokens/{tokenId}/rotate': STEWARD,
  'POST /v1/tokens/{tokenId}/revoke': STEWARD,
  'POST /v1/webhooks': STEWARD,
  'GET /v1/webhooks': SA,
  'GET /v1/webhooks/{webhookId}': SA,
  'POST /v1/webhooks/{webhookId}/pause': STEWARD,
  'POST /v1/webhooks/{webhookId}/resume': STEWARD,
  'POST /v1/webhooks/{webhookId}/delete': STEWARD,
  'GET /v1/exports/general-ledger': { ...SA, query: 'from=2026-01-01&to=2026-12-31' },
  'GET /v1/exports/chart-of-accounts': SA,
  'POST /v1/sign-in-links': STEWARD,
};

type Caller = 'none' | 'bad' | 'revoked' | 'steward' | 'auditor' | 'sustainer-own' | 'sustainer-other' | 'cooperative-own' | 'cooperative-other';
const CALLERS: Caller[] = ['none', 'bad', 'revoked', 'auditor', 'sustainer-own', 'sustainer-other', 'cooperative-own', 'cooperative-other', 'steward'];
type IdChoice = Subject | 'unknown';

jest.setTimeout(120_000);

describe('roles matrix: every route × every caller × own, other and unknown ids', () => {
  const failures = new FailureLog();
  const documentedCodes = readmeCodes();
  let world: World;
  let doc: Json;
  let operations: Operation[];
  let revoked: string;
  let validator: ResponseValidator;
  let ms = 0;
  let requests = 0;

  const tokenOf = (caller: Caller): string | undefined => {
    const k = world.tokens;
    return {
      none: undefined, bad: 'mal_notarealtokenatallnotarealtokenatall00', revoked, steward: k.steward, auditor: k.auditor,
      'sustainer-own': k.sustainerOwn, 'sustainer-other': k.sustainerOther, 'cooperative-own': k.cooperativeOwn, 'cooperative-other': k.cooperativeOther,
    }[caller];
  };
  const roleOf = (caller: Caller) => caller.split('-')[0] as 'steward' | 'auditor' | 'sustainer' | 'cooperative';
  /** The subject a caller's ids are "own" for: S2 and C see the world from the other side. */
  const perspective = (caller: Caller, choice: IdChoice): IdChoice => (caller.endsWith('-other') && choice !== 'unknown' ? (choice === 'own' ? 'other' : 'own') : choice);

  const urlFor = (op: Operation, rule: Rule, choice: IdChoice) => {
    const id = (kind: string) => (choice === 'unknown' ? UNKNOWN_ID : world.ids[kind]?.[choice] ?? UNKNOWN_ID);
    const path = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => id(idKind(op.path, name)));
    const query = [rule.query, rule.subjectQuery ? `${rule.subjectQuery.name}=${id(rule.subjectQuery.kind)}` : undefined].filter(Boolean).join('&');
    return query ? `${path}?${query}` : path;
  };

  const shapeOf = (r: TestResponse) => ({
    status: r.status,
    code: r.body?.code ?? null,
    contentType: String(r.headers['content-type'] ?? '').split(';')[0],
    keys: r.body && typeof r.body === 'object' ? Object.keys(r.body).filter((k) => k !== 'instance' && k !== 'detail').sort().join(',') : typeof r.body,
  });

  beforeAll(async () => {
    const started = Date.now();
    world = await seedWorld();
    const issued = await world.t.token('steward');
    await world.t.revoke(issued.tokenId);
    revoked = issued.secret;
    doc = (await world.t.request('GET', '/docs-json')).body;
    operations = operationsOf(doc).filter((o) => !o.path.startsWith('/docs'));
    validator = new ResponseValidator(doc);
    const rng = new Rng(7);
    // Reads first, writes after (stewards last on each), so writes spoil no read's fixtures.
    const ordered = [...operations.filter((o) => o.method === 'GET'), ...operations.filter((o) => o.method !== 'GET')];

    for (const op of ordered) {
      const rule = TABLE[op.key];
      if (!rule) continue;
      const hasSubject = pathParams(op.path).length > 0 || Boolean(rule.subjectQuery);
      const choices: IdChoice[] = hasSubject ? ['own', 'other', 'unknown'] : ['own'];
      const schema = requestSchema(doc, op.op);
      for (const caller of CALLERS) {
        // A cooperative acts for itself in the body (as owner, borrower, worker, lender).
        const idsFor = caller.startsWith('cooperative-') ? world.idsForCooperative(caller.endsWith('-own') ? 'own' : 'other') : world.idsForField;
        const body = schema ? JSON.stringify(validValue(doc, schema, new Rng(rng.int(1, 1e9)), { idsFor, realOnly: true })) : undefined;
        const answers: Partial<Record<IdChoice, TestResponse>> = {};
        for (const choice of choices) {
          const url = urlFor(op, rule, choice);
          requests++;
          const r = await world.t.request(op.method as HttpMethod, url, { token: tokenOf(caller), rawBody: body });
          answers[choice] = r;
          const fail = (check: string, kind = `${caller} × ${choice} id`) => failures.add(check, op.key, kind, r.status, r.body?.code, `${op.method} ${url}`);
          if (r.status >= 500) fail('5xx');
          if (r.status >= 400 && problemShapeDefect(r)) fail(`problem-shape: ${problemShapeDefect(r)}`);
          if (r.status >= 400 && typeof r.body?.code === 'string' && !documentedCodes.has(r.body.code)) fail('code the README does not name', caller);
          if (r.status >= 200 && r.status < 300 && validator.check(op, r)) fail(`2xx-not-in-response-schema: ${validator.check(op, r)?.slice(0, 80)}`);
          if (rule.public) {
            if (r.status !== 200) fail('public route not 200');
            continue;
          }
          if (caller === 'none' || caller === 'bad' || caller === 'revoked') {
            if (r.status !== 401) fail(`expected 401 for ${caller} token`, caller);
            else if (!/^Bearer\b/.test(String(r.headers['www-authenticate'] ?? ''))) fail('401 without WWW-Authenticate: Bearer', caller);
            continue;
          }
          const access = rule[roleOf(caller)];
          const mine = perspective(caller, choice);
          if (!access) {
            if (r.status !== 403) fail('expected 403 for a role the route is not open to');
            continue;
          }
          const scoped = access !== 'yes';
          if (r.status === 401) fail('401 for a valid token');
          if (r.body?.code === 'AUTH.FORBIDDEN') fail('403 AUTH.FORBIDDEN for a role the README allows');
          if (op.method === 'GET') {
            if (choice === 'unknown' && r.status !== 404) fail('expected 404 for an unknown id');
            if (choice !== 'unknown' && (!scoped || mine === 'own') && (r.status < 200 || r.status >= 300)) fail('expected 2xx for an id the caller may see');
          } else if ((access === 'own' || access === 'seen') && mine === 'own' && r.status === 403) {
            fail('403 for a scoped token acting on its own id');
          }
          if (r.status >= 200 && r.status < 300 && (roleOf(caller) === 'sustainer' || roleOf(caller) === 'cooperative')) {
            const role = roleOf(caller) as 'sustainer' | 'cooperative';
            const foreign = caller.endsWith('-other') ? ownIdsSeenFromOther(world, role) : world.foreignIds[role];
            const leaked = foreign.filter((id) => r.text.includes(id) && !url.includes(id));
            if (leaked.length > 0) fail(`2xx names another subject's ids (${leaked.length})`);
          }
        }
        // The central rule: an id the scoped caller may not see answers exactly like an unknown one.
        const access = rule.public ? undefined : rule[roleOf(caller)];
        if (access && access !== 'yes' && access !== 'seen' && hasSubject) {
          const notMine: IdChoice = caller.endsWith('-other') ? 'own' : 'other';
          const a = answers[notMine];
          const u = answers.unknown;
          if (a && u && JSON.stringify(shapeOf(a)) !== JSON.stringify(shapeOf(u))) {
            failures.add('another subject\'s id answers unlike an unknown id', op.key, `${caller}`, a.status, `${a.body?.code ?? '-'} vs unknown ${u.status} ${u.body?.code ?? '-'}`, `${op.method} ${urlFor(op, rule, notMine)}`);
          }
        }
      }
    }
    ms = Date.now() - started;
    // eslint-disable-next-line no-console
    console.log(`roles matrix: ${operations.length} operations, ${requests} requests in ${ms} ms\n${failures.summary()}`);
  });

  afterAll(() => world?.t.close());

  it('has a README rule for every operation of the document', () => {
    const missing = operations.map((o) => o.key).filter((k) => !TABLE[k]);
    expect(missing).toEqual([]);
  });

  it.each([
    ['answers 401 with WWW-Authenticate: Bearer without a valid token', (c: string) => c.startsWith('expected 401') || c.startsWith('401 without')],
    ['answers 403 to a role the route is not open to', (c: string) => c.startsWith('expected 403')],
    ['lets every role the README names use the route', (c: string) => c.startsWith('403 ') || c.startsWith('401 for') || c.startsWith('expected 2xx') || c.startsWith('public')],
    ['answers 404 for an unknown id', (c: string) => c === 'expected 404 for an unknown id'],
    ['answers another subject\'s id exactly like an unknown id', (c: string) => c.startsWith('another subject')],
    ['never shows a scoped token another subject\'s ids', (c: string) => c.startsWith('2xx names')],
    ['answers no 5xx and one problem shape', (c: string) => c === '5xx' || c.startsWith('problem-shape')],
    ['answers only codes the README names', (c: string) => c === 'code the README does not name'],
    ['answers 2xx as the document says', (c: string) => c.startsWith('2xx-not-in')],
  ])('%s', (_name, matches) => {
    failures.assertNone(matches);
  });
});

/** Seen from S2 or C, the foreign ids are S1's and A's own (B is C's counterpart, as for A). */
function ownIdsSeenFromOther(world: World, role: 'sustainer' | 'cooperative'): string[] {
  const i = world.ids;
  return role === 'sustainer'
    ? [i.sustainerId.own, i.pledgeId.own, i.donationId.own]
    : [i.cooperativeId.own, i.moneyLoanId.own, i.thingLoanId.own, i.exchangeId.own];
}
