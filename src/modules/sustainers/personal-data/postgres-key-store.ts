import { createHmac, randomBytes } from 'node:crypto';
import { Pool } from 'pg';

/**
 * The sustainer key store in PostgreSQL, shared by every service instance: the operations of the
 * SQLite `SustainerKeyStore` (key-store.ts), asynchronous. With it a sustainer registered on one
 * instance can be opened and erased on any other, and a registration retried on another instance
 * gets the same peppered fingerprint, so its Idempotency-Key is recognised.
 *
 * Not wired yet: the callers use the synchronous SQLite store (see the README, "Running beyond one
 * machine"). Erasure: the row is deleted and the table vacuumed at once, so the key leaves the
 * table's pages; PostgreSQL's WAL, replicas and base backups keep what they were sent until they
 * are recycled, which is the same limit as a SQLite file's backups (README, Limits).
 */
export class PostgresSustainerKeyStore {
  private readonly pool: Pool;
  private ready: Promise<void> | undefined;
  private pepper: Buffer | undefined;

  constructor(connectionString: string) {
    this.pool = new Pool({ connectionString, max: 2, application_name: 'mutual-aid-ledger-keys', connectionTimeoutMillis: 10_000 });
    this.pool.on('error', () => undefined);
  }

  private whenReady(): Promise<void> {
    if (this.ready === undefined) {
      const attempt = this.pool
        .query(
          `CREATE TABLE IF NOT EXISTS ledger_sustainer_keys (sustainer_id text PRIMARY KEY, data_key bytea NOT NULL);
           CREATE TABLE IF NOT EXISTS ledger_secrets (name text PRIMARY KEY, value bytea NOT NULL)`,
        )
        .catch((error: unknown) => {
          // Two instances creating the tables at once: one loses the catalogue race; the tables exist.
          if ((error as { code?: string }).code !== '23505' && (error as { code?: string }).code !== '42P07') throw error;
        })
        .then(() =>
          this.pool.query("INSERT INTO ledger_secrets (name, value) VALUES ('fingerprint-pepper', $1) ON CONFLICT (name) DO NOTHING", [randomBytes(32)]),
        )
        .then(() => undefined);
      this.ready = attempt;
      attempt.catch(() => {
        if (this.ready === attempt) this.ready = undefined;
      });
    }
    return this.ready;
  }

  /** As SustainerKeyStore.pepperedFingerprint, with the one pepper every instance shares. */
  async pepperedFingerprint(fingerprint: string): Promise<string> {
    if (!this.pepper) {
      await this.whenReady();
      const { rows } = await this.pool.query<{ value: Buffer }>("SELECT value FROM ledger_secrets WHERE name = 'fingerprint-pepper'");
      this.pepper = rows[0].value;
    }
    return createHmac('sha256', this.pepper).update(fingerprint).digest('hex');
  }

  /** A fresh random key for a new sustainer, committed before it resolves (before the registration is appended). */
  async create(sustainerId: string): Promise<Buffer> {
    await this.whenReady();
    const key = randomBytes(32);
    await this.pool.query('INSERT INTO ledger_sustainer_keys (sustainer_id, data_key) VALUES ($1, $2)', [sustainerId, key]);
    return key;
  }

  async find(sustainerId: string): Promise<Buffer | undefined> {
    await this.whenReady();
    const { rows } = await this.pool.query<{ data_key: Buffer }>('SELECT data_key FROM ledger_sustainer_keys WHERE sustainer_id = $1', [sustainerId]);
    return rows[0]?.data_key;
  }

  /** Destroys the key on every instance at once; the person's sealed data can never be read again. */
  async destroy(sustainerId: string): Promise<void> {
    await this.whenReady();
    const { rowCount } = await this.pool.query('DELETE FROM ledger_sustainer_keys WHERE sustainer_id = $1', [sustainerId]);
    // The deleted row stays in the table's pages until a vacuum reclaims them: now, not later.
    if ((rowCount ?? 0) > 0) await this.pool.query('VACUUM ledger_sustainer_keys');
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }
}
