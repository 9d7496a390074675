import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { replayAndCompare } from '../src/audit/replay/replay-projections';
import { ALL_PROJECTIONS, ledgerEventCatalogue } from '../src/composition';
import { UNKNOWN_ID, World, idKind, seedWorld } from './support/fixtures';
import { FailureLog } from './support/failure-log';
import { Json, Operation, ResponseValidator, namesField, operationsOf, pathParams, problemShapeDefect, requestSchema } from './support/openapi-doc';
import { Rng, bodyVariants, queryVariants, readmeCodes, readmeQueryParams, validValue } from './support/schema-fuzz';
import { HttpMethod, TestResponse } from './support/test-app';

/**
 * A hostile client over every operation of the OpenAPI document the app serves: schema-valid
 * bodies and hostile variants of them, odd path ids and query strings. For every answer: no 5xx,
 * one problem shape for every 4xx (a 400 from a field names it), the log head unchanged by every
 * refusal; after every accepted write the read models still ready, and regularly (and at the
 * end) `GET /v1/audit/verify` clean and a replay of the read models equal to the live ones.
 *
 * Seeded and reproducible: FUZZ_SEED (default fixed; `random` picks one), FUZZ_RUNS (valid bodies
 * per operation, default 4), FUZZ_BUDGET_MS (default 70 s: generation stops there, and says so).
 * Failures print grouped by check, operation and input kind, with an example request and the seed.
 */
const SEED = process.env.FUZZ_SEED === 'random' ? Math.floor(Math.random() * 2 ** 31) : Number(process.env.FUZZ_SEED ?? 20261001);
const RUNS = Number(process.env.FUZZ_RUNS ?? 4);
const BUDGET_MS = Number(process.env.FUZZ_BUDGET_MS ?? 70_000);
/** Verify after every this many accepted writes (and after each accepted variant of a hostile body). */
const VERIFY_EVERY = 50;
/** Worlds are re-seeded when one is broken for good (stuck projection, failing verify), at most this often. */
const MAX_WORLDS = 16;

/** Variants whose acceptance is not itself a defect (a trimmed name, an optional null or zero). */
const MAY_BE_ACCEPTED = new Set(['surrounding-spaces', 'null', 'zero', 'empty-string', 'empty-array']);

/**
 * The plain validation rule an input kind breaks, the same in a body and in a query (an
 * impossible date, a wrong type, an unknown name), or undefined where a business rule may answer.
 */
function ruleOf(kind: string): string | undefined {
  if (/2026-02-30$|2026-13-01$/.test(kind)) return 'impossible date';
  if (/^wrong-type|-text$|-abc$/.test(kind)) return 'wrong type';
  if (/unknown-(nested-)?field$|query-unknown-name/.test(kind)) return 'unknown field';
  if (/^(fraction|query-limit-1\.5)$/.test(kind)) return 'not an integer';
  if (/^(lone-surrogate|control-char)$/.test(kind) || /-surrogate$|-control$/.test(kind)) return 'unclean text';
  return undefined;
}

/** Odd queries a service may fairly take (the last of repeated names, an empty filter). */
const QUERY_MAY_BE_ACCEPTED = /-repeated$|-empty$/;

/** Variants whose 400 may name a field related to the one changed (a cross-field rule). */
const LOOSE_NAMING = new Set(['null', 'missing-required', 'empty-string', 'empty-array']);

jest.setTimeout(240_000);

