import { mkdtempSync, mkdirSync, rmSync, writeFileSync, chmodSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, prepareDataDir, requireKek } from './config';
import { KeyEncryptionKey } from './modules/sustainers/personal-data/key-wrap';

function withEnv<T>(env: Record<string, string>, fn: () => T): T {
  const saved = { ...process.env };
  for (const key of Object.keys(process.env)) {
    if (/^(LEDGER_|KURRENTDB_|KAFKA_|PORT$|HOST$)/.test(key)) delete process.env[key];
  }
  Object.assign(process.env, env);
  try {
    return fn();
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  }
}

describe('loadConfig', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ledger-config-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('loads the defaults', () => {
    const config = withEnv({}, loadConfig);
    expect(config).toMatchObject({ port: 3000, host: '0.0.0.0', seedFunds: 'default', seedCurrency: 'USD', verifyIntervalSeconds: 3600, minFreeBytes: 64 * 1024 * 1024, rebuildThread: 'on' });
    expect(withEnv({ LEDGER_REBUILD_THREAD: 'off' }, loadConfig).rebuildThread).toBe('off');
    expect(withEnv({ LEDGER_REBUILD_THREAD: 'one' }, loadConfig).rebuildThread).toBe('one');
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['HOST', 'not a host'],
    ['HOST', 'exa_mple..com'],
    ['LEDGER_DATA_DIR', 'data\u0000x'],
    ['LEDGER_STORE', 'postgres'],
    ['LEDGER_SQLITE_SYNCHRONOUS', 'OFF'],
    ['LEDGER_SEED_CURRENCY', 'usd'],
    ['LEDGER_SEED_CURRENCY', 'DOLLARS'],
    ['LEDGER_SEED_CURRENCY', 'ABC'],
    ['LEDGER_SEED_FUNDS', '/nonexistent/funds.json'],
    ['LEDGER_VERIFY_INTERVAL_SECONDS', '-1'],
    ['LEDGER_VERIFY_INTERVAL_SECONDS', '1.5'],
    ['LEDGER_MIN_FREE_MB', 'lots'],
    ['LEDGER_READ_WAIT_MS', '1e9'],
    ['LEDGER_REBUILD_THREAD', 'yes'],
    ['KAFKA_BROKERS', 'not a broker'],
    ['KURRENTDB_CONNECTION_STRING', 'http://kurrentdb:2113'],
    ['LEDGER_LOG_LEVEL', 'verbose'],
    ['LEDGER_CORS_ORIGINS', 'books.example.org'],
    ['LEDGER_CORS_ORIGINS', 'https://books.example.org/'],
    ['LEDGER_CORS_ORIGINS', 'https://books.example.org/path'],
    ['LEDGER_CORS_ORIGINS', 'ftp://books.example.org'],
    ['LEDGER_CORS_ORIGINS', 'https://a.example.org,*'],
    ['LEDGER_POSTGRES_URL', 'mysql://ledger@db/ledger'],
    ['LEDGER_POSTGRES_URL', 'postgres://'],
    ['LEDGER_POSTGRES_URL', 'postgres://db/ledger with space'],
  ])('refuses %s=%j', (name, value) => {
    expect(() => withEnv({ [name]: value }, loadConfig)).toThrow(ConfigError);
    expect(() => withEnv({ [name]: value }, loadConfig)).toThrow(name);
  });

  it('takes LEDGER_STORE=postgres with LEDGER_POSTGRES_URL, and never puts the URL in its message', () => {
    expect(withEnv({ LEDGER_STORE: 'postgres', LEDGER_POSTGRES_URL: 'postgres://ledger:s3cret@db:5432/ledger' }, loadConfig)).toMatchObject({
      store: 'postgres',
      postgresUrl: 'postgres://ledger:s3cret@db:5432/ledger',
    });
    expect(() => withEnv({ LEDGER_STORE: 'postgres' }, loadConfig)).toThrow('LEDGER_STORE=postgres needs LEDGER_POSTGRES_URL');
    expect(() => withEnv({ LEDGER_POSTGRES_URL: 'pg://ledger:s3cret@db' }, loadConfig)).not.toThrow('s3cret');
  });

  it('puts the shared state in PostgreSQL whenever the log is not embedded, and refuses read models there', () => {
    const url = 'postgres://ledger@db:5432/ledger';
    expect(withEnv({ LEDGER_STORE: 'postgres', LEDGER_POSTGRES_URL: url }, loadConfig).sharedStateUrl).toBe(url);
    expect(withEnv({ LEDGER_STORE: 'kurrentdb', KURRENTDB_CONNECTION_STRING: 'kurrentdb://db:2113?tls=false', LEDGER_POSTGRES_URL: url }, loadConfig).sharedStateUrl).toBe(url);
    expect(withEnv({ LEDGER_STORE: 'kurrentdb', KURRENTDB_CONNECTION_STRING: 'kurrentdb://db:2113?tls=false' }, loadConfig).sharedStateUrl).toBeUndefined();
    // The embedded default keeps its files even when a PostgreSQL URL is around.
    expect(withEnv({ LEDGER_POSTGRES_URL: url }, loadConfig).sharedStateUrl).toBeUndefined();
    expect(withEnv({ LEDGER_READ_MODELS: 'sqlite' }, loadConfig).store).toBe('sqlite');
    // The lease's retry interval: 2 s by default, 1 to 60.
    expect(withEnv({}, loadConfig).leaseRetrySeconds).toBe(2);
    expect(withEnv({ LEDGER_LEASE_RETRY_SECONDS: '5' }, loadConfig).leaseRetrySeconds).toBe(5);
    for (const bad of ['0', '61', '1.5', 'soon']) {
      expect(() => withEnv({ LEDGER_LEASE_RETRY_SECONDS: bad }, loadConfig)).toThrow(`LEDGER_LEASE_RETRY_SECONDS must be an integer from 1 to 60, got "${bad}"`);
    }
    expect(() => withEnv({ LEDGER_READ_MODELS: 'postgres', LEDGER_STORE: 'postgres', LEDGER_POSTGRES_URL: url }, loadConfig)).toThrow('LEDGER_READ_MODELS=postgres is not supported');
    expect(() => withEnv({ LEDGER_READ_MODELS: 'mysql' }, loadConfig)).toThrow('LEDGER_READ_MODELS must be one of sqlite, postgres');
  });

  it('accepts host names and addresses, and a seed funds file of the documented shape', () => {
    const file = join(dir, 'funds.json');
    writeFileSync(file, JSON.stringify([{ code: 'general', name: 'General', restriction: { class: 'unrestricted' } }]));
    for (const host of ['127.0.0.1', '::', 'localhost', 'ledger.example.org']) {
      expect(withEnv({ HOST: host, LEDGER_SEED_FUNDS: file }, loadConfig)).toMatchObject({ host, seedFunds: file });
    }
    for (const bad of [
      { code: 'general' },
      [{ code: 'Bad Code', name: 'General', restriction: { class: 'unrestricted' } }],
      [{ code: 'water', name: ' Water', restriction: { class: 'unrestricted' } }],
      [{ code: 'water', name: 'Water', restriction: { class: 'donor-restricted' } }],
      [{ code: 'a1', name: 'A', restriction: { class: 'unrestricted' } }, { code: 'a1', name: 'B', restriction: { class: 'unrestricted' } }],
    ]) {
      writeFileSync(file, JSON.stringify(bad));
      expect(() => withEnv({ LEDGER_SEED_FUNDS: file }, loadConfig)).toThrow('LEDGER_SEED_FUNDS');
    }
    expect(withEnv({ LEDGER_VERIFY_INTERVAL_SECONDS: '0', LEDGER_MIN_FREE_MB: '0' }, loadConfig)).toMatchObject({ verifyIntervalSeconds: 0, minFreeBytes: 0 });
  });

  it('reads the log level and the CORS origins; CORS is off unless origins are given', () => {
    expect(withEnv({}, loadConfig)).toMatchObject({ logLevel: 'info', corsOrigins: undefined });
    expect(withEnv({ LEDGER_CORS_ORIGINS: ' ' }, loadConfig).corsOrigins).toBeUndefined();
    expect(withEnv({ LEDGER_LOG_LEVEL: 'warn', LEDGER_CORS_ORIGINS: 'https://books.example.org, http://localhost:5173' }, loadConfig)).toMatchObject({
      logLevel: 'warn',
      corsOrigins: ['https://books.example.org', 'http://localhost:5173'],
    });
    expect(withEnv({ LEDGER_CORS_ORIGINS: '*' }, loadConfig).corsOrigins).toEqual(['*']);
  });

  it('reads the trusted reverse proxies: addresses, CIDR ranges and proxy-addr\'s names; none by default; never all or a hop count', () => {
    expect(withEnv({}, loadConfig).trustProxy).toBeUndefined();
    expect(withEnv({ LEDGER_TRUST_PROXY: ' ' }, loadConfig).trustProxy).toBeUndefined();
    expect(withEnv({ LEDGER_TRUST_PROXY: '10.0.0.5, 172.16.0.0/12,fd00::/8 ,::1,loopback,uniquelocal,linklocal' }, loadConfig).trustProxy).toEqual([
      '10.0.0.5', '172.16.0.0/12', 'fd00::/8', '::1', 'loopback', 'uniquelocal', 'linklocal',
    ]);
    for (const bad of ['true', '*', '1', 'proxy.example.org', '10.0.0.0/33', '::/129', '10.0.0.0/8/1', '10.0.0.0/x', '10.0.0.256']) {
      expect(() => withEnv({ LEDGER_TRUST_PROXY: bad }, loadConfig)).toThrow('LEDGER_TRUST_PROXY');
    }
  });

  it('reads the pages\' settings: organisation details, public origin, link and session lifetimes', () => {
    expect(withEnv({}, loadConfig)).toMatchObject({ signInLinkMinutes: 60, sessionHours: 12, orgName: undefined, publicOrigin: undefined });
    const config = withEnv({
      LEDGER_ORG_NAME: 'Mutual Aid Network Inc.', LEDGER_ORG_ADDRESS: '1 Main St\nSpringfield, IL 62701', LEDGER_ORG_TAX_ID: '12-3456789',
      LEDGER_PUBLIC_ORIGIN: 'https://ledger.example.org', LEDGER_SIGN_IN_LINK_MINUTES: '30', LEDGER_SESSION_HOURS: '2',
    }, loadConfig);
    expect(config).toMatchObject({ orgName: 'Mutual Aid Network Inc.', orgAddress: '1 Main St\nSpringfield, IL 62701', orgTaxId: '12-3456789', publicOrigin: 'https://ledger.example.org', signInLinkMinutes: 30, sessionHours: 2 });
    for (const [name, value] of [
      ['LEDGER_PUBLIC_ORIGIN', 'ftp://x.org'], ['LEDGER_PUBLIC_ORIGIN', 'https://x.org/path'], ['LEDGER_PUBLIC_ORIGIN', 'not a url'],
      ['LEDGER_ORG_NAME', 'a\tb'], ['LEDGER_ORG_TAX_ID', 'x'.repeat(51)], ['LEDGER_SIGN_IN_LINK_MINUTES', '1'], ['LEDGER_SESSION_HOURS', '0'],
    ]) {
      expect(() => withEnv({ [name]: value }, loadConfig)).toThrow(name);
    }
  });

  it('prepares the data directory only where it can hold the ledger', () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    expect(() => prepareDataDir(file)).toThrow('is not a directory');
    expect(() => prepareDataDir(join(file, 'below'))).toThrow('is not a directory');
    const nested = join(dir, 'x', 'y');
    prepareDataDir(nested);
    expect(existsSync(nested)).toBe(true);
    if (process.getuid?.() !== 0) {
      const locked = join(dir, 'locked');
      prepareDataDir(locked);
      chmodSync(locked, 0o500);
      expect(() => prepareDataDir(join(locked, 'data'))).toThrow('not writable');
      chmodSync(locked, 0o700);
    }
  });
});

