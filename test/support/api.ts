import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { replayAndCompare } from '../../src/audit/replay/replay-projections';
import { EventCatalogue } from '../../src/event-store/event-catalogue';
import type { LedgerConfig } from '../../src/config';
import { ALL_PROJECTIONS, ledgerEventCatalogue } from '../../src/composition';
import type { Clock } from '../../src/shared/clock';
import { HttpMethod, TestApp, TestResponse, startTestApp } from './test-app';

/**
 * What an e2e spec needs to read as a specification: a client bound to a test app (`post`, `get`,
 * `as(token)`), one way to assert a refusal (the problem document, its code, nothing written),
 * tokens with real subjects, the replay check, and a few seeding steps every module repeats.
 */

/** A body of an error answer as the problem-details filter writes it. */
export interface ProblemBody {
  code: string;
  errors?: { field: string; messages: string[] }[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [key: string]: any;
}

export interface Client {
  /** A POST with this client's token, or with `token` for this one request. */
  post(url: string, body?: unknown, token?: string, headers?: Record<string, string>): Promise<TestResponse>;
  get(url: string, token?: string, headers?: Record<string, string>): Promise<TestResponse>;
  request(method: HttpMethod, url: string, options?: { token?: string; body?: unknown; headers?: Record<string, string>; rawBody?: string }): Promise<TestResponse>;
}

/** Requests made with one token by default (or none, for the unauthenticated client). */
export function client(app: () => TestApp, token?: () => string | undefined): Client {
  const request: Client['request'] = (method, url, options = {}) => app().request(method, url, { ...options, token: options.token ?? token?.() });
  return {
    request,
    post: (url, body, override, headers) => request('POST', url, { body, token: override, headers }),
    get: (url, override, headers) => request('GET', url, { token: override, headers }),
  };
}

/** The application's log head: what "nothing written" is measured against. */
export const head = (t: TestApp) => t.store.headPosition();

/** Runs `fn` and asserts the log head did not move: nothing was appended. */
export async function expectLogUnchanged<T>(t: TestApp, fn: () => Promise<T>): Promise<T> {
  const before = await t.store.headPosition();
  const result = await fn();
  expect(await t.store.headPosition()).toBe(before);
  return result;
}

/** Asserts a problem document in full: status, media type, and every member of RFC 9457 the filter writes. */
export function expectProblem(res: TestResponse, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toContain('application/problem+json');
  expect(res.body).toEqual(
    expect.objectContaining({
      type: expect.stringMatching(/^\/problems\//),
      title: expect.any(String),
      status,
      code,
      detail: expect.any(String),
      instance: expect.any(String),
    }),
  );
}

/** The fields named in a `REQUEST.INVALID` answer, in the order given. */
export const fieldsOf = (body: { errors?: { field: string }[] } | undefined): string[] => (body?.errors ?? []).map((e) => e.field);

export interface RefusalOptions {
  /** Fields `errors` must name (others may be named too). */
  fields?: string[];
  /** Exactly the fields `errors` must name, in any order. */
  exactFields?: string[];
  /** A label shown with the status and code when the assertion fails (a url, a case). */
  label?: string;
  /** Also assert the answer is a problem document (`application/problem+json`). Defaults to true. */
  problem?: boolean;
}

/**
 * A refusal: its status and code, a problem document, the fields it names, and nothing appended.
 * Returns the problem body for further assertions.
 */
export async function refused(
  t: TestApp,
  request: () => Promise<TestResponse>,
  status: number,
  code: string,
  { fields, exactFields, label, problem = true }: RefusalOptions = {},
): Promise<ProblemBody> {
  const before = await t.store.headPosition();
  const res = await request();
  const seen = { status: res.status, code: res.body?.code };
  expect(label === undefined ? seen : { label, ...seen }).toEqual(label === undefined ? { status, code } : { label, status, code });
  if (problem) expect(res.headers['content-type']).toContain('application/problem+json');
  if (fields) expect(fieldsOf(res.body)).toEqual(expect.arrayContaining(fields));
  if (exactFields) expect(fieldsOf(res.body).sort()).toEqual([...exactFields].sort());
  expect(await t.store.headPosition()).toBe(before);
  return res.body as ProblemBody;
}

/** The response of a request that must have created something (201), with its body in the message if not. */
export async function created(request: Promise<TestResponse>) {
  const response = await request;
  expect({ status: response.status, body: response.body }).toMatchObject({ status: 201 });
  return response.body;
}

/** The same, for seeding in a `beforeAll`: throws with the answer instead of counting an assertion. */
export async function seeded(label: string, request: Promise<TestResponse>) {
  const response = await request;
  if (response.status !== 201) throw new Error(`${label}: ${response.status} ${response.text}`);
  return response.body;
}

/** The funds the ledger lists once its read models have caught up with the log, by code. */
export async function fundsByCode(t: TestApp, token: string): Promise<Record<string, string>> {
  const list = await t.request('GET', `/v1/funds?minPosition=${await t.store.headPosition()}`, { token });
  const funds: Record<string, string> = {};
  for (const f of list.body.items as { fundId: string; code: string }[]) funds[f.code] = f.fundId;
  return funds;
}

/** Tokens with real subjects, issued through the same path as `ledger tokens create`. */
export const tokens = {
  steward: async (t: TestApp) => (await t.token('steward')).secret,
  auditor: async (t: TestApp) => (await t.token('auditor')).secret,
  sustainer: async (t: TestApp, sustainerId: string) => (await t.token('sustainer', sustainerId)).secret,
  cooperative: async (t: TestApp, cooperativeId: string) => (await t.token('cooperative', cooperativeId)).secret,
};

/** Seeding steps that read as the fact they record. */
export const seed = {
  income: (c: Client, fundId: string, amountMinor: number, effectiveAt: string, extra: Record<string, unknown> = {}) =>
    c.post('/v1/income', { fundId, source: 'Community Foundation', category: 'grant', amountMinor, currency: 'USD', effectiveAt, ...extra }),
  openFund: (c: Client, code: string, extra: Record<string, unknown> = {}) =>
    c.post('/v1/funds', { code, name: code, currency: 'USD', restriction: { class: 'unrestricted' }, ...extra }),
};

/** Every event in the log of the given streams checks against its catalogue entry, and every catalogued type occurs. */
export async function expectCatalogued(t: TestApp, catalogue: EventCatalogue, streams: RegExp): Promise<void> {
  const seen = new Set<string>();
  for await (const event of t.store.readAll()) {
    if (!streams.test(event.streamId)) continue;
    seen.add(event.type);
    expect({ type: event.type, problems: catalogue.problems(event) }).toEqual({ type: event.type, problems: [] });
  }
  expect([...seen].sort()).toEqual(catalogue.types.sort());
}

/** The replay check: every read model rebuilt from the log into a scratch file equals the live one. */
export async function expectReplayMatches(t: TestApp): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'ledger-replay-'));
  try {
    const report = await replayAndCompare({ store: t.store, projections: ALL_PROJECTIONS, catalogue: ledgerEventCatalogue(), liveFile: join(t.dataDir, 'readmodels.db'), freshFile: join(scratch, 'readmodels.db') });
    expect(report.differences).toEqual([]);
    expect(report.ok).toBe(true);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** A ledger an e2e `describe` shares: the app, a steward, a second steward, an auditor and the funds by code. */
export interface Ledger extends Client {
  readonly t: TestApp;
  readonly steward: string;
  /** A second steward: outflows are approved by a steward other than the one who asked. */
  readonly steward2: string;
  readonly auditor: string;
  /** The funds listed once the app started (the seeded ones when `seedFunds: 'default'`), by code. */
  readonly funds: Record<string, string>;
  /** Requests with this token by default. */
  as(token: string): Client;
  /** `refused` on this ledger's app. */
  refused(request: () => Promise<TestResponse>, status: number, code: string, options?: RefusalOptions): Promise<ProblemBody>;
}

/**
 * Registers a `beforeAll` that starts a fresh app (with its tokens and funds) and an `afterAll`
 * that closes it, for the `describe` it is called in; hooks registered after it see it started.
 * `post`/`get` on the ledger itself use the steward's token.
 */
export function useLedger(options: { clock?: Clock; config?: Partial<LedgerConfig> } = {}): Ledger {
  let app: TestApp | undefined;
  let steward = '';
  let steward2 = '';
  let auditor = '';
  const funds: Record<string, string> = {};
  const t = () => {
    if (!app) throw new Error('useLedger: the app is started in beforeAll; use it inside a hook or a test');
    return app;
  };
  beforeAll(async () => {
    app = await startTestApp(options);
    steward = await tokens.steward(app);
    steward2 = await tokens.steward(app);
    auditor = await tokens.auditor(app);
    Object.assign(funds, await fundsByCode(app, steward));
  });
  afterAll(() => app?.close());
  const asSteward = client(t, () => steward);
  return {
    ...asSteward,
    get t() { return t(); },
    get steward() { return steward; },
    get steward2() { return steward2; },
    get auditor() { return auditor; },
    funds,
    as: (token) => client(t, () => token),
    refused: (request, status, code, refusalOptions) => refused(t(), request, status, code, refusalOptions),
  };
}
