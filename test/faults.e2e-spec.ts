/**
 * Faults answered plainly (issue 10, deliverables 2 and 7): a projection that throws is stuck
 * alone and named in /health; a full disk is 503 STORE.UNAVAILABLE with one log line; a broken
 * chain found by the background verification makes the service unready.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import Database from 'better-sqlite3';
import { createApp } from '../src/app';
import { BackgroundVerifier, FULL_PASS_EVERY } from '../src/audit/verify/background-verifier';
import { CommandRunner } from '../src/commands/command-runner';
import { LedgerConfig } from '../src/config';
import { EventStore } from '../src/event-store/event-store.port';
import { SqliteEventStore } from '../src/event-store/sqlite/sqlite-event-store';
import { issueToken } from '../src/modules/access/manage-tokens';
import { ProjectionRunner } from '../src/projections/projection-runner';
import { SystemClock } from '../src/shared/clock';
import { newId } from '../src/shared/ids';
import { testConfig } from './support/test-app';

const clock = new SystemClock();

interface Running {
  readonly app: NestFastifyApplication;
  request(method: 'GET' | 'POST', url: string, token?: string, body?: unknown): Promise<{ status: number; headers: Record<string, unknown>; body: any }>;
  token(): Promise<string>;
}

async function start(dataDir: string, options: { store?: EventStore; config?: Partial<LedgerConfig> } = {}): Promise<Running> {
  const app = await createApp(testConfig(dataDir, { readYourWritesTimeoutMs: 1500, ...options.config }), { clock, logger: false, store: options.store });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return {
    app,
    async request(method, url, token, body) {
      const response = await app.inject({
        method,
        url,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        payload: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.statusCode, headers: response.headers, body: response.body ? JSON.parse(response.body) : undefined };
    },
    async token() {
      const id = newId();
      const issued = await issueToken(app.get(CommandRunner), { actor: { id: 'operator:test', role: 'operator' }, correlationId: id, causationId: id, now: clock.now() }, { role: 'steward', name: `steward-${id}` });
      await app.get(ProjectionRunner).waitFor(issued.position, 5000);
      return issued.secret;
    },
  };
}

const fund = (code: string) => ({ code, name: `Fund ${code}`, currency: 'USD', restriction: { class: 'unrestricted' } });

describe('faults answered plainly', () => {
  let dataDir: string;
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'ledger-faults-'))));
  afterEach(() => {
    jest.restoreAllMocks();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps serving when one projection throws: /health names it, reads and writes go on, and it stays stuck across a restart', async () => {
    let t = await start(dataDir);
    const token = await t.token();
    expect((await t.request('POST', '/v1/funds', token, fund('before'))).status).toBe(201);
    // An event the balances projection cannot apply (a date beyond its range), put in the log
    // behind the write path's back, as a bug in a projection would meet an accepted event.
    const store = t.app.get(EventStore);
    const { position } = await store.append(`movement-${newId()}`, [{
      type: 'MovementPosted',
      schemaVersion: 1,
      effectiveAt: '9999-12-31T00:00:00.000Z',
      data: { movementId: newId(), kind: 'income', postings: [{ from: 'external:test', to: 'fund:x', amountMinor: 100, asset: 'USD' }] },
    }], 'no_stream', { actorId: 'test', actorRole: 'steward', correlationId: 'c', causationId: 'c' });
    await t.app.get(ProjectionRunner).waitFor(position, 5000);

    const health = await t.request('GET', '/health');
    expect(health.status).toBe(503);
    expect(health.body.status).toBe('degraded');
    expect(health.body.checks.projections.status).toBe('degraded');
    expect(health.body.checks.projections.stuck).toContain('balances');
    const balances = health.body.checks.projections.items.find((p: { name: string }) => p.name === 'balances');
    expect(balances).toMatchObject({ position: position - 1, lag: 1, stuck: { position, type: 'MovementPosted', eventId: expect.any(String), error: expect.any(String) } });
    const tokens = health.body.checks.projections.items.find((p: { name: string }) => p.name === 'api-tokens');
    expect(tokens).toMatchObject({ position, lag: 0 });
    expect(tokens.stuck).toBeUndefined();
    expect((await t.request('GET', '/health/ready')).status).toBe(503);
    expect((await t.request('GET', '/health/live')).status).toBe(200);

    // Writes still read their own writes (the wait counts healthy projections only), and reads answer.
    const created = await t.request('POST', '/v1/funds', token, fund('after'));
    expect(created.status).toBe(201);
    expect(created.headers['ledger-read-models']).toBe('current');
    const listed = await t.request('GET', '/v1/funds', token);
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.body)).toContain('"after"');
    await t.app.close();

    // The same code after a restart: still stuck at the same event, still serving.
    t = await start(dataDir);
    await t.app.get(ProjectionRunner).waitFor(await t.app.get(EventStore).headPosition(), 5000);
    const again = await t.request('GET', '/health');
    expect(again.status).toBe(503);
    expect(again.body.checks.projections.items.find((p: { name: string }) => p.name === 'balances').stuck.position).toBe(position);
    expect((await t.request('POST', '/v1/funds', token, fund('restarted'))).status).toBe(201);
    await t.app.close();
  });

  it('answers writes on a full disk with 503 STORE.UNAVAILABLE and one log line, and keeps answering reads', async () => {
    const first = await start(dataDir);
    const token = await first.token();
    expect((await first.request('POST', '/v1/funds', token, fund('seeded'))).status).toBe(201);
    await first.app.close();

    const file = join(dataDir, 'events.db');
    const raw = new Database(file, { readonly: true });
    const pages = raw.pragma('page_count', { simple: true }) as number;
    raw.close();
    const errors = jest.spyOn(Logger.prototype, 'error');
    const store = new SqliteEventStore({ file, clock, synchronous: 'NORMAL', maxPageCount: pages + 1 });
    const t = await start(dataDir, { store });
    try {
      const statuses: number[] = [];
      let refusal: any;
      for (let i = 0; i < 300 && !refusal; i++) {
        const res = await t.request('POST', '/v1/funds', token, fund(`full-${i}`));
        statuses.push(res.status);
        if (res.status !== 201) refusal = res;
      }
      expect(refusal).toBeDefined();
      expect(refusal.status).toBe(503);
      expect(refusal.body).toMatchObject({ status: 503, code: 'STORE.UNAVAILABLE' });
      for (let i = 0; i < 20; i++) {
        const res = await t.request('POST', '/v1/funds', token, fund(`more-${i}`));
        expect(res.status).toBe(503);
        expect(res.body.code).toBe('STORE.UNAVAILABLE');
      }
      const storeLines = errors.mock.calls.filter(([line]) => String(line).includes('store unavailable'));
      expect(storeLines).toHaveLength(1);
      expect(errors.mock.calls.some(([line]) => /\n\s+at /.test(String(line)))).toBe(false);

      expect((await t.request('GET', '/v1/funds', token)).status).toBe(200);
      const health = await t.request('GET', '/health');
      expect(health.status).toBe(503);
      expect(health.body.checks.store).toMatchObject({ status: 'up', write: { status: 'down', lastFault: { kind: 'SQLITE_FULL' } } });
      expect((await t.request('GET', '/health/live')).status).toBe(200);
    } finally {
      await t.app.close();
    }
  });

  it('reports a broken chain found by the background verification, and readiness fails', async () => {
    const t = await start(dataDir, { config: { verifyIntervalSeconds: 0 } });
    try {
      const token = await t.token();
      for (let i = 0; i < 3; i++) expect((await t.request('POST', '/v1/funds', token, fund(`v${i}`))).status).toBe(201);
      const verifier = t.app.get(BackgroundVerifier);
      expect(verifier.status().status).toBe('disabled');
      expect((await verifier.runOnce()).status).toBe('ok');
      expect((await t.request('GET', '/health')).body.checks.verification).toMatchObject({ status: 'ok', verifiedUpTo: await t.app.get(EventStore).headPosition() });

      // Appended after the last run, then changed behind the store's back: the next run finds it.
      const created = await t.request('POST', '/v1/funds', token, fund('tampered'));
      const db = new Database(join(dataDir, 'events.db'));
      db.exec('DROP TRIGGER events_refuse_update');
      db.prepare(`UPDATE events SET data = json_set(data, '$.name', 'mallory') WHERE global_position = ?`).run(created.body.position - 1);
      db.close();
      expect((await verifier.runOnce()).status).toBe('failed');
      const health = await t.request('GET', '/health');
      expect(health.status).toBe(503);
      expect(health.body.checks.verification).toMatchObject({ status: 'failed', firstProblem: { kind: 'HASH_MISMATCH', position: created.body.position - 1 } });
    } finally {
      await t.app.close();
    }
  });

  it('finds, in its periodic full pass, an old event changed after it was verified', async () => {
    const t = await start(dataDir, { config: { verifyIntervalSeconds: 0 } });
    try {
      const token = await t.token();
      const created = await t.request('POST', '/v1/funds', token, fund('old'));
      const verifier = t.app.get(BackgroundVerifier);
      expect((await verifier.runOnce()).status).toBe('ok');
      const db = new Database(join(dataDir, 'events.db'));
      db.exec('DROP TRIGGER events_refuse_update');
      db.prepare(`UPDATE events SET data = json_set(data, '$.name', 'mallory') WHERE global_position = ?`).run(created.body.position - 1);
      db.close();
      // Incremental runs read only what is new; the full pass re-reads everything.
      let runs = 1;
      while (runs < FULL_PASS_EVERY - 1) {
        expect((await verifier.runOnce()).status).toBe('ok');
        runs += 1;
      }
      const found = await verifier.runOnce();
      expect(found).toMatchObject({ status: 'failed', firstProblem: { kind: 'HASH_MISMATCH', position: created.body.position - 1 } });
    } finally {
      await t.app.close();
    }
  });

  it('is not ready when the data directory has less free space than LEDGER_MIN_FREE_MB', async () => {
    const t = await start(dataDir, { config: { minFreeBytes: Number.MAX_SAFE_INTEGER } });
    try {
      const health = await t.request('GET', '/health');
      expect(health.status).toBe(503);
      expect(health.body.status).toBe('degraded');
      expect(health.body.checks.store.write).toMatchObject({ status: 'down', freeBytes: expect.any(Number), minFreeBytes: Number.MAX_SAFE_INTEGER });
    } finally {
      await t.app.close();
    }
    const ok = await start(dataDir);
    try {
      const health = await ok.request('GET', '/health');
      expect(health.status).toBe(200);
      expect(health.body.checks.store.write.status).toBe('up');
    } finally {
      await ok.app.close();
    }
  });

  it('is unavailable while the projection runner does not follow the log, and live all the same', async () => {
    const t = await start(dataDir);
    try {
      expect((await t.request('GET', '/health')).status).toBe(200);
      await t.app.get(ProjectionRunner).stop();
      const health = await t.request('GET', '/health/ready');
      expect(health.status).toBe(503);
      expect(health.body).toMatchObject({ status: 'unavailable', checks: { projections: { status: 'down' } } });
      expect((await t.request('GET', '/health/live')).status).toBe(200);
    } finally {
      await t.app.close();
    }
  });
});
