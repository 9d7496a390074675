import { accessSync, constants, existsSync, mkdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { isIP } from 'node:net';
import { homedir } from 'node:os';
import { dirname, join, relative, resolve, isAbsolute } from 'node:path';
import type { SynchronousMode } from './event-store/sqlite/sqlite-event-store';
import { Restriction, fundDecider } from './modules/funds/fund/fund.decider';
import { isIsoCurrency } from './shared/money';
import { isCleanText } from './shared/text';
import { KeyEncryptionKey } from './modules/sustainers/personal-data/key-wrap';

/** A setting that cannot be used; the start stops with its message, before any file is created. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Every setting the service reads, from the environment, with its default. Documented in the README. */
export interface LedgerConfig {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly store: 'sqlite' | 'kurrentdb' | 'postgres';
  readonly sqliteSynchronous: SynchronousMode;
  readonly kurrentdbConnectionString?: string;
  /** The PostgreSQL the log lives in with LEDGER_STORE=postgres (`postgres://user@host:5432/db`). */
  readonly postgresUrl?: string;
  /**
   * The PostgreSQL holding what several instances on one log must share: the sustainers' data keys
   * and the service's secrets (wrapped under the KEK), the seal signing key, the relay and webhook
   * checkpoints, and the lease that lets one instance at a time run the singleton duties (sealing,
   * the relay, webhook deliveries). Set whenever the log is not an embedded SQLite file and
   * LEDGER_POSTGRES_URL is given; undefined with the SQLite default, whose files stay in the data directory.
   */
  readonly sharedStateUrl?: string;
  /** With sharedStateUrl: how often an instance without the singleton lease tries to take it (and the holder checks its connection); DEFAULT_LEASE_RETRY_SECONDS when absent. */
  readonly leaseRetrySeconds?: number;
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
  /**
   * A rebuild at start is applied by threads of their own (faster; the service's memory peaks
   * higher meanwhile): `on`, two on the embedded log when the read models built apart are rebuilt
   * too (see ThreadModules.apart), else one; `one`, always one; `off`, on the main thread.
   */
  readonly rebuildThread: 'on' | 'one' | 'off';
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
  /** How often the log is verified in the background; 0 disables it; DEFAULT_VERIFY_INTERVAL_SECONDS when absent. */
  readonly verifyIntervalSeconds?: number;
  /** Readiness fails when the data directory's disk has less free space than this; 0 disables; DEFAULT_MIN_FREE_BYTES when absent. */
  readonly minFreeBytes?: number;
  /** The lowest level written to the JSON log (stdout); `info` when absent. */
  readonly logLevel?: LogLevel;
  /** Origins a browser may call the API from (CORS); none (CORS off) when absent or empty; `*` for any. */
  readonly corsOrigins?: readonly string[];
  /**
   * Reverse proxies whose `X-Forwarded-For` / `-Proto` / `-Host` are believed (addresses, CIDR
   * ranges, or `loopback`, `linklocal`, `uniquelocal`); none (the socket's peer is the client)
   * when absent.
   */
  readonly trustProxy?: readonly string[];
  /** Seal (sign a tree head) at least this often when events are unsealed; 0 or absent: no automatic sealing. */
  readonly sealIntervalSeconds?: number;
  /** Seal as soon as this many events are unsealed; DEFAULT_SEAL_EVERY_EVENTS when absent. */
  readonly sealEveryEvents?: number;
  /**
   * The key-encryption key the data keys in keys.db are wrapped under (LEDGER_KEK, LEDGER_KEK_FILE,
   * or the default KEK file); absent when none was given or it cannot be used, `kekProblem` says why.
   * The service refuses to start without it (requireKek); commands that need no key run without.
   */
  readonly kek?: KeyEncryptionKey;
  /** Where the KEK came from (`LEDGER_KEK`, or the file's path), for messages; never the key. */
  readonly kekSource?: string;
  readonly kekProblem?: string;
  /** Default lifetime of a new API token in days; DEFAULT_TOKEN_TTL_DAYS when absent. */
  readonly tokenTtlDays?: number;
  /** Failed authentications a client IP may make per window before it is answered 429; DEFAULT_AUTH_FAILURE_LIMIT when absent. */
  readonly authFailureLimit?: number;
  /** The window of authFailureLimit, in milliseconds; DEFAULT_AUTH_FAILURE_WINDOW_MS when absent. */
  readonly authFailureWindowMs?: number;
  /** Whether this instance delivers webhooks (set it off on all but one instance); on when absent. */
  readonly webhookDelivery?: boolean;
  /** Webhook requests in flight at once, over all subscribers; 4 when absent. */
  readonly webhookConcurrency?: number;
  /** One webhook request's time limit; 10 s when absent. */
  readonly webhookTimeoutMs?: number;
  /** The longest wait between two attempts of a failed delivery; 300 s when absent. */
  readonly webhookMaxBackoffMs?: number;
  /** The key webhook secrets are derived from; `<dataDir>/webhooks.key` when absent. */
  readonly webhookKeyFile?: string;
  /** The organisation on statements and acknowledgements (PDF); `organisationName` when absent. */
  readonly orgName?: string;
  /** Its postal address, printed on statements and acknowledgements; may span lines. */
  readonly orgAddress?: string;
  /** Its tax id (a US EIN such as 12-3456789), printed on statements and acknowledgements. */
  readonly orgTaxId?: string;
  /** The origin people reach the pages at (`https://ledger.example.org`): sign-in links are built on it, and an https origin makes cookies Secure. */
  readonly publicOrigin?: string;
  /** How long a sign-in link stays valid; DEFAULT_SIGN_IN_LINK_MINUTES when absent. */
  readonly signInLinkMinutes?: number;
  /** How long a page session lasts after sign-in; DEFAULT_SESSION_HOURS when absent. */
  readonly sessionHours?: number;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const DEFAULT_SEAL_INTERVAL_SECONDS = 60;
export const DEFAULT_SEAL_EVERY_EVENTS = 1000;
export const DEFAULT_LEASE_RETRY_SECONDS = 2;

export const DEFAULT_TOKEN_TTL_DAYS = 90;
export const DEFAULT_AUTH_FAILURE_LIMIT = 10;
export const DEFAULT_AUTH_FAILURE_WINDOW_MS = 60_000;

export const DEFAULT_VERIFY_INTERVAL_SECONDS = 3600;
export const DEFAULT_MIN_FREE_BYTES = 64 * 1024 * 1024;

export const DEFAULT_PLEDGE_LAPSE_INSTALMENTS = 3;
export const DEFAULT_SIGN_IN_LINK_MINUTES = 60;
export const DEFAULT_SESSION_HOURS = 12;
export const DEFAULT_ORGANISATION_NAME = 'Mutual Aid Network';

function integer(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
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
      throw new ConfigError(`${name} must be a comma-separated list of host:port, got "${raw}"`);
    }
  }
  if (list.length > 100) throw new ConfigError(`${name} lists more than 100 brokers`);
  return list;
}

