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
  // `.ci/run` sets the prefix to its own database's name, and drops every database with it on exit.
  const prefix = (process.env.LEDGER_POSTGRES_TEST_PREFIX || 'ledger').replace(/[^a-z0-9_]/g, '_').slice(0, 40);
  const name = `${prefix}_${label.replace(/[^a-z0-9_]/g, '_')}_${randomBytes(4).toString('hex')}`;
  await admin(POSTGRES_URL, `CREATE DATABASE "${name}"`);
  return {
    name,
    url: withDatabase(POSTGRES_URL, name),
    drop: async () => {
      // A pool may reconnect between FORCE's termination and the drop: try again a few times.
      for (let attempt = 1; ; attempt++) {
        try {
          await admin(POSTGRES_URL!, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
          return;
        } catch (error) {
          if (attempt >= 5) throw error;
          await new Promise((r) => setTimeout(r, 200 * attempt));
        }
      }
    },
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