describe('the key-encryption key and token settings', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ledger-kek-config-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const text = KeyEncryptionKey.generateText();

  it('reads LEDGER_KEK or LEDGER_KEK_FILE, and the default file when neither is set', () => {
    expect(withEnv({ LEDGER_KEK: text }, loadConfig)).toMatchObject({ kek: expect.any(KeyEncryptionKey), kekSource: 'LEDGER_KEK' });
    writeFileSync(join(dir, 'kek'), `${text}\n`);
    const fromFile = withEnv({ LEDGER_KEK_FILE: join(dir, 'kek'), LEDGER_DATA_DIR: join(dir, 'data') }, loadConfig);
    expect(fromFile.kek?.id).toBe(KeyEncryptionKey.fromText(text).id);
    expect(fromFile.kekSource).toBe(join(dir, 'kek'));
    mkdirSync(join(dir, 'home', 'mutual-aid-ledger'), { recursive: true });
    writeFileSync(join(dir, 'home', 'mutual-aid-ledger', 'kek'), text);
    const saved = process.env.XDG_CONFIG_HOME;
    process.env.XDG_CONFIG_HOME = join(dir, 'home');
    try {
      expect(withEnv({}, loadConfig).kek?.id).toBe(KeyEncryptionKey.fromText(text).id);
      rmSync(join(dir, 'home'), { recursive: true });
      const none = withEnv({}, loadConfig);
      expect(none.kek).toBeUndefined();
      expect(() => requireKek(none)).toThrow(ConfigError);
      expect(() => requireKek(none)).toThrow(/no key-encryption key/);
    } finally {
      if (saved === undefined) delete process.env.XDG_CONFIG_HOME;
      else process.env.XDG_CONFIG_HOME = saved;
    }
  });

  it.each([
    [{ LEDGER_KEK: 'short' }, /LEDGER_KEK: a key-encryption key is the base64 of 32 random bytes/],
    [{ LEDGER_KEK: 'x', LEDGER_KEK_FILE: '/tmp/k' }, /not both/],
    [{ LEDGER_KEK_FILE: '/nonexistent/kek' }, /cannot be read: ENOENT/],
  ])('keeps the problem with %j for the start to refuse', (env, message) => {
    const config = withEnv(env, loadConfig);
    expect(config.kek).toBeUndefined();
    expect(() => requireKek(config)).toThrow(message);
  });

  it('refuses a KEK file inside the data directory', () => {
    mkdirSync(join(dir, 'data'));
    writeFileSync(join(dir, 'data', 'kek'), text);
    const config = withEnv({ LEDGER_KEK_FILE: join(dir, 'data', 'kek'), LEDGER_DATA_DIR: join(dir, 'data') }, loadConfig);
    expect(() => requireKek(config)).toThrow(/lies in the data directory/);
  });

  it('reads the token lifetime and the failed-authentication limit, refusing out-of-range values', () => {
    expect(withEnv({}, loadConfig)).toMatchObject({ tokenTtlDays: 90, authFailureLimit: 10, authFailureWindowMs: 60_000 });
    expect(withEnv({ LEDGER_TOKEN_TTL_DAYS: '7', LEDGER_AUTH_FAILURE_LIMIT: '3', LEDGER_AUTH_FAILURE_WINDOW_SECONDS: '600' }, loadConfig)).toMatchObject({
      tokenTtlDays: 7, authFailureLimit: 3, authFailureWindowMs: 600_000,
    });
    for (const [name, value] of [['LEDGER_TOKEN_TTL_DAYS', '0'], ['LEDGER_TOKEN_TTL_DAYS', '3651'], ['LEDGER_AUTH_FAILURE_LIMIT', '0'], ['LEDGER_AUTH_FAILURE_WINDOW_SECONDS', 'x']]) {
      expect(() => withEnv({ [name]: value }, loadConfig)).toThrow(ConfigError);
    }
  });
});
