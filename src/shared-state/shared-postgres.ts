import { randomBytes } from 'node:crypto';
import type { Pool, PoolClient, QueryResultRow } from 'pg';
import type { LedgerConfig } from '../config';
import { asPostgresFault } from '../event-store/postgres/postgres-faults';

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

const sharedKeyContext = (name: string): string => `secret:${name}`;

/** A shared key wrapped under another KEK than this instance's: the operator's to fix (every instance the same LEDGER_KEK, or restart after rotate-kek). */
export class SharedKeyMismatchError extends Error {
  constructor(name: string, stored: string, given: string) {
    super(`the shared key ${name} is wrapped under key-encryption key ${stored}, not ${given}: give every instance the same LEDGER_KEK`);
    this.name = 'SharedKeyMismatchError';
  }
}

/**
 * `ledger rotate-kek`'s part here: every shared key rewrapped from `from` to `to`, in the caller's
 * transaction (with the other wrapped tables, all or nothing). Returns how many.
 */
export async function rewrapSharedKeys(client: PoolClient, from: Kek, to: Kek): Promise<number> {
  if (!(await tableExists(client, 'ledger_shared_keys'))) return 0;
  const { rows } = await client.query<{ name: string; wrapped: Buffer; kek_id: string }>('SELECT name, wrapped, kek_id FROM ledger_shared_keys FOR UPDATE');
  for (const row of rows) {
    if (row.kek_id !== from.id) throw new Error(`the shared key ${row.name} is wrapped under key-encryption key ${row.kek_id}, not under the current key given (${from.id})`);
    const context = sharedKeyContext(row.name);
    await client.query('UPDATE ledger_shared_keys SET wrapped = $2, kek_id = $3 WHERE name = $1', [row.name, to.wrap(from.unwrap(row.wrapped, context), context), to.id]);
  }
  return rows.length;
}

export async function tableExists(client: PoolClient, table: string): Promise<boolean> {
  return (await client.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [table])).rows[0].present;
}

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
      const attempt = this.ensureTables(SHARED_TABLES, SCHEMA);
      this.schema = attempt;
      attempt.catch(() => {
        if (this.schema === attempt) this.schema = undefined;
      });
    }
    return this.schema;
  }

  /**
   * Runs `ddl` (CREATE … IF NOT EXISTS) unless every one of `tables` exists already, in one
   * transaction under the schema's advisory lock: safe from several processes at once, and a role
   * without CREATE starts on tables its owner made.
   */
  async ensureTables(tables: readonly string[], ddl: string): Promise<void> {
    const { rows } = await this.pool.query<{ present: number }>('SELECT count(*)::int AS present FROM unnest($1::text[]) AS t(name) WHERE to_regclass(t.name) IS NOT NULL', [tables]);
    if (rows[0].present === tables.length) return;
    await this.transaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1, $2)', [ADVISORY_NAMESPACE, SHARED_SCHEMA_LOCK]);
      await client.query(ddl);
    });
  }

  async query<R extends QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
    return (await this.execute<R>(text, values)).rows;
  }

  /**
   * A statement's rows and how many rows it inserted, updated or deleted. A server or connection
   * failure (or no connection free in time) is a StoreUnavailableError: 503, never 500.
   */
  async execute<R extends QueryResultRow>(text: string, values: unknown[] = []): Promise<{ rows: R[]; rowCount: number }> {
    try {
      await this.ready();
      const result = await this.pool.query<R>(text, values);
      return { rows: result.rows, rowCount: result.rowCount ?? 0 };
    } catch (error) {
      throw asPostgresFault(error);
    }
  }

  async transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect().catch((error: unknown) => {
      throw asPostgresFault(error);
    });
    let failed = false;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      failed = true;
      await client.query('ROLLBACK').catch(() => undefined);
      throw asPostgresFault(error);
    } finally {
      // A connection that failed mid-transaction is discarded, not handed to the next caller.
      client.release(failed);
    }
  }

  /**
   * A key every instance shares (the webhook signing key), made on first use from `initial` or
   * 32 random bytes, wrapped under the KEK and bound to its name; two instances making it at once
   * keep the first.
   */
  async sharedKey(name: string, kek: Kek, initial?: () => Buffer): Promise<Buffer> {
    const context = sharedKeyContext(name);
    await this.query('INSERT INTO ledger_shared_keys (name, wrapped, kek_id, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO NOTHING', [
      name,
      kek.wrap(initial?.() ?? randomBytes(32), context),
      kek.id,
      new Date().toISOString(),
    ]);
    const [row] = await this.query<{ wrapped: Buffer; kek_id: string }>('SELECT wrapped, kek_id FROM ledger_shared_keys WHERE name = $1', [name]);
    if (row.kek_id !== kek.id) throw new SharedKeyMismatchError(name, row.kek_id, kek.id);
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
