import { resolve } from 'node:path';
import type { SynchronousMode } from './event-store/sqlite/sqlite-event-store';

/** Every setting the service reads, from the environment, with its default. Documented in the README. */
export interface LedgerConfig {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly store: 'sqlite' | 'kurrentdb';
  readonly sqliteSynchronous: SynchronousMode;
  readonly kurrentdbConnectionString?: string;
  /** Largest accepted request body. */
  readonly bodyLimitBytes: number;
  /** How long a command waits for the read models to reach its own write before answering. */
  readonly readYourWritesTimeoutMs: number;
}

function integer(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new Error(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

export function loadConfig(): LedgerConfig {
  const store = oneOf('LEDGER_STORE', ['sqlite', 'kurrentdb'] as const, 'sqlite');
  const kurrentdbConnectionString = process.env.KURRENTDB_CONNECTION_STRING || undefined;
  if (store === 'kurrentdb' && !kurrentdbConnectionString) {
    throw new Error('LEDGER_STORE=kurrentdb needs KURRENTDB_CONNECTION_STRING');
  }
  return {
    port: integer('PORT', 3000, 0, 65535),
    host: process.env.HOST || '0.0.0.0',
    dataDir: resolve(process.env.LEDGER_DATA_DIR || './data'),
    store,
    sqliteSynchronous: oneOf('LEDGER_SQLITE_SYNCHRONOUS', ['FULL', 'EXTRA', 'NORMAL'] as const, 'FULL'),
    kurrentdbConnectionString,
    bodyLimitBytes: integer('LEDGER_BODY_LIMIT_BYTES', 64 * 1024, 1024, 16 * 1024 * 1024),
    readYourWritesTimeoutMs: integer('LEDGER_READ_WAIT_MS', 2000, 0, 60_000),
  };
}
