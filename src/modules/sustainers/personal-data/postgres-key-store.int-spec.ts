import { Client } from 'pg';
import { POSTGRES_URL, TestDatabase, createTestDatabase } from '../../../../test/support/postgres';
import { StoreUnavailableError } from '../../../event-store/store-unavailable';
import { KeyEncryptionKey, KekError } from './key-wrap';
import { rotateSharedKek } from '../../../composition';
import { SharedPostgres } from '../../../shared-state/shared-postgres';
import { PostgresSustainerKeyStore } from './postgres-key-store';

/** Two instances' key stores on one PostgreSQL, when LEDGER_POSTGRES_URL is set; skipped otherwise. */
const suite = POSTGRES_URL ? describe : describe.skip;

suite('PostgresSustainerKeyStore (LEDGER_POSTGRES_URL)', () => {
  const kek = KeyEncryptionKey.fromText(KeyEncryptionKey.generateText());
  let database: TestDatabase;
  let a: PostgresSustainerKeyStore;
  let b: PostgresSustainerKeyStore;
  const opened: PostgresSustainerKeyStore[] = [];
  const store = (key = kek) => {
    const made = new PostgresSustainerKeyStore(new SharedPostgres(database.url), key, true);
    opened.push(made);
    return made;
  };
  const sql = async <R extends object>(text: string, values: unknown[] = []): Promise<R[]> => {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      return (await client.query<R>(text, values)).rows;
    } finally {
      await client.end();
    }
  };
  const one = async (s: PostgresSustainerKeyStore, id: string) => (await s.findMany([id])).get(id);

  beforeAll(async () => {
    database = await createTestDatabase('keys');
    [a, b] = [store(), store()];
  });

  afterAll(async () => {
    await Promise.all(opened.map((s) => s.close()));
    await database?.drop();
  });

  it('two instances starting at once share one pepper: the same body gets the same fingerprint on both', async () => {
    await Promise.all([a.open(), b.open()]);
    const [fa, fb] = await Promise.all([a.pepperedFingerprint('body-sha'), b.pepperedFingerprint('body-sha')]);
    expect(fa).toBe(fb);
    expect(fa).toMatch(/^[0-9a-f]{64}$/);
    expect(fa).not.toBe(await a.pepperedFingerprint('other-body'));
  });

  it('a key created on one instance is found on the other, and erased there for both', async () => {
    const key = await a.create('sustainer-1');
    expect(key).toHaveLength(32);
    expect(await one(b, 'sustainer-1')).toEqual(key);
    await b.destroy('sustainer-1');
    expect(await one(a, 'sustainer-1')).toBeUndefined();
    expect(await one(b, 'sustainer-1')).toBeUndefined();
    await expect(b.destroy('sustainer-1')).resolves.toBeUndefined();
  });

  it('finds the keys of a page in one read, leaving out those without one', async () => {
    const [k1, k2] = [await a.create('page-1'), await a.create('page-2')];
    const found = await b.findMany(['page-1', 'page-2', 'page-1', 'never-registered']);
    expect([...found.keys()].sort()).toEqual(['page-1', 'page-2']);
    expect(found.get('page-1')).toEqual(k1);
    expect(found.get('page-2')).toEqual(k2);
    expect((await b.findMany([])).size).toBe(0);
  });

  it('refuses a second key for one sustainer', async () => {
    await a.create('sustainer-2');
    await expect(b.create('sustainer-2')).rejects.toThrow(/duplicate key/);
  });

  it('stores every key and the pepper wrapped under the KEK: the table holds no key in clear', async () => {
    await a.pepperedFingerprint('x');
    const [pepper] = await sql<{ wrapped: Buffer; kek_id: string }>("SELECT wrapped, kek_id FROM ledger_shared_keys WHERE name = 'fingerprint-pepper'");
    expect(pepper.kek_id).toBe(kek.id);
    expect(pepper.wrapped.length).toBeGreaterThan(32);
    const key = await a.create('wrapped-1');
    const [row] = await sql<{ data_key: Buffer }>("SELECT data_key FROM ledger_sustainer_keys WHERE sustainer_id = 'wrapped-1'");
    expect(row.data_key.equals(key)).toBe(false);
    expect(row.data_key.includes(key)).toBe(false);
    expect(row.data_key.length).toBeGreaterThan(key.length);
    const [meta] = await sql<{ value: string }>("SELECT value FROM ledger_key_meta WHERE name = 'kek_id'");
    expect(meta.value).toBe(kek.id);
  });

  it('refuses to open under another KEK, and a tampered key is a 503 fault, not a 500', async () => {
    const other = store(KeyEncryptionKey.fromText(KeyEncryptionKey.generateText()));
    await expect(other.open()).rejects.toBeInstanceOf(KekError);
    await expect(other.findMany(['sustainer-2'])).rejects.toMatchObject({ name: 'StoreUnavailableError', kind: 'KEK_MISMATCH' });
    await a.create('tampered-1');
    await sql("UPDATE ledger_sustainer_keys SET data_key = decode('00', 'hex') || data_key WHERE sustainer_id = 'tampered-1'");
    await expect(b.findMany(['tampered-1'])).rejects.toMatchObject({ name: 'StoreUnavailableError', kind: 'KEY_UNWRAP' });
    await b.destroy('tampered-1');
  });

  it('rewraps every key and secret under a new KEK in one transaction; instances on the old one answer 503 until restarted', async () => {
    const key = await a.create('rotated-1');
    const fingerprint = await a.pepperedFingerprint('body');
    const next = KeyEncryptionKey.fromText(KeyEncryptionKey.generateText());
    const stranger = KeyEncryptionKey.fromText(KeyEncryptionKey.generateText());
    await expect(rotateSharedKek(database.url, stranger, next)).rejects.toThrow(/not under the current key given/);
    const count = await rotateSharedKek(database.url, kek, next);
    expect(count.sustainerKeys).toBeGreaterThanOrEqual(1);
    expect(count.sharedKeys).toBe(1); // the pepper
    await expect(rotateSharedKek(database.url, kek, next)).rejects.toThrow(/already wrapped under/);
    // A running instance still holding the old KEK: it may not add keys under it, nor open rewrapped ones.
    await expect(a.create('after-rotation')).rejects.toMatchObject({ kind: 'KEYS_REWRAPPED' });
    await expect(a.findMany(['rotated-1'])).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(await sql("SELECT 1 FROM ledger_sustainer_keys WHERE sustainer_id = 'after-rotation'")).toHaveLength(0);
    // Restarted with the new KEK: the same keys, the same pepper.
    const restarted = store(next);
    expect(await one(restarted, 'rotated-1')).toEqual(key);
    expect(await restarted.pepperedFingerprint('body')).toBe(fingerprint);
    await expect(store(kek).open()).rejects.toBeInstanceOf(KekError);
  });

  it('rewrites the table when a key is destroyed, so the deleted row leaves its file', async () => {
    const isolated = await createTestDatabase('keys-vacuum');
    try {
      const s = new PostgresSustainerKeyStore(new SharedPostgres(isolated.url), KeyEncryptionKey.fromText(KeyEncryptionKey.generateText()), true);
      await s.create('sustainer-3');
      const client = new Client({ connectionString: isolated.url });
      await client.connect();
      const fileOf = async () => (await client.query<{ node: string }>("SELECT pg_relation_filenode('ledger_sustainer_keys') AS node")).rows[0].node;
      const before = await fileOf();
      await s.destroy('sustainer-3');
      expect(await fileOf()).not.toBe(before);
      // Erasing again rewrites again: it repairs an erasure whose rewrite failed after its delete.
      const after = await fileOf();
      await s.destroy('sustainer-3');
      expect(await fileOf()).not.toBe(after);
      await client.end();
      await s.close();
    } finally {
      await isolated.drop();
    }
  });

  it('a key created while a rotation runs waits for it, then is refused (503), never left under the old KEK', async () => {
    const fresh = await createTestDatabase('keys-race');
    const client = new Client({ connectionString: fresh.url });
    const s = new PostgresSustainerKeyStore(new SharedPostgres(fresh.url), kek, true);
    try {
      await s.open();
      await client.connect();
      // What a rotation holds from its start to its commit.
      await client.query('BEGIN');
      await client.query("SELECT value FROM ledger_key_meta WHERE name = 'kek_id' FOR UPDATE");
      let settled = false;
      const during = s.create('during-rotation').finally(() => (settled = true));
      during.catch(() => undefined);
      await new Promise((r) => setTimeout(r, 300));
      expect(settled).toBe(false);
      await client.query("UPDATE ledger_key_meta SET value = 'another-kek-id' WHERE name = 'kek_id'");
      await client.query('COMMIT');
      await expect(during).rejects.toMatchObject({ name: 'StoreUnavailableError', kind: 'KEYS_REWRAPPED' });
      expect((await client.query("SELECT 1 FROM ledger_sustainer_keys WHERE sustainer_id = 'during-rotation'")).rows).toHaveLength(0);
    } finally {
      await client.end().catch(() => undefined);
      await s.close();
      await fresh.drop();
    }
  });

  it('refuses a role that does not own the key table (its erasures could not rewrite it), and answers a pepper under another KEK with 503', async () => {
    const isolated = await createTestDatabase('keys-role');
    const role = `ledger_keys_${Date.now()}`;
    const admin = new Client({ connectionString: isolated.url });
    await admin.connect();
    const owner = new PostgresSustainerKeyStore(new SharedPostgres(isolated.url), kek, true);
    let restricted: PostgresSustainerKeyStore | undefined;
    try {
      await owner.pepperedFingerprint('x');
      await admin.query(`CREATE ROLE ${role} LOGIN`);
      await admin.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`);
      const url = new URL(isolated.url);
      url.username = role;
      restricted = new PostgresSustainerKeyStore(new SharedPostgres(url.toString()), kek, true);
      await expect(restricted.open()).rejects.toThrow(/does not own ledger_sustainer_keys/);
      await expect(restricted.findMany(['x'])).rejects.toMatchObject({ kind: 'KEY_STORE_MISCONFIGURED' });
      // The pepper exists under `kek`: an instance given another KEK is answered 503, not 500.
      const other = new PostgresSustainerKeyStore(new SharedPostgres(isolated.url), KeyEncryptionKey.fromText(KeyEncryptionKey.generateText()), true);
      await expect(other.pepperedFingerprint('x')).rejects.toMatchObject({ name: 'StoreUnavailableError' });
      await other.close();
    } finally {
      await restricted?.close();
      await owner.close();
      await admin.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${role}`).catch(() => undefined);
      await admin.end();
      await isolated.drop();
      const server = new Client({ connectionString: database.url });
      await server.connect();
      await server.query(`DROP ROLE IF EXISTS ${role}`).catch(() => undefined);
      await server.end();
    }
  });

  it('removes an orphan key (a registration not written) without rewriting the table', async () => {
    const isolated = await createTestDatabase('keys-orphan');
    try {
      const s = new PostgresSustainerKeyStore(new SharedPostgres(isolated.url), kek, true);
      await s.create('orphan-1');
      const client = new Client({ connectionString: isolated.url });
      await client.connect();
      const fileOf = async () => (await client.query<{ node: string }>("SELECT pg_relation_filenode('ledger_sustainer_keys') AS node")).rows[0].node;
      const before = await fileOf();
      await s.destroy('orphan-1', { scrub: false });
      expect(await fileOf()).toBe(before);
      expect((await s.findMany(['orphan-1'])).size).toBe(0);
      await client.end();
      await s.close();
    } finally {
      await isolated.drop();
    }
  });

  it('answers a server it cannot reach with a 503 fault', async () => {
    const nowhere = new PostgresSustainerKeyStore(new SharedPostgres('postgres://postgres@127.0.0.1:1/none'), kek, true);
    try {
      await expect(nowhere.findMany(['x'])).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(nowhere.create('x')).rejects.toBeInstanceOf(StoreUnavailableError);
    } finally {
      await nowhere.close();
    }
  });
});
