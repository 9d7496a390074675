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
  /** Kafka bootstrap brokers (`host:port`); the relay runs only when they are set. */
  readonly kafkaBrokers?: readonly string[];
  /** The topic every event is published to, keyed by stream id; DEFAULT_KAFKA_TOPIC when absent. */
  readonly kafkaTopic?: string;
  /** DEFAULT_KAFKA_CLIENT_ID when absent. */
  readonly kafkaClientId?: string;
  /** Largest accepted request body. */
  readonly bodyLimitBytes: number;
  /** How long a command waits for the read models to reach its own write before answering. */
  readonly readYourWritesTimeoutMs: number;
  /** A transfer not approved within this time expires and its hold is released. */
  readonly transferTtlMs: number;
  /** How often pending transfers are checked for expiry. */
  readonly expirySweepMs: number;
  /** First month (1-12) of the fiscal year. */
  readonly fiscalYearStartMonth: number;
  /** Funds opened on first start of an empty ledger; `none` opens none. */
  readonly seedFunds: 'default' | 'none' | string;
  /** Currency of the seeded funds. */
  readonly seedCurrency: string;
  /** A pledge with this many instalments due since the last gift, and arrears, is lapsed; DEFAULT_PLEDGE_LAPSE_INSTALMENTS when absent. */
  readonly pledgeLapseInstalments?: number;
  /** The organisation named on donors' acknowledgements; DEFAULT_ORGANISATION_NAME when absent. */
  readonly organisationName?: string;
}

export const DEFAULT_PLEDGE_LAPSE_INSTALMENTS = 3;
export const DEFAULT_ORGANISATION_NAME = 'Mutual Aid Network';

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

export const DEFAULT_KAFKA_TOPIC = 'ledger.events';
export const DEFAULT_KAFKA_CLIENT_ID = 'mutual-aid-ledger';

/** A comma-separated list of `host:port`, or undefined when unset. */
function brokers(name: string): string[] | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const list = raw.split(',').map((s) => s.trim()).filter(Boolean);
  for (const broker of list) {
    if (!/^[A-Za-z0-9.\-]+:\d{1,5}$/.test(broker) && !/^\[[0-9A-Fa-f:]+\]:\d{1,5}$/.test(broker)) {
      throw new Error(`${name} must be a comma-separated list of host:port, got "${raw}"`);
    }
  }
  if (list.length > 100) throw new Error(`${name} lists more than 100 brokers`);
  return list;
}

/** A Kafka topic or client id: Kafka's legal characters, bounded length. */
function kafkaName(name: string, fallback: string): string {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^[A-Za-z0-9._-]{1,249}$/.test(raw) || raw === '.' || raw === '..') {
    throw new Error(`${name} must be 1 to 249 of A-Z a-z 0-9 . _ -, got "${raw}"`);
  }
  return raw;
}

/** A printable name of at most 200 characters. */
function organisation(name: string): string {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return DEFAULT_ORGANISATION_NAME;
  if (raw.length > 200 || /[\u0000-\u001f]/.test(raw)) throw new Error(`${name} must be a printable name of at most 200 characters`);
  return raw.trim();
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
    kafkaBrokers: brokers('KAFKA_BROKERS'),
    kafkaTopic: kafkaName('KAFKA_TOPIC', DEFAULT_KAFKA_TOPIC),
    kafkaClientId: kafkaName('KAFKA_CLIENT_ID', DEFAULT_KAFKA_CLIENT_ID),
    bodyLimitBytes: integer('LEDGER_BODY_LIMIT_BYTES', 64 * 1024, 1024, 16 * 1024 * 1024),
    readYourWritesTimeoutMs: integer('LEDGER_READ_WAIT_MS', 2000, 0, 60_000),
    transferTtlMs: integer('LEDGER_TRANSFER_TTL_HOURS', 72, 1, 24 * 365) * 3_600_000,
    expirySweepMs: integer('LEDGER_EXPIRY_SWEEP_SECONDS', 60, 1, 86_400) * 1000,
    fiscalYearStartMonth: integer('LEDGER_FISCAL_YEAR_START_MONTH', 1, 1, 12),
    seedFunds: process.env.LEDGER_SEED_FUNDS || 'default',
    seedCurrency: process.env.LEDGER_SEED_CURRENCY || 'USD',
    pledgeLapseInstalments: integer('LEDGER_PLEDGE_LAPSE_INSTALMENTS', DEFAULT_PLEDGE_LAPSE_INSTALMENTS, 1, 120),
    organisationName: organisation('LEDGER_ORGANISATION_NAME'),
  };
}
