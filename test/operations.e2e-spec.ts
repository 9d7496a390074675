import { SealService } from '../src/audit/seals/seal.service';
import { ProjectionRunner } from '../src/projections/projection-runner';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Logger } from '@nestjs/common';
import { ROOT, freePort, ledgerCli } from './support/processes';
import { TestApp, startTestApp } from './support/test-app';

/** A log destination that keeps every JSON line pino writes. */
class LogCapture extends Writable {
  readonly lines: string[] = [];

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }

  get entries(): Array<Record<string, unknown>> {
    return this.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  requestLines(reqId?: string): Array<Record<string, unknown>> {
    return this.entries.filter((e) => e.msg === 'request' && (reqId === undefined || e.reqId === reqId));
  }

  get text(): string {
    return this.lines.join('\n');
  }
}

const fund = {
  code: 'water-autonomy',
  // Text that must never reach the log: it is only in the body.
  name: 'Fund of Ana Quispe Mamani',
  currency: 'USD',
  restriction: { class: 'unrestricted' },
};

/** The answer comes before the onResponse hook that writes its line: wait for the line. */
async function lineOf(log: LogCapture, reqId: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 50 && log.requestLines(reqId).length === 0; i++) await new Promise((r) => setTimeout(r, 10));
  const lines = log.requestLines(reqId);
  expect(lines).toHaveLength(1);
  return lines[0];
}

