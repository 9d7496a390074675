import { randomBytes } from 'node:crypto';
import type { Pool, PoolClient, QueryResultRow } from 'pg';
import type { LedgerConfig } from '../config';

/** The key-encryption key of the configuration (key-wrap.ts's KeyEncryptionKey), named without importing a module. */
export type Kek = NonNullable<LedgerConfig['kek']>;

/** `pg_advisory_*` keys: the namespace of postgres-schema.ts ("LEDG"), then what is locked. */
export const ADVISORY_NAMESPACE = 0x4c454447;
export const SHARED_SCHEMA_LOCK = 2;
export const SINGLETON_LEASE_LOCK = 3;

/**
 * What several instances on one log share, beside the log: the seal signing keys and the
 * signer's record, the relay and webhook checkpoints, and keys such as the webhook signing key.
 * Every table is created here, once, in one transaction under an advisory lock, so instances
 * starting together never race on the catalogue. Positions in these tables only move forward
 * (each upsert keeps the greater one). bigint columns come back as strings (pg's default, left
 * alone for the event store in the same process): readers convert them with Number().
 */
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS ledger_seal_keys (
    key_id text PRIMARY KEY, wrapped_private bytea NOT NULL, public_pem text NOT NULL, created_at text NOT NULL,
    status text NOT NULL CHECK (status IN ('current', 'retired', 'pending')));
  CREATE UNIQUE INDEX IF NOT EXISTS ledger_seal_keys_one_current ON ledger_seal_keys ((true)) WHERE status = 'current';
  CREATE TABLE IF NOT EXISTS ledger_seal_trusted_keys (key_id text PRIMARY KEY, public_pem text NOT NULL, added_at text NOT NULL);
  CREATE TABLE IF NOT EXISTS ledger_seal_signed (
    id integer PRIMARY KEY CHECK (id = 1), tree_size bigint NOT NULL, root_hash text NOT NULL, last_position bigint NOT NULL,
    sealed_at text NOT NULL, clean_shutdown boolean NOT NULL);
  CREATE TABLE IF NOT EXISTS ledger_relay_checkpoints (topic text PRIMARY KEY, position bigint NOT NULL CHECK (position >= 0), updated_at text NOT NULL);
  CREATE TABLE IF NOT EXISTS ledger_webhook_deliveries (
    subscription_id text PRIMARY KEY, position bigint NOT NULL CHECK (position >= 0),
    delivered bigint NOT NULL DEFAULT 0, failed_attempts bigint NOT NULL DEFAULT 0, consecutive_failures bigint NOT NULL DEFAULT 0,
    last_delivered_at text, last_attempt_at text, last_error text, next_attempt_at text);
  CREATE TABLE IF NOT EXISTS ledger_shared_keys (name text PRIMARY KEY, wrapped bytea NOT NULL, kek_id text NOT NULL, created_at text NOT NULL);
`;

export const SHARED_TABLES = [
  'ledger_seal_keys',
  'ledger_seal_trusted_keys',
  'ledger_seal_signed',
  'ledger_relay_checkpoints',
  'ledger_webhook_deliveries',
  'ledger_shared_keys',
] as const;

/**
 * One pool on the PostgreSQL of `config.sharedStateUrl`, for the shared state above. `pg` is
 * loaded only when it is used (as the PostgreSQL event store does): the SQLite default never
 * loads it.
 */
export class SharedPostgres {
  private readonly pool: Pool;
  private schema?: Promise<void>;

  constructor(readonly url: string) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Pool: PgPool } = require('pg') as typeof import('pg');
    this.pool = new PgPool({ connectionString: url, max: 4, application_name: 'mutual-aid-ledger-shared', connectionTimeoutMillis: 10_000 });
    // An idle connection the server closed: the next query opens another.
    this.pool.on('error', () => undefined);
  }

  /**
   * Creates the tables if need be; safe from several processes at once. Tables that all exist
   * already are left alone, so a role without CREATE (README, "Several service instances") starts.
   */
  ready(): Promise<void> {
    if (!this.schema) {
      const attempt = (async () => {
        const { rows } = await this.pool.query<{ present: number }>('SELECT count(*)::int AS present FROM unnest($1::text[]) AS t(name) WHERE to_regclass(t.name) IS NOT NULL', [
          SHARED_TABLES,
        ]);
        if (rows[0].present === SHARED_TABLES.length) return;
        await this.transaction(async (client) => {
          await client.query('SELECT pg_advisory_xact_lock($1, $2)', [ADVISORY_NAMESPACE, SHARED_SCHEMA_LOCK]);
          await client.query(SCHEMA);
        });
      })();
      this.schema = attempt;
      attempt.catch(() => {
        if (this.schema === attempt) this.schema = undefined;
      });
    }
    return this.schema;
  }

  async query<R extends QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
    await this.ready();
    return (await this.pool.query<R>(text, values)).rows;
  }

  async transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /**
   * A key every instance shares (the webhook signing key), made on first use from `initial` or
   * 32 random bytes, wrapped under the KEK and bound to its name; two instances making it at once
   * keep the first.
   */
  async sharedKey(name: string, kek: Kek, initial?: () => Buffer): Promise<Buffer> {
    const context = `secret:${name}`;
    await this.query('INSERT INTO ledger_shared_keys (name, wrapped, kek_id, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO NOTHING', [
      name,
      kek.wrap(initial?.() ?? randomBytes(32), context),
      kek.id,
      new Date().toISOString(),
    ]);
    const [row] = await this.query<{ wrapped: Buffer; kek_id: string }>('SELECT wrapped, kek_id FROM ledger_shared_keys WHERE name = $1', [name]);
    if (row.kek_id !== kek.id) {
      throw new Error(`the shared key ${name} is wrapped under key-encryption key ${row.kek_id}, not ${kek.id}: give every instance the same LEDGER_KEK`);
    }
    return kek.unwrap(row.wrapped, context);
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }
}

/** The shared state of a configuration: a SharedPostgres when several instances share one log, none on the SQLite default. */
export class SharedState {
  constructor(readonly postgres?: SharedPostgres) {}

  static open(config: LedgerConfig): SharedState {
    return new SharedState(config.sharedStateUrl ? new SharedPostgres(config.sharedStateUrl) : undefined);
  }

  /** The KEK secrets are wrapped under; the service never runs without it. */
  static kekOf(config: LedgerConfig): Kek {
    if (!config.kek) throw new Error(config.kekProblem ?? 'no key-encryption key: set LEDGER_KEK or LEDGER_KEK_FILE');
    return config.kek;
  }

  async close(): Promise<void> {
    await this.postgres?.close();
  }
}
