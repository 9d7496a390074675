import { createPublicKey, sign, verify } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { POSTGRES_URL, TestDatabase, admin, createTestDatabase } from '../../test/support/postgres';
import { TEST_KEK } from '../../test/support/processes';
import { MerkleStore } from '../audit/seals/merkle-store';
import { PostgresSealKeys } from '../audit/seals/postgres-seal-keys';
import { SealData } from '../audit/seals/seal-statement';
import { SEAL_STREAM } from '../audit/seals/seal.events';
import { SEALER_METADATA, Sealer } from '../audit/seals/sealer';
import { sealVerification } from '../audit/seals/verify-seals';
import { PostgresEventStore } from '../event-store/postgres/postgres-event-store';
import { PostgresDeliveryState } from '../modules/webhooks/delivery/delivery-state';
import { KeyEncryptionKey } from '../modules/sustainers/personal-data/key-wrap';
import { PostgresRelayCheckpoint } from '../relay/kafka/relay-checkpoint';
import { SystemClock } from '../shared/clock';
import { ADVISORY_NAMESPACE, SHARED_TABLES, SINGLETON_LEASE_LOCK, SharedPostgres } from './shared-postgres';
import { LocalLease, PostgresLease } from './singleton-lease';

/**
 * The lease and every shared state store against a real PostgreSQL (LEDGER_POSTGRES_URL; `.ci/run`
 * sets it), in a database of this file's own; skipped otherwise, and test/global-setup.ts says so.
 */
const suite = POSTGRES_URL ? describe : describe.skip;
const kek = KeyEncryptionKey.fromText(TEST_KEK);

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('LocalLease (the SQLite default)', () => {
  it('is always held, and tells a duty so at once', async () => {
    const lease = new LocalLease();
    const seen: boolean[] = [];
    lease.onChange((held) => void seen.push(held));
    await lease.settled();
    expect(lease.held).toBe(true);
    expect(lease.status()).toEqual({ held: true, mode: 'local' });
    expect(seen).toEqual([true]);
    await lease.stop();
    expect(seen).toEqual([true, false]);
  });
});

