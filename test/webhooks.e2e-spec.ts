import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySignature, WEBHOOK_HEADERS } from '../src/modules/webhooks/delivery/webhook-signature';
import { TestApp, allEvents, startTestApp } from './support/test-app';

jest.setTimeout(60_000);

interface Received {
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  readonly parsed: { subscriptionId: string; deliveryId: string; events: Array<{ eventId: string; type: string; streamId: string; streamVersion: number; globalPosition: number }> };
}

/** A real HTTP receiver on loopback that can answer 503, go away (connection refused) and come back on the same port. */
class Receiver {
  readonly received: Received[] = [];
  mode: 'ok' | 'fail' = 'ok';
  private server?: Server;
  port = 0;

  async listen(port = 0): Promise<void> {
    this.server = createServer((request: IncomingMessage, response: ServerResponse) => {
      const chunks: Buffer[] = [];
      request.on('data', (c: Buffer) => chunks.push(c));
      request.on('end', () => {
        if (this.mode === 'fail') {
          response.writeHead(503).end();
          return;
        }
        const body = Buffer.concat(chunks).toString('utf8');
        this.received.push({ headers: request.headers, body, parsed: JSON.parse(body) });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server!.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks`;
  }

  events() {
    return this.received.flatMap((r) => r.parsed.events);
  }
}

function metricValue(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('webhooks: signed, at least once, in order per stream, from a durable checkpoint', () => {
  let t: TestApp;
  let steward: string;
  let auditor: string;
  let funds: Record<string, string>;
  const receiver = new Receiver();

  beforeAll(async () => {
    await receiver.listen();
    t = await startTestApp({ config: { seedFunds: 'default', webhookMaxBackoffMs: 400, webhookTimeoutMs: 2000 } });
    steward = (await t.token('steward')).secret;
    auditor = (await t.token('auditor')).secret;
    const list = await t.request('GET', `/v1/funds?minPosition=${await t.store.headPosition()}`, { token: steward });
    funds = Object.fromEntries((list.body.items as { fundId: string; code: string }[]).map((f) => [f.code, f.fundId]));
  });

  afterAll(async () => {
    await t?.close();
    await receiver.close();
  });

  const income = (code: string, n: number) =>
    t.request('POST', '/v1/income', {
      token: steward,
      body: { fundId: funds[code], source: `Donor ${n}`, category: 'grant', amountMinor: 100 + n, currency: 'USD', effectiveAt: '2026-03-01' },
    });
  const register = (body: unknown, headers: Record<string, string> = {}) => t.request('POST', '/v1/webhooks', { token: steward, body, headers });

  it('refuses what it must, naming the field and the code', async () => {
    const cases: Array<[unknown, number, string]> = [
      [{ url: 'ftp://127.0.0.1/x', eventTypes: ['*'] }, 400, 'WEBHOOK.URL_SCHEME_NOT_ALLOWED'],
      [{ url: 'file:///etc/passwd', eventTypes: ['*'] }, 400, 'WEBHOOK.URL_SCHEME_NOT_ALLOWED'],
      [{ url: 'gopher://127.0.0.1:70/', eventTypes: ['*'] }, 400, 'WEBHOOK.URL_SCHEME_NOT_ALLOWED'],
      [{ url: 'https://user:pw@example.org/h', eventTypes: ['*'] }, 400, 'WEBHOOK.URL_INVALID'],
      [{ url: 'not a url at all', eventTypes: ['*'] }, 400, 'WEBHOOK.URL_INVALID'],
      [{ url: 'https://example.org/h#frag', eventTypes: ['*'] }, 400, 'WEBHOOK.URL_INVALID'],
      [{ url: 'https://example.org/h', eventTypes: ['NoSuchEvent'] }, 400, 'WEBHOOK.EVENT_TYPE_UNKNOWN'],
      [{ url: 'https://example.org/h', eventTypes: ['ApiTokenIssued'] }, 400, 'WEBHOOK.EVENT_TYPE_UNKNOWN'],
      [{ url: 'https://example.org/h', eventTypes: ['IdempotentRequestRecorded'] }, 400, 'WEBHOOK.EVENT_TYPE_UNKNOWN'],
      [{ url: 'https://example.org/h', eventTypes: ['*', 'MovementPosted'] }, 400, 'WEBHOOK.EVENT_TYPE_UNKNOWN'],
      [{ url: 'https://example.org/h', eventTypes: [] }, 400, 'REQUEST.INVALID'],
      [{ url: 'https://example.org/h', eventTypes: ['movement posted'] }, 400, 'REQUEST.INVALID'],
      [{ url: 'https://example.org/h' }, 400, 'REQUEST.INVALID'],
      [{ url: 'https://example.org/h', eventTypes: ['*'], secret: 'mine' }, 400, 'REQUEST.INVALID'],
    ];
    const head = await t.store.headPosition();
    for (const [body, status, code] of cases) {
      const r = await register(body);
      expect([JSON.stringify(body), r.status, r.body?.code]).toEqual([JSON.stringify(body), status, code]);
      if (code.startsWith('WEBHOOK.URL') || code === 'WEBHOOK.EVENT_TYPE_UNKNOWN') expect(r.body.errors[0].field).toBe(code === 'WEBHOOK.EVENT_TYPE_UNKNOWN' ? 'eventTypes' : 'url');
    }
    expect(await t.store.headPosition()).toBe(head);
    const byAuditor = await t.request('POST', '/v1/webhooks', { token: auditor, body: { url: 'https://example.org/h', eventTypes: ['*'] } });
    expect([byAuditor.status, byAuditor.body.code]).toEqual([403, 'AUTH.FORBIDDEN']);
    const unknown = '4b8e2f44-8a59-4f53-9a0b-0d1b7a4c9e11';
    for (const action of ['pause', 'resume', 'delete']) {
      const r = await t.request('POST', `/v1/webhooks/${unknown}/${action}`, { token: steward });
      expect([r.status, r.body.code]).toEqual([404, 'WEBHOOK.NOT_FOUND']);
    }
    expect((await t.request('GET', `/v1/webhooks/${unknown}`, { token: auditor })).status).toBe(404);
    expect((await t.request('GET', '/v1/webhooks/not-a-uuid', { token: auditor })).body.code).toBe('REQUEST.INVALID');
  });

  it('delivers every event after a receiver that failed and went away recovers, in order per stream, signed', async () => {
    const r = await register({ url: receiver.url, eventTypes: ['MovementRequested', 'MovementPosted', 'FundEntryPosted'], description: 'books' }, { 'idempotency-key': 'hook-1' });
    expect(r.status).toBe(201);
    const { subscriptionId, secret } = r.body;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(r.headers['cache-control']).toBe('no-store');
    const registeredAt = r.body.position as number;

    for (let n = 0; n < 5; n++) expect((await income('general', n)).status).toBe(201);
    await until('the first events', () => receiver.events().length >= 15);

    // Down: first answering 503, then not listening at all.
    receiver.mode = 'fail';
    for (let n = 5; n < 10; n++) await income(n % 2 ? 'general' : 'water-autonomy', n);
    await until('a failed attempt', async () => (await t.request('GET', `/v1/webhooks/${subscriptionId}`, { token: auditor })).body.delivery.consecutiveFailures > 0);
    const port = receiver.port;
    await receiver.close();
    for (let n = 10; n < 30; n++) await income(['general', 'water-autonomy', 'internal-capacity'][n % 3], n);
    await until('a refused connection', async () =>
      /ECONNREFUSED/.test((await t.request('GET', `/v1/webhooks/${subscriptionId}`, { token: auditor })).body.delivery.lastError ?? ''),
    );
    const down = (await t.request('GET', `/v1/webhooks/${subscriptionId}`, { token: auditor })).body;
    expect(down.delivery).toMatchObject({ state: 'retrying' });
    expect(down.delivery.lag).toBeGreaterThan(0);
    expect(down.delivery.failedAttempts).toBeGreaterThanOrEqual(2);
    expect(Date.parse(down.delivery.nextAttemptAt)).toBeGreaterThan(Date.parse(down.delivery.lastAttemptAt));
    // An operator's alert sees it too, in /metrics.
    const downMetrics = (await t.request('GET', '/metrics', { token: auditor })).text;
    expect(metricValue(downMetrics, 'ledger_webhook_subscriptions{state="retrying"}')).toBe(1);
    expect(metricValue(downMetrics, 'ledger_webhook_lag_events')).toBeGreaterThan(0);
    expect(metricValue(downMetrics, 'ledger_webhook_consecutive_failures')).toBeGreaterThanOrEqual(2);

    // Back, on the same port.
    receiver.mode = 'ok';
    await receiver.listen(port);
    const logged = (await allEvents(t.store)).filter(
      (e) => e.globalPosition > registeredAt && ['MovementRequested', 'MovementPosted', 'FundEntryPosted'].includes(e.type),
    );
    expect(logged.length).toBe(90);
    await until('every event after recovery', () => new Set(receiver.events().map((e) => e.eventId)).size >= logged.length);

    const got = receiver.events();
    expect(new Set(got.map((e) => e.eventId))).toEqual(new Set(logged.map((e) => e.eventId)));
    // In order: per stream (and here globally), allowing repeats of a batch that was retried.
    const lastVersion = new Map<string, number>();
    let lastPosition = 0;
    const seen = new Set<string>();
    for (const e of got) {
      if (seen.has(e.eventId)) continue;
      seen.add(e.eventId);
      expect(e.streamVersion).toBeGreaterThan(lastVersion.get(e.streamId) ?? -1);
      lastVersion.set(e.streamId, e.streamVersion);
      expect(e.globalPosition).toBeGreaterThan(lastPosition);
      lastPosition = e.globalPosition;
    }
    // Every request is signed over its raw body with the subscriber's secret, and names itself.
    for (const request of receiver.received) {
      expect(request.headers[WEBHOOK_HEADERS.subscription]).toBe(subscriptionId);
      expect(request.headers[WEBHOOK_HEADERS.delivery]).toBe(request.parsed.deliveryId);
      expect(verifySignature(secret, request.headers[WEBHOOK_HEADERS.signature] as string, request.body)).toBe(true);
      expect(verifySignature(`${secret}x`, request.headers[WEBHOOK_HEADERS.signature] as string, request.body)).toBe(false);
      expect(verifySignature(secret, request.headers[WEBHOOK_HEADERS.signature] as string, `${request.body} `)).toBe(false);
    }
    await until('the checkpoint at the head', async () => {
      const d = (await t.request('GET', `/v1/webhooks/${subscriptionId}`, { token: auditor })).body.delivery;
      return d.lag === 0 && d.consecutiveFailures === 0;
    });
    const after = (await t.request('GET', '/v1/webhooks', { token: auditor })).body.items.find((w: { subscriptionId: string }) => w.subscriptionId === subscriptionId);
    expect(after).toMatchObject({ url: receiver.url, status: 'active', description: 'books', delivery: { state: 'idle', lag: 0, consecutiveFailures: 0 } });
    expect(after.delivery.delivered).toBeGreaterThanOrEqual(90);
    expect(after.delivery.nextAttemptAt).toBeUndefined();
    const upMetrics = (await t.request('GET', '/metrics', { token: auditor })).text;
    expect(metricValue(upMetrics, 'ledger_webhook_subscriptions{state="retrying"}')).toBe(0);
    expect(metricValue(upMetrics, 'ledger_webhook_consecutive_failures')).toBe(0);

    // The secret is nowhere in the log, not even in the idempotency record of the registration.
    const log = JSON.stringify(await allEvents(t.store));
    expect(log).not.toContain(secret);
    expect(log).not.toContain(secret.slice(6));
    // The same request again answers the same subscription and the same secret, and registers nothing.
    const again = await register({ url: receiver.url, eventTypes: ['MovementRequested', 'MovementPosted', 'FundEntryPosted'], description: 'books' }, { 'idempotency-key': 'hook-1' });
    expect([again.status, again.body.subscriptionId, again.body.secret]).toEqual([201, subscriptionId, secret]);
  });

  it('pauses (holding at the checkpoint), resumes (sending what was missed) and deletes', async () => {
    const r = await register({ url: receiver.url, eventTypes: ['MovementPosted'] });
    const id = r.body.subscriptionId as string;
    const mine = () => receiver.received.filter((x) => x.parsed.subscriptionId === id).flatMap((x) => x.parsed.events);
    const paused = await t.request('POST', `/v1/webhooks/${id}/pause`, { token: steward, body: { reason: 'maintenance' } });
    expect([paused.status, paused.body.status]).toEqual([201, 'paused']);
    expect((await t.request('POST', `/v1/webhooks/${id}/pause`, { token: steward })).body.code).toBe('WEBHOOK.ALREADY_PAUSED');
    await income('general', 100);
    await income('general', 101);
    await new Promise((res) => setTimeout(res, 700));
    expect(mine()).toHaveLength(0);
    expect((await t.request('GET', `/v1/webhooks/${id}`, { token: steward })).body.delivery.state).toBe('paused');
    const resumed = await t.request('POST', `/v1/webhooks/${id}/resume`, { token: steward });
    expect([resumed.status, resumed.body.status]).toEqual([201, 'active']);
    expect((await t.request('POST', `/v1/webhooks/${id}/resume`, { token: steward })).body.code).toBe('WEBHOOK.NOT_PAUSED');
    await until('the events recorded while paused', () => mine().length >= 2);
    expect(mine().every((e) => e.type === 'MovementPosted')).toBe(true);

    const deleted = await t.request('POST', `/v1/webhooks/${id}/delete`, { token: steward });
    expect([deleted.status, deleted.body.status]).toEqual([201, 'deleted']);
    expect((await t.request('POST', `/v1/webhooks/${id}/pause`, { token: steward })).body.code).toBe('WEBHOOK.DELETED');
    await new Promise((res) => setTimeout(res, 700));
    const before = mine().length;
    await income('general', 102);
    await new Promise((res) => setTimeout(res, 700));
    expect(mine()).toHaveLength(before);
    const listed = await t.request('GET', '/v1/webhooks?status=deleted', { token: auditor });
    expect(listed.body.items.map((w: { subscriptionId: string }) => w.subscriptionId)).toContain(id);
    expect((await t.request('GET', '/v1/webhooks', { token: auditor })).body.items.map((w: { subscriptionId: string }) => w.subscriptionId)).not.toContain(id);
  });

  it('refuses a subscriber past the limit of live subscriptions', async () => {
    let last;
    for (let n = 0; n < 25; n++) {
      last = await register({ url: `http://127.0.0.1:9/sink-${n}`, eventTypes: ['FundOpened'] });
      if (last.status !== 201) break;
    }
    expect([last!.status, last!.body.code]).toEqual([409, 'WEBHOOK.LIMIT_REACHED']);
  });
});

describe('webhooks: the checkpoint survives a restart', () => {
  it('resumes after the last acknowledged batch, sending nothing it already delivered and missing nothing', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { createApp } = await import('../src/app');
    const { testConfig } = await import('./support/test-app');
    const { CommandRunner } = await import('../src/commands/command-runner');
    const { ProjectionRunner } = await import('../src/projections/projection-runner');
    const { issueToken } = await import('../src/modules/access/manage-tokens');
    const receiver = new Receiver();
    await receiver.listen();
    const dir = mkdtempSync(join(tmpdir(), 'ledger-hooks-'));
    const open = async () => {
      const app = await createApp(testConfig(dir, { seedFunds: 'default', webhookMaxBackoffMs: 400 }), { logger: false });
      await app.init();
      await app.getHttpAdapter().getInstance().ready();
      return app;
    };
    const inject = async (app: Awaited<ReturnType<typeof open>>, token: string, method: 'GET' | 'POST', url: string, body?: unknown) => {
      const r = await app.inject({ method, url, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, payload: body ? JSON.stringify(body) : undefined });
      return { status: r.statusCode, body: r.body ? JSON.parse(r.body) : undefined };
    };
    let app = await open();
    try {
      const now = new Date();
      const issued = await issueToken(app.get(CommandRunner), { actor: { id: 'operator:test', role: 'operator' }, correlationId: 'c', causationId: 'c', now }, { role: 'steward', name: 'hooks' });
      await app.get(ProjectionRunner).waitFor(issued.position, 5000);
      const token = issued.secret;
      const funds = (await inject(app, token, 'GET', '/v1/funds')).body.items as Array<{ fundId: string }>;
      const hook = await inject(app, token, 'POST', '/v1/webhooks', { url: receiver.url, eventTypes: ['MovementPosted'] });
      const income = (n: number) =>
        inject(app, token, 'POST', '/v1/income', { fundId: funds[n % funds.length].fundId, source: 'Grant', category: 'grant', amountMinor: 10 + n, currency: 'USD', effectiveAt: '2026-03-01' });
      for (let n = 0; n < 6; n++) await income(n);
      await until('the first six', () => receiver.events().length >= 6);
      await until('the checkpoint', async () => (await inject(app, token, 'GET', `/v1/webhooks/${hook.body.subscriptionId}`)).body.delivery.delivered >= 6);
      await app.close();

      app = await open();
      for (let n = 6; n < 10; n++) await income(n);
      await until('the next four', () => receiver.events().length >= 10);
      await new Promise((r) => setTimeout(r, 300));
      const ids = receiver.events().map((e) => e.eventId);
      expect(ids).toHaveLength(10);
      expect(new Set(ids).size).toBe(10);
    } finally {
      await app.close();
      await receiver.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