describe(`fuzz over the OpenAPI document (seed ${SEED}, runs ${RUNS})`, () => {
  const failures = new FailureLog(SEED);
  const rng = new Rng(SEED);
  let world: World;
  let doc: Json;
  let operations: Operation[];
  let validator: ResponseValidator;
  const readmeParams = readmeQueryParams();
  const documentedCodes = readmeCodes();
  /** For input that breaks one plain validation rule, the codes answered (one rule, one code), with where. */
  const codesByRule = new Map<string, Map<string, string>>();
  const stats = { requests: 0, accepted: 0, acceptedHostile: 0, worlds: 0, verifies: 0, stoppedByBudget: false, ms: 0 };
  let sinceVerify = 0;
  let broken = false;

  const newWorld = async () => {
    if (world) await world.t.close();
    stats.worlds++;
    // A short read-your-writes wait: a stuck projection must not make every later write wait 2 s.
    world = await seedWorld({ readYourWritesTimeoutMs: 300 });
    broken = false;
    sinceVerify = 0;
  };

  const fill = (op: Operation, choice: 'own' | 'other' | string) =>
    op.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
      if (choice !== 'own' && choice !== 'other') return choice;
      return world.ids[idKind(op.path, name)]?.[choice] ?? UNKNOWN_ID;
    });

  const send = async (method: string, url: string, variant: { raw?: string; contentType?: string }, token = world.tokens.steward): Promise<TestResponse> => {
    stats.requests++;
    const headers: Record<string, string> = {};
    if (variant.contentType) headers['content-type'] = variant.contentType;
    return world.t.request(method as HttpMethod, url, { token, rawBody: variant.raw, headers });
  };

  const verifyNow = async (op: Operation, kind: string, example: string) => {
    stats.verifies++;
    sinceVerify = 0;
    const v = await world.t.request('GET', '/v1/audit/verify', { token: world.tokens.auditor });
    if (v.status !== 200 || v.body?.ok !== true) {
      failures.add('verify-broken-after-accepted-write', op.key, kind, v.status, v.body?.firstProblem?.problem ?? v.body?.code, example);
      broken = true;
    }
  };

  /** Sends one request and checks everything an answer must satisfy. */
  const probe = async (op: Operation, kind: string, url: string, variant: { raw?: string; contentType?: string; field?: string }, options: { hostile: boolean; token?: string }) => {
    const before = await world.t.store.headPosition();
    const r = await send(op.method, url, variant, options.token);
    const example = `${op.method} ${url.slice(0, 160)}${variant.raw !== undefined ? ` ${variant.contentType ?? 'json'} ${variant.raw.slice(0, 300)}` : ''}`;
    const code = r.body?.code;
    if (r.status >= 500) failures.add('5xx', op.key, kind, r.status, code, example);
    if (r.status >= 400 && typeof code === 'string' && !documentedCodes.has(code)) failures.add('code the README does not name', op.key, kind, r.status, code, example);
    const rule = ruleOf(kind);
    if (rule && r.status === 400 && typeof code === 'string') {
      const seen = codesByRule.get(rule) ?? new Map<string, string>();
      if (!seen.has(code)) seen.set(code, `${op.key} (${kind})`);
      codesByRule.set(rule, seen);
    }
    if (r.status >= 400) {
      const shape = problemShapeDefect(r);
      if (shape) failures.add(`problem-shape: ${shape}`, op.key, kind, r.status, code, example);
      // Taking a field away or nulling it may break a rule about another one: some field must be named.
      const loose = LOOSE_NAMING.has(kind) && Array.isArray(r.body?.errors) && r.body.errors.length > 0;
      if (r.status === 400 && variant.field && !loose && !namesField(r, variant.field)) {
        failures.add('400-does-not-name-field', op.key, kind, r.status, code, `${example} → errors ${JSON.stringify(r.body?.errors ?? null).slice(0, 120)}`);
      }
      if (r.status === 401 && !/^Bearer/.test(String(r.headers['www-authenticate'] ?? ''))) failures.add('401-without-WWW-Authenticate', op.key, kind, r.status, code, example);
      const after = await world.t.store.headPosition();
      if (after !== before) failures.add('log-head-moved-on-refusal', op.key, kind, r.status, code, example);
    } else if (r.status >= 200 && r.status < 300) {
      const schemaDefect = validator.check(op, r);
      if (schemaDefect) failures.add(`2xx-not-in-response-schema`, op.key, kind, r.status, schemaDefect.slice(0, 100), example);
      if (op.method !== 'GET') {
        stats.accepted++;
        sinceVerify++;
        const hostile = options.hostile && !MAY_BE_ACCEPTED.has(kind);
        if (hostile) {
          stats.acceptedHostile++;
          failures.add('hostile-input-accepted', op.key, kind, r.status, code, example);
        }
        // Readiness may briefly trail a write (a lag threshold); a stuck projection stays unready.
        let ready = await world.t.request('GET', '/health/ready');
        for (let i = 0; i < 10 && ready.status !== 200 && !broken; i++) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          ready = await world.t.request('GET', '/health/ready');
        }
        if (ready.status !== 200) {
          // Only the write that made it unready is named; the world is re-seeded before the next operation.
          if (!broken) {
            const why = String(ready.body?.checks?.projections?.error ?? JSON.stringify(ready.body?.checks ?? ready.body)).replace(/\d{4,}/g, 'n');
            failures.add('not-ready-after-accepted-write', op.key, kind, ready.status, why.slice(0, 90), example);
          }
          broken = true;
        } else if (broken) {
          // Already broken (verify failed): nothing more to learn from this world.
        } else if (options.hostile || sinceVerify >= VERIFY_EVERY) {
          await verifyNow(op, kind, example);
        }
      }
    }
    return r;
  };

  const started = Date.now();
  const overBudget = () => {
    if (Date.now() - started > BUDGET_MS) stats.stoppedByBudget = true;
    return stats.stoppedByBudget;
  };
  const maybeRenew = async () => {
    if (broken && stats.worlds < MAX_WORLDS) await newWorld();
  };

  beforeAll(async () => {
    await newWorld();
    doc = (await world.t.request('GET', '/docs-json')).body;
    operations = operationsOf(doc).filter((o) => !o.path.startsWith('/docs'));
    validator = new ResponseValidator(doc);
    const queryParamsOf = (op: Operation) => {
      const documented: Json[] = (op.op.parameters ?? []).filter((p: Json) => p.in === 'query');
      const names = new Set<string>(documented.map((p) => p.name as string));
      const required = new Set<string>(documented.filter((p) => p.required).map((p) => p.name as string));
      const fromReadme = readmeParams.get(`${op.method} ${op.path.replace(/\{[^}]+\}/g, '{}')}`);
      fromReadme?.all.forEach((n) => names.add(n));
      fromReadme?.required.forEach((n) => required.add(n));
      return { names, required };
    };
    /** A valid value for a required query parameter, so that variants of the others reach validation alone. */
    const validParam = (name: string) =>
      /Id$/.test(name) ? world.idsForField(name)[0] ?? UNKNOWN_ID : name === 'year' ? '2026' : /^(asOf|from|to)$/.test(name) ? '2026-06-30' : undefined;
    /** The base query with the variant's parameters in place of the base's own. */
    const withBase = (base: Record<string, string>, variant?: string) => {
      const overridden = new Set((variant ?? '').split('&').map((kv) => kv.split('=')[0]));
      const parts = Object.entries(base).filter(([k]) => !overridden.has(k)).map(([k, v]) => `${k}=${encodeURIComponent(v)}`);
      return [...parts, ...(variant ? [variant] : [])].join('&');
    };
    const reads = operations.filter((o) => o.method === 'GET');
    // Writes that end things (erasure, closing a fund or a period) go last, so they spoil fewer fixtures.
    const last = (o: Operation) => (/\/(erase|close)$/.test(o.path) ? 1 : 0);
    const writes = operations.filter((o) => o.method !== 'GET').sort((a, b) => last(a) - last(b));

    // Reads: every path id kind and every odd query string.
    for (const op of reads) {
      if (overBudget()) break;
      await maybeRenew();
      const ids = pathParams(op.path).length > 0 ? ['own', 'other', UNKNOWN_ID, 'not-a-uuid', '%ZZ', 'x'.repeat(10_000), '%ED%A0%80'] : ['own'];
      for (const id of ids) await probe(op, `path-${id.length > 40 ? 'long-segment' : id}`, fill(op, id), {}, { hostile: false });
      const path = fill(op, 'own');
      const { names, required } = queryParamsOf(op);
      const base: Record<string, string> = {};
      for (const name of required) {
        const value = validParam(name);
        if (value !== undefined) base[name] = value;
      }
      const baseQuery = withBase(base);
      const plain = await probe(op, 'query-base', baseQuery ? `${path}?${baseQuery}` : path, {}, { hostile: false });
      // A 400 to the base query is about the base, not a variant's field: naming is then not judged.
      const judgeNaming = plain.status !== 400;
      // Health probes and the metrics scrape are for orchestrators and Prometheus, not clients: they take no query to judge.
      for (const q of op.path.startsWith('/health') || op.path === '/metrics' ? [] : queryVariants(names)) {
        const url = `${path}?${withBase(base, q.query)}`;
        const r = await probe(op, q.kind, url, { field: judgeNaming ? q.field : undefined }, { hostile: false });
        if (q.valid && judgeNaming && r.status === 400) failures.add('valid query refused', op.key, q.kind, r.status, r.body?.code, `GET ${url}`);
        // Queries are checked against the same ranges as bodies: a bad value is refused, not ignored.
        if (!q.valid && q.field && judgeNaming && r.status >= 200 && r.status < 300 && !QUERY_MAY_BE_ACCEPTED.test(q.kind)) {
          failures.add('hostile-query-accepted', op.key, q.kind, r.status, '-', `GET ${url.slice(0, 200)}`);
        }
      }
    }

    // A known path with a method it does not have: 405 with Allow, as a problem.
    for (const path of Object.keys(doc.paths)) {
      if (path.startsWith('/docs')) continue;
      const op = { method: 'DELETE', path, op: {}, key: `DELETE ${path}` };
      const url = fill(op, 'own');
      const r = await probe(op, 'wrong-method', url, {}, { hostile: false });
      if (r.status !== 405 || !r.headers.allow) failures.add('wrong-method-not-405-with-Allow', op.key, 'wrong-method', r.status, r.body?.code, `DELETE ${url}`);
    }

    // Writes, hostile first: every variant should be refused without writing anything.
    for (const op of writes) {
      if (overBudget()) break;
      await maybeRenew();
      const schema = requestSchema(doc, op.op);
      // A base body the validation accepts (a schema-valid one may still break a cross-field rule,
      // like a time restriction on an unrestricted fund): variants of it then fail for their own field.
      const prepare = async () => {
        // Preferably one that is accepted, so that each variant differs from an accepted body by one field.
        let base: unknown;
        let judgeNaming = false;
        for (let attempt = 0, accepted = false; schema && attempt < 6 && !accepted; attempt++) {
          const candidate = validValue(doc, schema, rng, { idsFor: world.idsForField });
          const r = await probe(op, 'schema-valid-base', fill(op, 'own'), { raw: JSON.stringify(candidate) }, { hostile: false });
          accepted = r.status >= 200 && r.status < 300;
          if (r.status !== 400 || !judgeNaming) base = candidate;
          judgeNaming ||= r.status !== 400;
          if (accepted) base = candidate;
        }
        return { base, judgeNaming, variants: bodyVariants(doc, schema, base), world };
      };
      let prepared = await prepare();
      for (let i = 0; i < prepared.variants.length; i++) {
        await maybeRenew();
        // A variant broke the world for good: go on with the rest on a fresh one, from its own ids.
        if (prepared.world !== world) {
          const next = prepared.variants[i];
          prepared = await prepare();
          const same = prepared.variants.findIndex((v) => v.kind === next?.kind && v.field === next?.field);
          if (same >= 0) i = same;
        }
        const v = prepared.variants[i];
        if (!v) break;
        await probe(op, v.kind, fill(op, rng.pick(['own', 'other'])), { ...v, field: prepared.judgeNaming || v.field === 'zzUnknown' ? v.field : undefined }, { hostile: true });
      }
      const base = prepared.base;
      if (pathParams(op.path).length > 0) {
        const body = base === undefined ? {} : { raw: JSON.stringify(base) };
        for (const id of [UNKNOWN_ID, 'not-a-uuid', 'x'.repeat(10_000), '%ZZ']) {
          await probe(op, `path-${id.length > 40 ? 'long-segment' : id}`, fill(op, id), body, { hostile: false });
        }
      }
    }

    // Writes, schema-valid: most are refused by business rules, some are accepted.
    for (let run = 0; run < RUNS; run++) {
      for (const op of writes) {
        if (overBudget()) break;
        await maybeRenew();
        const schema = requestSchema(doc, op.op);
        const body = schema ? validValue(doc, schema, rng, { idsFor: world.idsForField }) : undefined;
        const token = rng.chance(0.5) ? world.tokens.steward : world.tokens.steward2;
        await probe(op, 'schema-valid', fill(op, rng.pick(['own', 'other'])), { raw: body === undefined ? undefined : JSON.stringify(body) }, { hostile: false, token });
      }
    }

    for (const [rule, codes] of codesByRule) {
      if (codes.size > 1) {
        failures.add('one rule answered with several codes', rule, rule, 400, [...codes.keys()].join(' / '), [...codes.entries()].map(([c, where]) => `${c} on ${where}`).join('; '));
      }
    }

    // The end: verify and replay must still agree with what was accepted.
    const end = { method: 'END', path: '(end of run)', op: {}, key: 'END (end of run)' };
    await verifyNow(end, 'final', '(final verify)');
    const scratch = mkdtempSync(join(tmpdir(), 'fuzz-replay-'));
    try {
      const report = await replayAndCompare({
        store: world.t.store, projections: ALL_PROJECTIONS, catalogue: ledgerEventCatalogue(), liveFile: join(world.t.dataDir, 'readmodels.db'), freshFile: join(scratch, 'readmodels.db'),
      });
      if (!report.ok) failures.add('replay-differs', end.key, 'final', 0, report.differences.map((d) => d.table).join(','), '(ledger replay)');
    } catch (error) {
      failures.add('replay-failed', end.key, 'final', 0, String(error).slice(0, 100), '(ledger replay)');
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
    stats.ms = Date.now() - started;
    // eslint-disable-next-line no-console
    console.log(`fuzz: seed ${SEED}, ${stats.requests} requests over ${operations.length} operations in ${stats.ms} ms; ${stats.accepted} writes accepted ` +
      `(${stats.acceptedHostile} hostile), ${stats.verifies} verifies, ${stats.worlds} world(s)${stats.stoppedByBudget ? `; STOPPED by the ${BUDGET_MS} ms budget` : ''}\n${failures.summary()}`);
  });

  afterAll(() => world?.t.close());

  // The budget only bounds a run on a crowded machine; it says so in the summary line when it stops one.
  it("covers every operation of the document, with the README's query parameters and codes at hand", () => {
    expect(operations.length).toBeGreaterThan(50);
    // Should the README's tables change shape, the hints would silently vanish: keep them honest.
    expect(readmeParams.size).toBeGreaterThan(40);
    expect(documentedCodes.size).toBeGreaterThan(80);
    expect(documentedCodes).toContain('PLEDGE.CANCELLED');
  });

  it.each([
    ['answers no 5xx', (c: string) => c === '5xx'],
    ['answers every 4xx as one problem shape (and 401 with WWW-Authenticate)', (c: string) => c.startsWith('problem-shape') || c.startsWith('401-')],
    ['names the field at fault in every 400 from a field', (c: string) => c === '400-does-not-name-field'],
    ['writes nothing on any refusal', (c: string) => c === 'log-head-moved-on-refusal'],
    ['refuses every hostile body', (c: string) => c === 'hostile-input-accepted'],
    ['refuses every out-of-range or unknown query parameter', (c: string) => c === 'hostile-query-accepted'],
    ['keeps the read models ready after every accepted write', (c: string) => c === 'not-ready-after-accepted-write'],
    ['keeps verify and replay clean', (c: string) => c.startsWith('verify-') || c.startsWith('replay-')],
    ['answers 2xx as the document says', (c: string) => c.startsWith('2xx-')],
    ['answers 405 with Allow for a known path with another method', (c: string) => c.startsWith('wrong-method')],
    ['takes the query conventions (minPosition, limit, asOf, year) on every query route', (c: string) => c === 'valid query refused'],
    ['answers only codes the README names', (c: string) => c === 'code the README does not name'],
    ['answers one code per rule, in bodies and queries alike', (c: string) => c === 'one rule answered with several codes'],
  ])('%s', (_name, matches) => {
    failures.assertNone(matches);
  });
});
