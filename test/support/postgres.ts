import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/**
 * The PostgreSQL the PostgreSQL suites run against (`.ci/run` sets it to a database it creates on
 * the machine's server); unset, those suites are skipped and test/global-setup.ts says so.
 */
export const POSTGRES_URL = process.env.LEDGER_POSTGRES_URL || undefined;

export interface TestDatabase {
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
}

/** The URL with another database name (same server, user and options). */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * A fresh, empty database on the server of LEDGER_POSTGRES_URL, for a suite that needs an empty
 * log (a new ledger seeds its funds); dropped (with any connection left to it) by `drop`.
 */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  if (!POSTGRES_URL) throw new Error('LEDGER_POSTGRES_URL is not set');
  const name = `ledger_${label.replace(/[^a-z0-9_]/g, '_')}_${randomBytes(4).toString('hex')}`;
  await admin(POSTGRES_URL, `CREATE DATABASE "${name}"`);
  return {
    name,
    url: withDatabase(POSTGRES_URL, name),
    drop: () => admin(POSTGRES_URL!, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

export async function admin(url: string, sql: string, values: unknown[] = []): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql, values);
  } finally {
    await client.end();
  }
}
