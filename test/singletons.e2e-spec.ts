import { SealService } from '../src/audit/seals/seal.service';
import { WebhookDispatcher } from '../src/modules/webhooks/delivery/webhook-dispatcher';
import { ADVISORY_NAMESPACE, SINGLETON_LEASE_LOCK } from '../src/shared-state/shared-postgres';
import { SingletonLease } from '../src/shared-state/singleton-lease';
import { POSTGRES_URL, TestDatabase, admin, createTestDatabase } from './support/postgres';
import { TestApp, startTestApp } from './support/test-app';

/**
 * The service's duties follow the singleton lease: when the holder's lease session is ended under
 * it (the server restarted, a proxy cut it, `pg_terminate_backend`), sealing and webhook delivery
 * stop before anything else hears of the loss, and start again once the lease is taken back.
 * Runs when LEDGER_POSTGRES_URL is set, in a database of its own; skipped otherwise.
 */
const suite = POSTGRES_URL ? describe : describe.skip;

async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

suite('the singleton duties follow the lease (LEDGER_POSTGRES_URL)', () => {
  let database: TestDatabase;
  let t: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase('duties');
    t = await startTestApp({
      config: { store: 'postgres', postgresUrl: database.url, sharedStateUrl: database.url, sealIntervalSeconds: 1, leaseRetrySeconds: 1, webhookDelivery: true },
    });
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await database?.drop();
  });

  it('a holder whose lease session is ended stops sealing and delivering at once, and resumes when it takes the lease back', async () => {
    const lease = t.app.get(SingletonLease);
    const seals = t.app.get(SealService);
    const dispatcher = t.app.get(WebhookDispatcher);
    await until('the lease', () => lease.held);
    await lease.settled();
    expect(seals.status().sealing).toBe(true);
    expect(dispatcher.enabled).toBe(true);
    expect((await t.request('GET', '/health')).body.checks.singletons).toMatchObject({ held: true, mode: 'postgres', retrySeconds: 1 });

    // Registered last, so called after the duties' own listeners: what it sees, they have done.
    const seen: Array<{ held: boolean; sealing: boolean; delivering: boolean; standby: boolean }> = [];
    lease.onChange((held) => void seen.push({ held, sealing: seals.status().sealing, delivering: dispatcher.enabled, standby: dispatcher.standby }));
    await admin(
      database.url,
      `SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = $1 AND objid = $2
         AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      [ADVISORY_NAMESPACE, SINGLETON_LEASE_LOCK],
    );
    await until('the loss', () => seen.some((s) => !s.held));
    expect(seen[seen.length - 1]).toEqual({ held: false, sealing: false, delivering: false, standby: true });
    // Alone on this database, it takes the lease back at its next try (1 s here).
    await until('the lease back', () => seen[seen.length - 1].held, 5000);
    expect(seen[seen.length - 1]).toEqual({ held: true, sealing: true, delivering: true, standby: false });
    expect(seen.map((s) => s.held)).toEqual([true, false, true]);
  });
});