/** A Kafka topic or client id: Kafka's legal characters, bounded length. */
function kafkaName(name: string, fallback: string): string {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^[A-Za-z0-9._-]{1,249}$/.test(raw) || raw === '.' || raw === '..') {
    throw new ConfigError(`${name} must be 1 to 249 of A-Z a-z 0-9 . _ -, got "${raw}"`);
  }
  return raw;
}

/** A printable name of at most 200 characters. */
function organisation(name: string): string {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return DEFAULT_ORGANISATION_NAME;
  if (raw.length > 200 || /[\u0000-\u001f]/.test(raw)) throw new ConfigError(`${name} must be a printable name of at most 200 characters`);
  return raw.trim();
}

/**
 * A comma-separated list of web origins (`https://host[:port]`, as a browser sends them in
 * `Origin`), or `*` alone for any origin; undefined (CORS off) when unset or empty.
 */
function origins(name: string): string[] | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const list = raw.split(',').map((s) => s.trim()).filter(Boolean);
  if (list.length === 1 && list[0] === '*') return list;
  if (list.length > 100) throw new ConfigError(`${name} lists more than 100 origins`);
  for (const origin of list) {
    let url: URL | undefined;
    try {
      url = new URL(origin);
    } catch {
      url = undefined;
    }
    // An origin is scheme, host and port only: no path, query, credentials or trailing slash.
    if (!url || !/^https?:$/.test(url.protocol) || url.origin !== origin) {
      throw new ConfigError(`${name} must be * or a comma-separated list of origins such as https://books.example.org, got "${origin}"`);
    }
  }
  return list;
}