suite('shared state in PostgreSQL (LEDGER_POSTGRES_URL)', () => {
  let database: TestDatabase;
  const opened: Array<{ close(): Promise<void> }> = [];
  const shared = () => {
    const db = new SharedPostgres(database.url);
    opened.push(db);
    return db;
  };

  beforeAll(async () => {
    database = await createTestDatabase('shared');
  });
  afterAll(async () => {
    for (const o of opened) await o.close().catch(() => undefined);
    await database?.drop();
  });

  describe('the singleton lease', () => {
    const leases: PostgresLease[] = [];
    const warnings: string[] = [];
    const lease = (retryMs = 200, name?: string) => {
      const l = new PostgresLease({ url: database.url, retryMs, name, logger: { log: () => undefined, warn: (m) => void warnings.push(m) } });
      leases.push(l);
      return l;
    };
    afterEach(async () => {
      for (const l of leases.splice(0)) await l.stop();
    });

    /** The server pid of the session holding the lease, from pg_locks. */
    const holderPid = async (): Promise<number | undefined> => {
      const client = new Client({ connectionString: database.url });
      await client.connect();
      try {
        const { rows } = await client.query<{ pid: number }>(
          "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = $1 AND objid = $2 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
          [ADVISORY_NAMESPACE, SINGLETON_LEASE_LOCK],
        );
        return rows[0]?.pid;
      } finally {
        await client.end();
      }
    };

    it('is held by exactly one of two instances; the other keeps trying', async () => {
      const [a, b] = [lease(200, 'host-a:1'), lease(200, 'host-b:2')];
      const events: string[] = [];
      a.onChange((held) => void events.push(`a:${held}`));
      b.onChange((held) => void events.push(`b:${held}`));
      a.start();
      b.start();
      await until(() => a.held || b.held);
      // Several rounds of retries later, still one.
      await new Promise((r) => setTimeout(r, 1000));
      expect([a.held, b.held].filter(Boolean)).toHaveLength(1);
      expect(events).toHaveLength(1);
      const holder = a.held ? a : b;
      expect(holder.status()).toMatchObject({ held: true, mode: 'postgres', retrySeconds: 0.2 });
      expect(holder.status().since).toMatch(/^\d{4}-/);
      // Both name the holder: it itself, the other from the lock's session.
      const other = a.held ? b : a;
      expect(holder.status().holder).toBe(holder.name);
      expect(other.status()).toMatchObject({ held: false, mode: 'postgres', holder: holder.name });
      expect(other.status().since).toBeUndefined();
      expect(await holderPid()).toBeDefined();
    });

    it('passes to the other instance when the holder session is terminated; the holder stops its duties first', async () => {
      // a retries slowly, so that b (not a, reconnecting) is the one to take the lease back.
      const [a, b] = [lease(3000), lease()];
      a.start();
      await until(() => a.held);
      const order: string[] = [];
      a.onChange((held) => void order.push(`a:${held}`));
      b.onChange((held) => void order.push(`b:${held}`));
      b.start();
      await new Promise((r) => setTimeout(r, 500));
      expect(b.held).toBe(false);
      const pid = await holderPid();
      await admin(database.url, 'SELECT pg_terminate_backend($1)', [pid]);
      await until(() => b.held, 5000);
      expect(a.held).toBe(false);
      expect(order).toEqual(['a:true', 'a:false', 'b:true']);
      expect(warnings.some((w) => /^lost the singleton lease \(.+\): the singleton duties stop here$/.test(w))).toBe(true);
      // The old holder keeps trying, and does not take it back while b holds it.
      await a.tryNow();
      expect(a.held).toBe(false);
      expect(a.status().error).toBeUndefined();
    });

    it('passes on when the holder stops (a clean shutdown releases the lock)', async () => {
      const [a, b] = [lease(), lease()];
      a.start();
      await until(() => a.held);
      b.start();
      await a.stop();
      expect(a.held).toBe(false);
      await until(() => b.held, 3000);
    });

    it('is per database: a ledger in another database on the same server has a lease of its own', async () => {
      const a = lease();
      a.start();
      await until(() => a.held);
      const other = await createTestDatabase('other');
      const elsewhere = new PostgresLease({ url: other.url, retryMs: 200, name: 'elsewhere:1' });
      try {
        elsewhere.start();
        await until(() => elsewhere.held, 3000);
        expect(a.held).toBe(true);
        expect(elsewhere.status().holder).toBe('elsewhere:1');
      } finally {
        await elsewhere.stop();
        await other.drop();
      }
    });

    it('is not held while the server cannot be reached, and says why', async () => {
      const unreachable = new PostgresLease({ url: 'postgres://postgres@127.0.0.1:1/none', retryMs: 200 });
      leases.push(unreachable);
      unreachable.start();
      await until(() => unreachable.status().error !== undefined);
      expect(unreachable.held).toBe(false);
    });

    it('sets an idle session timeout above its longest wait, so the server ends a cut-off holder only after it gave up', () => {
      const a = lease();
      expect(a.idleSessionTimeoutMs).toBeGreaterThan(a.retryMs + a.checkTimeoutMs);
    });
  });

  it('creates its tables once when several instances start at once', async () => {
    const fresh = await createTestDatabase('schema');
    try {
      const dbs = Array.from({ length: 4 }, () => new SharedPostgres(fresh.url));
      await Promise.all(dbs.map((db) => db.ready()));
      const [{ count }] = await dbs[0].query<{ count: string }>("SELECT count(*) FROM pg_tables WHERE tablename LIKE 'ledger_%'");
      expect(Number(count)).toBe(6);
      await Promise.all(dbs.map((db) => db.close()));
    } finally {
      await fresh.drop();
    }
  });

  it('runs as a role with only the documented grants (no CREATE) once the owner made the tables', async () => {
    const owner = shared();
    await owner.ready();
    const role = `ledger_app_${randomBytes(4).toString('hex')}`;
    await admin(database.url, `CREATE ROLE ${role} LOGIN`);
    await admin(
      database.url,
      `REVOKE CREATE ON SCHEMA public FROM PUBLIC;
       GRANT SELECT, INSERT, UPDATE, DELETE ON ledger_seal_keys TO ${role};
       GRANT SELECT, INSERT ON ledger_seal_trusted_keys, ledger_shared_keys TO ${role};
       GRANT SELECT, INSERT, UPDATE ON ledger_seal_signed, ledger_relay_checkpoints, ledger_webhook_deliveries TO ${role}`,
    );
    const asRole = new URL(database.url);
    asRole.username = role;
    const restricted = new SharedPostgres(asRole.toString());
    try {
      await restricted.ready();
      await expect(restricted.query('CREATE TABLE ledger_probe (x int)')).rejects.toThrow(/permission denied/);
      const keys = new PostgresSealKeys(restricted, () => kek);
      await keys.current();
      await keys.recordSigned({ treeSize: 1, rootHash: 'r', lastPosition: 1, sealedAt: '2026-12-01T00:00:00.000Z', cleanShutdown: false });
      await new PostgresRelayCheckpoint(restricted).save('t-role', 3);
      await new PostgresDeliveryState(restricted).start('sub-role', 1);
      expect((await restricted.sharedKey('role-key', kek))).toHaveLength(32);
      const lease = new PostgresLease({ url: asRole.toString(), retryMs: 200 });
      lease.start();
      await until(() => lease.held || lease.status().holder !== undefined);
      await lease.stop();
      expect(SHARED_TABLES).toHaveLength(6);
    } finally {
      await restricted.close();
      await admin(database.url, `DROP OWNED BY ${role}; DROP ROLE ${role}`);
    }
  });

  it('shares one key between instances, wrapped under the KEK, made once; another KEK is refused', async () => {
    const [a, b] = [shared(), shared()];
    const [ka, kb] = await Promise.all([a.sharedKey('test-key', kek), b.sharedKey('test-key', kek)]);
    expect(ka.equals(kb)).toBe(true);
    expect(ka).toHaveLength(32);
    const [row] = await a.query<{ wrapped: Buffer }>("SELECT wrapped FROM ledger_shared_keys WHERE name = 'test-key'");
    expect(row.wrapped.includes(ka)).toBe(false);
    await expect(a.sharedKey('test-key', KeyEncryptionKey.fromText(KeyEncryptionKey.generateText()))).rejects.toThrow(/wrapped under key-encryption key/);
    // An initial value is used only by the first to make the key.
    const seeded = await a.sharedKey('seeded', kek, () => Buffer.alloc(32, 7));
    expect(seeded.equals(Buffer.alloc(32, 7))).toBe(true);
    expect((await b.sharedKey('seeded', kek, () => Buffer.alloc(32, 9))).equals(seeded)).toBe(true);
  });

  describe('seal keys', () => {
    it('one current key for every instance, its private half wrapped; a rotation seen by all after a refresh', async () => {
      const [a, b] = [new PostgresSealKeys(shared(), () => kek), new PostgresSealKeys(shared(), () => kek)];
      const [ka, kb] = await Promise.all([a.current(), b.current()]);
      expect(ka.keyId).toBe(kb.keyId);
      const message = Buffer.from('tree head');
      expect(verify(null, message, createPublicKey(kb.publicKeyPem), sign(null, message, ka.privateKey))).toBe(true);
      const db = shared();
      const rows = await db.query<{ wrapped_private: Buffer }>('SELECT wrapped_private FROM ledger_seal_keys');
      expect(rows).toHaveLength(1);
      expect(rows[0].wrapped_private.toString('latin1')).not.toMatch(/PRIVATE KEY/);
      // Under another KEK the key does not unwrap.
      await expect(new PostgresSealKeys(db, () => KeyEncryptionKey.fromText(KeyEncryptionKey.generateText())).current()).rejects.toThrow(/does not unwrap/);

      // Verifying needs no KEK: the public keys and the record are read without one.
      const noKek = new PostgresSealKeys(db, () => {
        throw new Error('no key-encryption key');
      });
      await noKek.refresh();
      expect(noKek.publicKeys().map((k) => k.keyId)).toEqual([ka.keyId]);
      await expect(noKek.current()).rejects.toThrow('no key-encryption key');

      const next = await a.pending(new Date());
      await b.refresh();
      expect(b.publicKeys().map((k) => k.keyId)).toEqual([ka.keyId]); // pending is not public yet
      await a.promote(next.keyId);
      await b.refresh();
      expect(b.publicKeys().map((k) => [k.keyId, k.status])).toEqual([
        [ka.keyId, 'retired'],
        [next.keyId, 'current'],
      ]);
      expect((await b.current()).keyId).toBe(next.keyId);
      const discarded = await b.pending(new Date());
      await b.discard(discarded.keyId);
      expect((await db.query("SELECT 1 FROM ledger_seal_keys WHERE status = 'pending'")).length).toBe(0);
      await a.trust('f'.repeat(64), kb.publicKeyPem, new Date());
      await b.refresh();
      expect(b.publicKeys()[0]).toMatchObject({ keyId: 'f'.repeat(64), status: 'imported' });
    });

    it("the signer's record is shared and never moves back", async () => {
      const fresh = await createTestDatabase('record');
      const [da, db] = [new SharedPostgres(fresh.url), new SharedPostgres(fresh.url)];
      try {
        const [a, b] = [new PostgresSealKeys(da, () => kek), new PostgresSealKeys(db, () => kek)];
        await b.refresh();
        expect(b.signed()).toBeUndefined();
        await a.recordSigned({ treeSize: 10, rootHash: 'r10', lastPosition: 10, sealedAt: '2026-12-01T00:00:00.000Z', cleanShutdown: false });
        await b.recordSigned({ treeSize: 7, rootHash: 'r7', lastPosition: 7, sealedAt: '2026-12-01T00:00:01.000Z', cleanShutdown: false });
        await a.refresh();
        expect(a.signed()).toEqual({ treeSize: 10, rootHash: 'r10', lastPosition: 10, sealedAt: '2026-12-01T00:00:00.000Z', cleanShutdown: false });
        expect(b.signed()?.treeSize).toBe(10);
        await b.recordSigned({ treeSize: 12, rootHash: 'r12', lastPosition: 12, sealedAt: '2026-12-01T00:00:02.000Z', cleanShutdown: false });
        await a.refresh();
        expect(a.signed()?.rootHash).toBe('r12');
      } finally {
        await Promise.all([da.close(), db.close()]);
        await fresh.drop();
      }
    });

    it('two sealers on one log: the second verifies the first one’s seals with no trust step, then takes over on one chain', async () => {
      const fresh = await createTestDatabase('sealers');
      const dirs = [mkdtempSync(join(tmpdir(), 'ledger-sa-')), mkdtempSync(join(tmpdir(), 'ledger-sb-'))];
      const store = new PostgresEventStore({ connectionString: fresh.url, clock: new SystemClock() });
      const pools = [new SharedPostgres(fresh.url), new SharedPostgres(fresh.url)];
      try {
        await store.whenReady();
        const [a, b] = dirs.map(
          (dir, i) => new Sealer(store, new MerkleStore(join(dir, 'merkle.db')), new PostgresSealKeys(pools[i], () => kek), { everyEvents: 1_000_000, intervalMs: 3_600_000 }),
        );
        const append = (n: number) =>
          Promise.all(Array.from({ length: n }, (_, i) => store.append(`s-${i % 3}`, [{ type: 'Noted', schemaVersion: 1, data: { i } }], 'any', SEALER_METADATA())));
        await append(5);
        const first = await a.maybeSeal(true);
        await append(3);
        const second = await a.maybeSeal(true);
        // b follows the log and verifies a's seals by the shared public key.
        await b.catchUp();
        expect(b.status()).toMatchObject({ status: 'ok', lastSeal: { treeSize: second!.treeSize } });
        const checks = sealVerification(b.keys);
        let checked = 0;
        for await (const event of store.readAll()) {
          expect(checks.rule(event)).toBeUndefined();
          checked++;
        }
        expect(checked).toBe(10);
        // A seal signed by a key no instance knows is refused: the check can fail.
        const forged = { ...(await first!), keyId: 'e'.repeat(64) };
        expect(checks.rule({ ...(await (async () => { for await (const e of store.readStream(SEAL_STREAM)) return e; })())!, data: forged })).toBeDefined();
        // b takes over: its seal continues a's chain.
        await append(4);
        const third = await b.maybeSeal(true);
        expect(third).toMatchObject({ previousSeal: { treeSize: second!.treeSize, rootHash: second!.rootHash }, keyId: first!.keyId });
        // a, a step behind, cannot fork it: its append meets the seal stream's revision and it seals on b's seal.
        await append(1);
        const fourth = await a.maybeSeal(true);
        const seals: SealData[] = [];
        for await (const e of store.readStream(SEAL_STREAM)) seals.push(e.data as SealData);
        expect(seals.map((s) => s.treeSize)).toEqual([first!.treeSize, second!.treeSize, third!.treeSize, ...(fourth ? [fourth.treeSize] : [])]);
        for (let i = 1; i < seals.length; i++) expect(seals[i].previousSeal).toEqual({ treeSize: seals[i - 1].treeSize, rootHash: seals[i - 1].rootHash });
        expect(new Set(seals.map((s) => s.treeSize)).size).toBe(seals.length);
        await a.close();
        await b.close();
      } finally {
        await store.close();
        await Promise.all(pools.map((p) => p.close()));
        for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
        await fresh.drop();
      }
    });
  });

  it('the relay checkpoint: shared, per topic, never moves back', async () => {
    const [a, b] = [new PostgresRelayCheckpoint(shared()), new PostgresRelayCheckpoint(shared())];
    expect(await a.load('t1')).toBe(0);
    await a.save('t1', 500);
    await b.save('t1', 300); // a stale holder's late save
    expect(await b.load('t1')).toBe(500);
    await b.save('t1', 900);
    expect(await a.load('t1')).toBe(900);
    expect(await a.load('t2')).toBe(0);
  });

  it('the webhook checkpoints: shared, started once, never moved back, failures counted', async () => {
    const [a, b] = [new PostgresDeliveryState(shared()), new PostgresDeliveryState(shared())];
    expect(await a.get('sub-1')).toBeUndefined();
    expect(await a.start('sub-1', 40)).toEqual({ subscriptionId: 'sub-1', position: 40, delivered: 0, failedAttempts: 0, consecutiveFailures: 0 });
    expect((await b.start('sub-1', 99)).position).toBe(40);
    const at = new Date('2026-12-01T10:00:00.000Z');
    await b.failed('sub-1', 'HTTP 500', at, new Date(at.getTime() + 500));
    await a.failed('sub-1', 'HTTP 502', at, new Date(at.getTime() + 1000));
    expect(await b.get('sub-1')).toMatchObject({ failedAttempts: 2, consecutiveFailures: 2, lastError: 'HTTP 502', nextAttemptAt: '2026-12-01T10:00:01.000Z' });
    await a.delivered('sub-1', 60, 3, at);
    await b.delivered('sub-1', 50, 0, at); // behind: ignored for the position
    expect(await b.get('sub-1')).toEqual({
      subscriptionId: 'sub-1',
      position: 60,
      delivered: 3,
      failedAttempts: 2,
      consecutiveFailures: 0,
      lastDeliveredAt: at.toISOString(),
      lastAttemptAt: at.toISOString(),
    });
  });
});