describe('operations: one JSON log line per request', () => {
  let t: TestApp;
  let log: LogCapture;
  let steward: { secret: string; tokenId: string };

  beforeAll(async () => {
    log = new LogCapture();
    t = await startTestApp({
      logStream: log,
      // A route outside the API whose handler logs as any provider does, to see the request's id on it.
      beforeInit: (app) =>
        app.getHttpAdapter().getInstance().get('/__log-probe', async () => {
          new Logger('Probe').warn('inside a request');
          return { ok: true };
        }),
    });
    steward = await t.token('steward');
  });

  afterAll(() => t.close());

  it('writes Nest own logs as JSON lines through pino', () => {
    expect(log.lines.length).toBeGreaterThan(0);
    // Every line is JSON (JSON.parse throws otherwise), with a level name and an ISO time.
    for (const entry of log.entries) {
      expect(entry).toEqual(expect.objectContaining({ level: expect.any(String), time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }));
    }
    expect(log.entries.some((e) => typeof e.context === 'string' && e.level === 'info')).toBe(true);
  });

  it('logs a request as one line with its id, method, route pattern, status, duration and actor, and echoes the id', async () => {
    const res = await t.request('POST', '/v1/funds', { token: steward.secret, body: fund, headers: { 'x-request-id': 'trace-7.abc_1' } });
    expect(res.status).toBe(201);
    expect(res.headers['x-request-id']).toBe('trace-7.abc_1');
    const line = await lineOf(log, 'trace-7.abc_1');
    expect(line).toEqual({
      level: 'info',
      time: expect.any(String),
      pid: process.pid,
      hostname: expect.any(String),
      reqId: 'trace-7.abc_1',
      method: 'POST',
      route: '/v1/funds',
      status: 201,
      durationMs: expect.any(Number),
      actorId: `token:${steward.tokenId}`,
      msg: 'request',
    });
    // The route pattern, not the URL.
    const fundId = res.body.fundId as string;
    const read = await t.request('GET', `/v1/funds/${fundId}`, { token: steward.secret, headers: { 'x-request-id': 'read-1' } });
    expect(read.status).toBe(200);
    expect(await lineOf(log, 'read-1')).toMatchObject({ route: '/v1/funds/:fundId', status: 200 });
    expect(log.text).not.toContain(fundId);
  });

  it('generates an id when X-Request-Id is missing or malformed, and never takes a token for one', async () => {
    for (const given of [undefined, 'has spaces', 'x'.repeat(101), steward.secret]) {
      const res = await t.request('GET', '/v1/funds', { token: steward.secret, headers: given === undefined ? {} : { 'x-request-id': given } });
      expect(res.status).toBe(200);
      const id = String(res.headers['x-request-id']);
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect((await lineOf(log, id)).route).toBe('/v1/funds');
    }
  });

  it('logs refusals too: 401 without an actor, 404 as an unmatched route, 400; every answer has its id', async () => {
    const bad = await t.request('GET', '/v1/funds', { token: `mal_${'A'.repeat(43)}`, headers: { 'x-request-id': 'unauth-1' } });
    expect(bad.status).toBe(401);
    expect(bad.headers['x-request-id']).toBe('unauth-1');
    const unauth = await lineOf(log, 'unauth-1');
    expect(unauth).toMatchObject({ status: 401, route: '/v1/funds', level: 'info' });
    expect(unauth).not.toHaveProperty('actorId');

    const missing = await t.request('GET', '/v1/no-such/route?email=ana@example.org', { token: steward.secret, headers: { 'x-request-id': 'missing-1' } });
    expect(missing.status).toBe(404);
    expect(missing.headers['x-request-id']).toBe('missing-1');
    expect(await lineOf(log, 'missing-1')).toMatchObject({ status: 404, route: 'unmatched', method: 'GET' });

    // Refused by Fastify before any route runs (bad percent-encoding).
    const badUrl = await t.request('GET', '/v1/funds/%E0%A4%A', { token: steward.secret, headers: { 'x-request-id': 'bad-url-1' } });
    expect(badUrl.status).toBe(400);
    expect(badUrl.headers['x-request-id']).toBe('bad-url-1');
    expect(await lineOf(log, 'bad-url-1')).toMatchObject({ status: 400, method: 'GET' });

    const invalid = await t.request('POST', '/v1/funds', { token: steward.secret, body: { ...fund, code: 'Not A Code' }, headers: { 'x-request-id': 'invalid-1' } });
    expect(invalid.status).toBe(400);
    expect(await lineOf(log, 'invalid-1')).toMatchObject({ status: 400, route: '/v1/funds', actorId: `token:${steward.tokenId}` });
  });

  it('gives Nest logs written during a request the request id', async () => {
    const res = await t.request('GET', '/__log-probe', { headers: { 'x-request-id': 'probe-ctx-1' } });
    expect(res.status).toBe(200);
    expect(log.entries.filter((e) => e.msg === 'inside a request')).toEqual([
      expect.objectContaining({ level: 'warn', context: 'Probe', reqId: 'probe-ctx-1' }),
    ]);
  });

  it('logs health probes at debug only (not at the default info level)', async () => {
    const res = await t.request('GET', '/health/live', { headers: { 'x-request-id': 'probe-1' } });
    expect(res.status).toBe(200);
    expect(res.headers['x-request-id']).toBe('probe-1');
    await new Promise((r) => setTimeout(r, 50));
    expect(log.requestLines('probe-1')).toHaveLength(0);
  });

  it('never writes a token, an Authorization header, a body or the query', () => {
    expect(log.text).not.toContain(steward.secret);
    expect(log.text).not.toContain('mal_');
    expect(log.text.toLowerCase()).not.toContain('bearer');
    expect(log.text.toLowerCase()).not.toContain('authorization');
    expect(log.text).not.toContain(fund.name);
    expect(log.text).not.toContain('ana@example.org');
  });
});