const PROXY_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * The reverse proxies to believe: a comma-separated list of IP addresses, CIDR ranges
 * (`10.0.0.0/8`, `fd00::/8`) or the names `loopback`, `linklocal`, `uniquelocal`; undefined when
 * unset or empty. Never "trust everything" or a hop count: a client could then write its own
 * `X-Forwarded-For` and be counted under any address it likes by the authentication throttle.
 */
function trustedProxies(name: string): string[] | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const list = raw.split(',').map((s) => s.trim()).filter(Boolean);
  if (list.length > 100) throw new ConfigError(`${name} lists more than 100 proxies`);
  for (const entry of list) {
    if (PROXY_RANGES.has(entry)) continue;
    const [address, prefix, extra] = entry.split('/');
    const family = isIP(address);
    const bits = family === 4 ? 32 : 128;
    const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits);
    if (family === 0 || !prefixOk || extra !== undefined) {
      throw new ConfigError(`${name} must be a comma-separated list of proxy addresses, CIDR ranges or loopback, linklocal, uniquelocal, got "${entry}"`);
    }
  }
  return list;
}

/** Printable text of at most `max` characters (lines allowed when `lines`), or undefined when unset. */
function optionalText(name: string, max: number, lines = false): string | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const bad = lines ? /[\u0000-\u0009\u000b-\u001f\u007f]/ : /[\u0000-\u001f\u007f]/;
  if (raw.length > max || bad.test(raw)) throw new ConfigError(`${name} must be printable text of at most ${max} characters${lines ? ' (lines allowed)' : ''}`);
  return raw.trim();
}

/** An http(s) origin without path, query or trailing slash. */
function origin(name: string): string | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be an origin such as https://ledger.example.org, got "${raw}"`);
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.origin !== raw.replace(/\/$/, '') || url.username || url.password) {
    throw new ConfigError(`${name} must be an origin such as https://ledger.example.org (scheme, host, optional port; no path), got "${raw}"`);
  }
  return url.origin;
}

/** An IP address or a host name (RFC 1123 labels). */
function host(name: string): string {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return '0.0.0.0';
  const hostname = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
  if (isIP(raw) === 0 && !hostname.test(raw)) throw new ConfigError(`${name} must be an IP address or a host name, got "${raw}"`);
  return raw;
}

/** A path without control characters; resolved against the working directory. */
function path(name: string, fallback: string): string {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return resolve(fallback);
  if (/[\u0000-\u001f]/.test(raw) || raw.length > 4096) throw new ConfigError(`${name} must be a path without control characters`);
  return resolve(raw);
}

/** A KurrentDB connection string: its scheme, then at least one host. */
function kurrentdbConnection(name: string): string | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  if (!/^(esdb|kurrentdb|kurrent|kdb)(\+discover)?:\/\/[^\s/?#]+(\/?(\?\S*)?)?$/.test(raw)) {
    throw new ConfigError(`${name} must be a connection string such as kurrentdb://host:2113?tls=false`);
  }
  return raw;
}

/** A PostgreSQL connection URL (postgres:// or postgresql://, then a host). Never echoed: it may hold a password. */
function postgresUrl(name: string): string | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  if (!/^postgres(ql)?:\/\/[^\s/?#]*[^\s/?#@:][^\s]*$/.test(raw) || raw.length > 2048) {
    throw new ConfigError(`${name} must be a URL such as postgres://ledger@127.0.0.1:5432/ledger`);
  }
  return raw;
}

/** An ISO 4217 code, as every posting's asset. */
function currency(name: string, fallback: string): string {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^[A-Z]{3}$/.test(raw) || !isIsoCurrency(raw)) throw new ConfigError(`${name} must be an ISO 4217 currency code such as USD, got "${raw}"`);
  return raw;
}

/**
 * `default`, `none`, or a JSON file of `[{code, name, restriction}]`, read and checked now, each
 * fund against the funds' own rules, so that a bad file stops the start before the ledger is
 * opened rather than when the funds are opened in it.
 */
