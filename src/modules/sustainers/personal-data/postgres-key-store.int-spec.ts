import { Client } from 'pg';
import { POSTGRES_URL, TestDatabase, createTestDatabase } from '../../../../test/support/postgres';
import { PostgresSustainerKeyStore } from './postgres-key-store';

/** Two instances' key stores on one PostgreSQL, when LEDGER_POSTGRES_URL is set; skipped otherwise. */
const suite = POSTGRES_URL ? describe : describe.skip;

suite('PostgresSustainerKeyStore (LEDGER_POSTGRES_URL)', () => {
  let database: TestDatabase;
  let a: PostgresSustainerKeyStore;
  let b: PostgresSustainerKeyStore;

  beforeAll(async () => {
    database = await createTestDatabase('keys');
    [a, b] = [new PostgresSustainerKeyStore(database.url), new PostgresSustainerKeyStore(database.url)];
  });

  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await database?.drop();
  });

  it('two instances starting at once share one pepper: the same body gets the same fingerprint on both', async () => {
    const [fa, fb] = await Promise.all([a.pepperedFingerprint('body-sha'), b.pepperedFingerprint('body-sha')]);
    expect(fa).toBe(fb);
    expect(fa).toMatch(/^[0-9a-f]{64}$/);
    expect(fa).not.toBe(await a.pepperedFingerprint('other-body'));
  });

  it('a key created on one instance is found on the other, and erased there for both', async () => {
    const key = await a.create('sustainer-1');
    expect(key).toHaveLength(32);
    expect(await b.find('sustainer-1')).toEqual(key);
    await b.destroy('sustainer-1');
    expect(await a.find('sustainer-1')).toBeUndefined();
    expect(await b.find('sustainer-1')).toBeUndefined();
    await expect(b.destroy('sustainer-1')).resolves.toBeUndefined();
  });

  it('refuses a second key for one sustainer', async () => {
    await a.create('sustainer-2');
    await expect(b.create('sustainer-2')).rejects.toThrow(/duplicate key/);
  });

  it('vacuums the table when a key is destroyed, so the row leaves its pages', async () => {
    await a.create('sustainer-3');
    await a.destroy('sustainer-3');
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      // VACUUM records itself in the statistics as it ends (not on a later flush).
      const { rows } = await client.query<{ vacuumed: boolean }>(
        "SELECT last_vacuum IS NOT NULL AS vacuumed FROM pg_stat_user_tables WHERE relname = 'ledger_sustainer_keys'",
      );
      expect(rows[0].vacuumed).toBe(true);
    } finally {
      await client.end();
    }
  });
});