describe('operations: /metrics', () => {
  let t: TestApp;
  let auditor: string;
  let steward: string;

  beforeAll(async () => {
    t = await startTestApp();
    auditor = (await t.token('auditor')).secret;
    steward = (await t.token('steward')).secret;
    expect((await t.request('POST', '/v1/funds', { token: steward, body: fund })).status).toBe(201);
    expect((await t.request('POST', '/v1/funds', { token: steward, body: fund })).status).toBe(409);
  });

  afterAll(() => t.close());

  it('is for steward and auditor tokens only', async () => {
    expect((await t.request('GET', '/metrics')).status).toBe(401);
    expect((await t.request('GET', '/metrics', { token: `mal_${'B'.repeat(43)}` })).status).toBe(401);
    expect((await t.request('GET', '/metrics', { token: steward })).status).toBe(200);
    expect((await t.request('GET', '/metrics', { token: auditor })).status).toBe(200);
  });

  it('answers in the Prometheus format with the request, store and projection series', async () => {
    // A seal now, so the seal's age is a figure (it is absent before the first seal).
    await t.app.get(SealService).tick(true);
    await t.app.get(ProjectionRunner).waitFor(await t.store.headPosition(), 5000);
    const res = await t.request('GET', '/metrics', { token: auditor });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.text;
    const value = (series: string): number => {
      const line = text.split('\n').find((l) => l.startsWith(`${series} `));
      if (!line) throw new Error(`no series ${series} in\n${text}`);
      return Number(line.slice(series.length + 1));
    };
    // Request rate and latency per route pattern.
    expect(value('ledger_http_requests_total{method="POST",route="/v1/funds",status="201"}')).toBe(1);
    expect(value('ledger_http_requests_total{method="POST",route="/v1/funds",status="409"}')).toBe(1);
    expect(value('ledger_http_request_duration_seconds_count{method="POST",route="/v1/funds"}')).toBe(2);
    expect(text).toContain('ledger_http_request_duration_seconds_bucket{le="0.005",method="POST",route="/v1/funds"}');
    // Appends and commits of the SQLite store: two tokens and a fund at least.
    expect(value('ledger_store_append_duration_seconds_count{outcome="ok"}')).toBeGreaterThanOrEqual(3);
    expect(value('ledger_store_commit_duration_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(value('ledger_store_commit_appends_count')).toBe(value('ledger_store_commit_duration_seconds_count'));
    expect(value('ledger_store_commit_appends_sum')).toBeGreaterThanOrEqual(3);
    const head = value('ledger_store_head_position');
    expect(head).toBe(await t.store.headPosition());
    expect(value('ledger_store_committed_events_total')).toBe(head);
    expect(value('ledger_store_write_fault')).toBe(0);
    // Every projection's position and lag.
    expect(value('ledger_projection_lag_events{projection="funds"}')).toBe(0);
    expect(value('ledger_projection_position{projection="funds"}')).toBe(head);
    expect(value('ledger_projection_stuck{projection="funds"}')).toBe(0);
    expect(value('ledger_projections_running')).toBe(1);
    expect(value('ledger_verification_failed')).toBe(0);
    expect(value('ledger_seal_age_seconds')).toBeGreaterThanOrEqual(0);
    expect(value('ledger_seal_age_seconds')).toBeLessThan(60);
    expect(value('ledger_singleton_lease_held')).toBe(1);
    // Node's own.
    expect(text).toContain('process_resident_memory_bytes');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
    // No relay configured: no relay series.
    expect(text).not.toContain('ledger_relay_');
  });

  it('takes no query parameters', async () => {
    const res = await t.request('GET', '/metrics?name=x', { token: auditor });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('REQUEST.INVALID');
  });
});

describe('operations: security headers and CORS', () => {
  let t: TestApp;
  let steward: string;

  beforeAll(async () => {
    t = await startTestApp();
    steward = (await t.token('steward')).secret;
  });

  afterAll(() => t.close());

  it.each([
    ['GET', '/v1/funds', 200],
    ['GET', '/v1/funds?nope=1', 400],
    ['GET', '/v1/nothing', 404],
    ['GET', '/health', 200],
    ['GET', '/docs-json', 200],
  ] as const)('%s %s (%i) has the security headers and a CSP that loads nothing', async (method, url, status) => {
    const res = await t.request(method, url, { token: steward });
    expect(res.status).toBe(status);
    expect(res.headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none';base-uri 'none';form-action 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['strict-transport-security']).toMatch(/^max-age=\d+/);
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cross-origin-resource-policy']).toBe('same-origin');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('a 401 has them too', async () => {
    const res = await t.request('GET', '/v1/funds');
    expect(res.status).toBe(401);
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('lets the Swagger UI at /docs load its own scripts and styles, and nothing from elsewhere', async () => {
    const page = await t.request('GET', '/docs');
    expect(page.status).toBe(200);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
    // The page's scripts are its own files, served under the same policy.
    const scripts = [...page.text.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]);
    expect(scripts.length).toBeGreaterThan(0);
    expect(page.text).not.toMatch(/<script>(?!\s*<\/script>)/);
    for (const src of scripts) {
      const asset = await t.request('GET', new URL(src, 'http://x/docs').pathname);
      expect(asset.status).toBe(200);
      expect(String(asset.headers['content-security-policy'])).toContain("script-src 'self'");
    }
  });

  it('answers no CORS headers unless origins are configured', async () => {
    const res = await t.request('GET', '/v1/funds', { token: steward, headers: { origin: 'https://books.example.org' } });
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await t.request('OPTIONS', '/v1/funds', {
      headers: { origin: 'https://books.example.org', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
    });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(preflight.headers['access-control-allow-methods']).toBeUndefined();
  });
});

describe('operations: CORS for configured origins', () => {
  let t: TestApp;
  let steward: string;
  const origin = 'https://books.example.org';

  beforeAll(async () => {
    t = await startTestApp({ config: { corsOrigins: [origin, 'http://localhost:5173'] } });
    steward = (await t.token('steward')).secret;
  });

  afterAll(() => t.close());

  it('allows a configured origin, and exposes the request id and the write headers', async () => {
    const res = await t.request('GET', '/v1/funds', { token: steward, headers: { origin } });
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(origin);
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    expect(String(res.headers['access-control-expose-headers'])).toContain('x-request-id');
    expect(String(res.headers['access-control-expose-headers'])).toContain('ledger-position');
    const preflight = await t.request('OPTIONS', '/v1/funds', {
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,idempotency-key' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(origin);
    expect(String(preflight.headers['access-control-allow-methods'])).toContain('POST');
    expect(String(preflight.headers['access-control-allow-headers'])).toContain('idempotency-key');
  });

  it('gives another origin nothing', async () => {
    const res = await t.request('GET', '/v1/funds', { token: steward, headers: { origin: 'https://evil.example.com' } });
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await t.request('OPTIONS', '/v1/funds', { headers: { origin: 'https://evil.example.com', 'access-control-request-method': 'POST' } });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('operations: the compiled service', () => {
  let dataDir: string;
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'ledger-ops-'))));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('writes only JSON lines to stdout, one per request with its id, and shuts down cleanly on SIGTERM', async () => {
    const secret = ledgerCli(dataDir, ['tokens', 'create', '--role', 'auditor', '--name', 'prometheus']).stdout.trim().split('\n').pop()!;
    const port = freePort();
    const { KAFKA_BROKERS: _brokers, ...env } = process.env;
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'src', 'main.js')], {
      cwd: ROOT,
      env: { ...env, LEDGER_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LEDGER_SEED_FUNDS: 'none' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    try {
      // A crowded machine can take 20 s and more to start Nest.
      const deadline = Date.now() + 60_000;
      let res: Response | undefined;
      while (Date.now() < deadline && !res) {
        res = await fetch(`http://127.0.0.1:${port}/v1/funds`, { headers: { authorization: `Bearer ${secret}`, 'x-request-id': 'compiled-1' } }).catch(() => undefined);
        if (!res) await new Promise((r) => setTimeout(r, 100));
      }
      expect(res?.status).toBe(200);
      expect(res?.headers.get('x-request-id')).toBe('compiled-1');
      await new Promise((r) => setTimeout(r, 200));
      child.kill('SIGTERM');
      // Nest closes the application (the stores among it), then re-raises the signal.
      expect(await exited).toEqual({ code: null, signal: 'SIGTERM' });
      const entries = stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(entries.filter((e) => e.reqId === 'compiled-1' && e.msg === 'request')).toEqual([
        expect.objectContaining({ method: 'GET', route: '/v1/funds', status: 200, actorId: expect.stringMatching(/^token:/) }),
      ]);
      expect(entries.some((e) => typeof e.msg === 'string' && e.msg.startsWith('Listening on'))).toBe(true);
      expect(stdout).not.toContain(secret);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 120_000);
});