function seedFunds(name: string, seedCurrency: string): string {
  const raw = process.env[name];
  if (raw === undefined || raw === '' || raw === 'default' || raw === 'none') return raw || 'default';
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(raw, 'utf8'));
  } catch (error) {
    throw new ConfigError(`${name} must be default, none, or a readable JSON file: ${(error as Error).message}`);
  }
  const fund = (f: unknown): boolean =>
    typeof f === 'object' && f !== null && typeof (f as { code?: unknown }).code === 'string' &&
    typeof (f as { name?: unknown }).name === 'string' && typeof (f as { restriction?: unknown }).restriction === 'object' &&
    (f as { restriction?: unknown }).restriction !== null;
  if (!Array.isArray(parsed) || parsed.length > 1000 || !parsed.every(fund)) {
    throw new ConfigError(`${name} (${raw}) must hold a JSON array of at most 1000 {code, name, restriction} objects`);
  }
  const codes = new Set<string>();
  (parsed as Array<{ code: string; name: string; restriction: Restriction }>).forEach((f, i) => {
    const where = `${name} (${raw}), fund ${i} (${JSON.stringify(f.code)})`;
    if (codes.has(f.code)) throw new ConfigError(`${where}: the code appears twice`);
    codes.add(f.code);
    if (!isCleanText(f.name) || f.name.length > 200) throw new ConfigError(`${where}: the name must be 1 to 200 printable characters without surrounding spaces`);
    try {
      fundDecider.decide(
        { type: 'OpenFund', fundId: 'config-check', code: f.code, name: f.name, currency: seedCurrency, restriction: f.restriction, now: new Date(0).toISOString() },
        fundDecider.initialState(),
      );
    } catch (error) {
      throw new ConfigError(`${where}: ${(error as Error).message}`);
    }
  });
  return raw;
}

/** Where the KEK file is looked for when neither LEDGER_KEK nor LEDGER_KEK_FILE is set: the operator's config directory, never the data directory. */
export function defaultKekFile(): string {
  const base = process.env.XDG_CONFIG_HOME && isAbsolute(process.env.XDG_CONFIG_HOME) ? process.env.XDG_CONFIG_HOME : join(homedir(), '.config');
  return join(base, 'mutual-aid-ledger', 'kek');
}

/** The KEK file in use: LEDGER_KEK_FILE, or the default one; undefined when LEDGER_KEK is set. */
export function kekFilePath(): string | undefined {
  if (process.env.LEDGER_KEK) return undefined;
  return process.env.LEDGER_KEK_FILE ? resolve(process.env.LEDGER_KEK_FILE) : defaultKekFile();
}

function inside(dir: string, file: string): boolean {
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return resolve(p);
    }
  };
  const rel = relative(real(dir), real(dirname(file)));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * The key-encryption key: LEDGER_KEK (base64 of 32 bytes), or a file holding it (LEDGER_KEK_FILE,
 * default ~/.config/mutual-aid-ledger/kek) that must not lie in the data directory it protects.
 * Problems are kept, not thrown: only the service (and the commands that use keys) need it.
 */
