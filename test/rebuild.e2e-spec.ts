import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../src/event-store/sqlite/sqlite-event-store';
import { SystemClock } from '../src/shared/clock';
import { freePort, ledgerCli } from './support/processes';

const ROOT = join(__dirname, '..');
/** Enough events that the catch-up of an empty readmodels.db takes a while on any machine here. */
const EVENTS = 150_000;

/**
 * The service started on a long log and an empty `readmodels.db`, as after a restore or a
 * deleted read-model file: it binds its port at once, `/health/live` answers throughout, readiness
 * says "rebuilding" with progress, every route that reads the read models (authentication
 * included) answers 503 `READ_MODELS.REBUILDING` with Retry-After, and once caught up it serves.
 */
describe('a rebuild with the service up', () => {
  let dataDir: string;
  let service: ChildProcess | undefined;
  let steward: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-rebuild-'));
    // A steward token first, so there is something to authenticate with after the rebuild.
    const created = ledgerCli(dataDir, ['tokens', 'create', '--role', 'steward', '--name', 'Rebuild test']);
    expect(created.status).toBe(0);
    steward = created.stdout.trim().split('\n').pop()!;
    // Then a long log, written straight to the store (what the projections have to read through).
    const store = new SqliteEventStore({ file: join(dataDir, 'events.db'), clock: new SystemClock(), synchronous: 'NORMAL' });
    const metadata = { actorId: 'system:test', actorRole: 'operator', correlationId: 'fill', causationId: 'fill' };
    for (let batch = 0; batch < EVENTS / 1000; batch++) {
      await Promise.all(
        Array.from({ length: 1000 }, (_, i) =>
          store.appendToStreams(
            [{ streamId: `idempotency-fill-${batch}-${i}`, expected: 'no_stream', events: [{ type: 'IdempotentRequestRecorded', schemaVersion: 1, data: { fingerprint: 'f', response: {} } }] }],
            metadata,
          ),
        ),
      );
    }
    await store.close();
    rmSync(join(dataDir, 'readmodels.db'), { force: true });
    rmSync(join(dataDir, 'readmodels.db-wal'), { force: true });
    rmSync(join(dataDir, 'readmodels.db-shm'), { force: true });
  }, 120_000);

  afterAll(async () => {
    if (service && service.exitCode === null) {
      const exited = new Promise((resolve) => service!.once('exit', resolve));
      service.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers liveness at once, says it is rebuilding, refuses reads with Retry-After, then serves', async () => {
    const port = freePort();
    const base = `http://127.0.0.1:${port}`;
    const { KAFKA_BROKERS: _brokers, ...env } = process.env;
    service = spawn(process.execPath, [join(ROOT, 'dist', 'src', 'main.js')], {
      cwd: ROOT,
      env: { ...env, LEDGER_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LEDGER_VERIFY_INTERVAL_SECONDS: '0', LEDGER_LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let output = '';
    service.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const get = async (path: string, token?: string) => {
      const res = await fetch(`${base}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
      return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, any> };
    };
    // Wait for the port, and then look at the service while it catches up.
    const deadline = Date.now() + 60_000;
    let live: Awaited<ReturnType<typeof get>> | undefined;
    while (!live && Date.now() < deadline) {
      live = await get('/health/live').catch(() => undefined);
      if (!live) await new Promise((r) => setTimeout(r, 20));
    }
    expect(live?.status).toBe(200);

    const seen = { rebuilding: 0, refused: 0, liveDuring: 0 };
    let health = await get('/health');
    while (health.body.status === 'rebuilding' && Date.now() < deadline) {
      seen.rebuilding += 1;
      const rebuild = health.body.checks.projections.rebuilding;
      expect(health.status).toBe(503);
      expect(rebuild).toMatchObject({ target: expect.any(Number), position: expect.any(Number), startedAt: expect.any(String), eventsPerSecond: expect.any(Number) });
      expect(rebuild.target).toBeGreaterThanOrEqual(EVENTS);
      expect(rebuild.position).toBeLessThan(rebuild.target);
      if ((await get('/health/live')).status === 200) seen.liveDuring += 1;
      const read = await get('/v1/funds', steward);
      if (read.status === 503) {
        seen.refused += 1;
        expect(read.body).toMatchObject({ status: 503, code: 'READ_MODELS.REBUILDING', rebuilding: { target: rebuild.target } });
        expect(Number(read.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      }
      await new Promise((r) => setTimeout(r, 50));
      health = await get('/health');
    }
    // The catch-up was seen from outside: the port answered long before it ended.
    expect(seen.rebuilding).toBeGreaterThan(0);
    expect(seen.liveDuring).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(0);
    expect(health).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(health.body.checks.projections.rebuilding).toBeUndefined();
    // Then the read models serve, and the token made before the rebuild works.
    expect((await get('/v1/funds', steward)).status).toBe(200);
    // The 503s of a rebuild are the service working as designed: logged at warn, no error line at all.
    const lines = output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: string; msg: string; status?: number; route?: string; code?: string });
    const refusals = lines.filter((line) => line.msg === 'request' && line.status === 503);
    expect(refusals.map((line) => line.route)).toEqual(expect.arrayContaining(['/health', '/v1/funds']));
    expect(refusals.every((line) => line.level === 'warn')).toBe(true);
    expect(refusals.filter((line) => line.route === '/v1/funds').every((line) => line.code === 'READ_MODELS.REBUILDING')).toBe(true);
    expect(lines.filter((line) => line.level === 'error')).toEqual([]);
  }, 120_000);
});