function keyEncryptionKey(dataDir: string): Pick<LedgerConfig, 'kek' | 'kekSource' | 'kekProblem'> {
  const inline = process.env.LEDGER_KEK;
  const fileVar = process.env.LEDGER_KEK_FILE;
  if (inline && fileVar) return { kekProblem: 'set LEDGER_KEK or LEDGER_KEK_FILE, not both' };
  if (inline) {
    try {
      return { kek: KeyEncryptionKey.fromText(inline), kekSource: 'LEDGER_KEK' };
    } catch (error) {
      return { kekProblem: `LEDGER_KEK: ${(error as Error).message}` };
    }
  }
  const file = kekFilePath()!;
  const source = fileVar ? `LEDGER_KEK_FILE ${file}` : `the default key file ${file}`;
  if (/[\u0000-\u001f]/.test(file)) return { kekProblem: 'LEDGER_KEK_FILE must be a path without control characters' };
  if (!fileVar && !existsSync(file)) {
    return {
      kekProblem: `no key-encryption key: set LEDGER_KEK (base64 of 32 bytes) or LEDGER_KEK_FILE, or create ${file} with \`ledger kek init\` (npm start does so on a first run)`,
    };
  }
  if (inside(dataDir, file)) return { kekProblem: `${source} lies in the data directory ${dataDir}: keep the key-encryption key apart from the keys it protects` };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { kekProblem: `${source} cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
  }
  try {
    return { kek: KeyEncryptionKey.fromText(text), kekSource: file };
  } catch (error) {
    return { kekProblem: `${source}: ${(error as Error).message}` };
  }
}

/** The KEK, or the configuration error that stops the start: the service never runs without personal data's keys. */
export function requireKek(config: LedgerConfig): KeyEncryptionKey {
  if (config.kek) return config.kek;
  throw new ConfigError(config.kekProblem ?? 'no key-encryption key: set LEDGER_KEK or LEDGER_KEK_FILE');
}

export function loadConfig(): LedgerConfig {
  const store = oneOf('LEDGER_STORE', ['sqlite', 'kurrentdb', 'postgres'] as const, 'sqlite');
  const kurrentdbConnectionString = kurrentdbConnection('KURRENTDB_CONNECTION_STRING');
  if (store === 'kurrentdb' && !kurrentdbConnectionString) {
    throw new ConfigError('LEDGER_STORE=kurrentdb needs KURRENTDB_CONNECTION_STRING');
  }
  const ledgerPostgresUrl = postgresUrl('LEDGER_POSTGRES_URL');
  if (store === 'postgres' && !ledgerPostgresUrl) {
    throw new ConfigError('LEDGER_STORE=postgres needs LEDGER_POSTGRES_URL');
  }
  // Read models stay per instance, built by each from the shared log (README, "Running beyond one
  // machine", says why); a setting asking for them in PostgreSQL is refused, not silently ignored.
  if (oneOf('LEDGER_READ_MODELS', ['sqlite', 'postgres'] as const, 'sqlite') === 'postgres') {
    throw new ConfigError(
      'LEDGER_READ_MODELS=postgres is not supported: every instance builds its own read models (SQLite, in its data directory) from the shared log; what instances must share (keys, secrets, checkpoints, the singleton lease) goes to LEDGER_POSTGRES_URL by itself. See the README, "Running beyond one machine"',
    );
  }
  const seedCurrency = currency('LEDGER_SEED_CURRENCY', 'USD');
  const dataDir = path('LEDGER_DATA_DIR', './data');
  return {
    port: integer('PORT', 3000, 0, 65535),
    host: host('HOST'),
    dataDir,
    store,
    sqliteSynchronous: oneOf('LEDGER_SQLITE_SYNCHRONOUS', ['FULL', 'EXTRA', 'NORMAL'] as const, 'FULL'),
    kurrentdbConnectionString,
    postgresUrl: ledgerPostgresUrl,
    sharedStateUrl: store === 'sqlite' ? undefined : ledgerPostgresUrl,
    leaseRetrySeconds: integer('LEDGER_LEASE_RETRY_SECONDS', DEFAULT_LEASE_RETRY_SECONDS, 1, 60),
    kafkaBrokers: brokers('KAFKA_BROKERS'),
    kafkaTopic: kafkaName('KAFKA_TOPIC', DEFAULT_KAFKA_TOPIC),
    kafkaClientId: kafkaName('KAFKA_CLIENT_ID', DEFAULT_KAFKA_CLIENT_ID),
    bodyLimitBytes: integer('LEDGER_BODY_LIMIT_BYTES', 64 * 1024, 1024, 16 * 1024 * 1024),
    readYourWritesTimeoutMs: integer('LEDGER_READ_WAIT_MS', 2000, 0, 60_000),
    rebuildThread: oneOf('LEDGER_REBUILD_THREAD', ['on', 'one', 'off'] as const, 'on'),
    transferTtlMs: integer('LEDGER_TRANSFER_TTL_HOURS', 72, 1, 24 * 365) * 3_600_000,
    expirySweepMs: integer('LEDGER_EXPIRY_SWEEP_SECONDS', 60, 1, 86_400) * 1000,
    fiscalYearStartMonth: integer('LEDGER_FISCAL_YEAR_START_MONTH', 1, 1, 12),
    seedFunds: seedFunds('LEDGER_SEED_FUNDS', seedCurrency),
    seedCurrency,
    pledgeLapseInstalments: integer('LEDGER_PLEDGE_LAPSE_INSTALMENTS', DEFAULT_PLEDGE_LAPSE_INSTALMENTS, 1, 120),
    organisationName: organisation('LEDGER_ORGANISATION_NAME'),
    verifyIntervalSeconds: integer('LEDGER_VERIFY_INTERVAL_SECONDS', DEFAULT_VERIFY_INTERVAL_SECONDS, 0, 30 * 86_400),
    minFreeBytes: integer('LEDGER_MIN_FREE_MB', DEFAULT_MIN_FREE_BYTES / (1024 * 1024), 0, 1024 * 1024) * 1024 * 1024,
    logLevel: oneOf('LEDGER_LOG_LEVEL', LOG_LEVELS, 'info'),
    corsOrigins: origins('LEDGER_CORS_ORIGINS'),
    trustProxy: trustedProxies('LEDGER_TRUST_PROXY'),
    sealIntervalSeconds: integer('LEDGER_SEAL_INTERVAL_SECONDS', DEFAULT_SEAL_INTERVAL_SECONDS, 0, 86_400),
    sealEveryEvents: integer('LEDGER_SEAL_EVERY_EVENTS', DEFAULT_SEAL_EVERY_EVENTS, 1, 1_000_000),
    ...keyEncryptionKey(dataDir),
    tokenTtlDays: integer('LEDGER_TOKEN_TTL_DAYS', DEFAULT_TOKEN_TTL_DAYS, 1, 3650),
    authFailureLimit: integer('LEDGER_AUTH_FAILURE_LIMIT', DEFAULT_AUTH_FAILURE_LIMIT, 1, 100_000),
    authFailureWindowMs: integer('LEDGER_AUTH_FAILURE_WINDOW_SECONDS', DEFAULT_AUTH_FAILURE_WINDOW_MS / 1000, 1, 86_400) * 1000,
    webhookDelivery: oneOf('LEDGER_WEBHOOK_DELIVERY', ['on', 'off'] as const, 'on') === 'on',
    webhookConcurrency: integer('LEDGER_WEBHOOK_CONCURRENCY', 4, 1, 64),
    webhookTimeoutMs: integer('LEDGER_WEBHOOK_TIMEOUT_SECONDS', 10, 1, 120) * 1000,
    webhookMaxBackoffMs: integer('LEDGER_WEBHOOK_MAX_BACKOFF_SECONDS', 300, 1, 86_400) * 1000,
    ...(process.env.LEDGER_WEBHOOK_KEY_FILE ? { webhookKeyFile: path('LEDGER_WEBHOOK_KEY_FILE', '') } : {}),
    orgName: optionalText('LEDGER_ORG_NAME', 200),
    orgAddress: optionalText('LEDGER_ORG_ADDRESS', 500, true),
    orgTaxId: optionalText('LEDGER_ORG_TAX_ID', 50),
    publicOrigin: origin('LEDGER_PUBLIC_ORIGIN'),
    signInLinkMinutes: integer('LEDGER_SIGN_IN_LINK_MINUTES', DEFAULT_SIGN_IN_LINK_MINUTES, 5, 7 * 24 * 60),
    sessionHours: integer('LEDGER_SESSION_HOURS', DEFAULT_SESSION_HOURS, 1, 24 * 30),
  };
}

/**
 * Creates the data directory if need be, after checking that it can hold the ledger: a path that
 * is a file, or a directory this process cannot write, stops the start here with a message,
 * before any database file is opened in it.
 */
export function prepareDataDir(dir: string): void {
  let existing = dir;
  for (;;) {
    let stat;
    try {
      stat = statSync(existing);
    } catch {
      const parent = dirname(existing);
      if (parent === existing) throw new ConfigError(`LEDGER_DATA_DIR ${dir}: no part of the path exists`);
      existing = parent;
      continue;
    }
    if (!stat.isDirectory()) {
      throw new ConfigError(`LEDGER_DATA_DIR ${dir}: ${existing} is not a directory`);
    }
    try {
      accessSync(existing, constants.W_OK | constants.X_OK);
    } catch {
      throw new ConfigError(`LEDGER_DATA_DIR ${dir}: ${existing === dir ? 'the directory' : `its parent ${existing}`} is not writable by this process`);
    }
    break;
  }
  mkdirSync(dir, { recursive: true });
}
