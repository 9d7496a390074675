import Database from 'better-sqlite3';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeyEncryptionKey } from '../src/modules/sustainers/personal-data/key-wrap';
import { ROOT, freePort } from './support/processes';

/**
 * Keys at rest, as an operator meets them: the service refuses to start without its
 * key-encryption key (or with another one), `npm start`'s first-run step creates one outside the
 * data directory, and a keys.db from before (clear keys) is wrapped on the first start with a KEK.
 */
jest.setTimeout(90_000);

const main = join(ROOT, 'dist', 'src', 'main.js');
const cli = join(ROOT, 'dist', 'src', 'cli.js');

/** The environment without any KEK setting, with a config home of its own. */
function cleanEnv(configHome: string, dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { LEDGER_KEK: _k, LEDGER_KEK_FILE: _f, KAFKA_BROKERS: _b, ...env } = process.env;
  return { ...env, XDG_CONFIG_HOME: configHome, LEDGER_DATA_DIR: dataDir, HOST: '127.0.0.1', LEDGER_SEED_FUNDS: 'none', ...extra };
}

/** Starts the service; resolves with its exit (code, stderr) or 'healthy' once /health/live answers (then stops it). */
async function startOnce(env: NodeJS.ProcessEnv): Promise<{ outcome: 'healthy' | 'exited'; code: number | null; stderr: string }> {
  const port = freePort();
  const child = spawn(process.execPath, [main], { cwd: ROOT, env: { ...env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) return { outcome: 'exited', code: child.exitCode, stderr };
    const ok = await fetch(`http://127.0.0.1:${port}/health/live`).then((r) => r.ok, () => false);
    if (ok) {
      child.kill('SIGTERM');
      await exited;
      return { outcome: 'healthy', code: null, stderr };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`the service neither started nor exited: ${stderr}`);
}

describe('the key-encryption key at start', () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'ledger-kek-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('refuses to start without a KEK, with a configuration error, creating nothing in the data directory', async () => {
    const data = join(root, 'data');
    const result = await startOnce(cleanEnv(join(root, 'config'), data));
    expect(result).toMatchObject({ outcome: 'exited', code: 1 });
    expect(result.stderr).toMatch(/ledger: configuration: no key-encryption key: set LEDGER_KEK .* or LEDGER_KEK_FILE/);
    expect(existsSync(data)).toBe(false);
    for (const [extra, message] of [
      [{ LEDGER_KEK: 'not-a-key' }, /LEDGER_KEK: a key-encryption key is the base64 of 32 random bytes/],
      [{ LEDGER_KEK_FILE: join(root, 'missing') }, /LEDGER_KEK_FILE .*missing cannot be read: ENOENT/],
      [{ LEDGER_KEK_FILE: join(data, 'kek') }, /lies in the data directory/],
      [{ LEDGER_KEK: KeyEncryptionKey.generateText(), LEDGER_KEK_FILE: join(root, 'k') }, /not both/],
    ] as const) {
      const refused = await startOnce(cleanEnv(join(root, 'config'), data, extra));
      expect({ code: refused.code, stderr: refused.stderr }).toEqual({ code: 1, stderr: expect.stringMatching(message) });
    }
  });

  it("npm start's first-run step creates a KEK outside the data directory (0600), and the service starts with it", async () => {
    const config = join(root, 'config');
    const data = join(root, 'data');
    const init = spawnSync(process.execPath, [cli, 'kek', 'init', '--if-missing'], { cwd: ROOT, env: cleanEnv(config, data), encoding: 'utf8' });
    expect(init.status).toBe(0);
    const file = join(config, 'mutual-aid-ledger', 'kek');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const kek = KeyEncryptionKey.fromText(readFileSync(file, 'utf8'));
    expect(init.stderr).toContain(`Created key-encryption key ${kek.id}`);
    // A second run leaves the key as it is.
    expect(spawnSync(process.execPath, [cli, 'kek', 'init', '--if-missing'], { cwd: ROOT, env: cleanEnv(config, data), encoding: 'utf8' }).status).toBe(0);
    expect(KeyEncryptionKey.fromText(readFileSync(file, 'utf8')).id).toBe(kek.id);
    expect((await startOnce(cleanEnv(config, data))).outcome).toBe('healthy');
    expect(readdirSync(data)).toEqual(expect.arrayContaining(['events.db', 'keys.db']));
    expect(readdirSync(data)).not.toContain('kek');
    const db = new Database(join(data, 'keys.db'), { readonly: true });
    expect((db.prepare("SELECT value FROM meta WHERE name = 'kek_id'").get() as { value: string }).value).toBe(kek.id);
    db.close();

    // Losing the key file: npm start would not make a new key that cannot open keys.db.
    rmSync(file);
    const again = spawnSync(process.execPath, [cli, 'kek', 'init', '--if-missing'], { cwd: ROOT, env: cleanEnv(config, data), encoding: 'utf8' });
    expect(again.status).toBe(1);
    expect(again.stderr).toContain(`wrapped under key-encryption key ${kek.id}: a new key cannot open it`);
    expect(existsSync(file)).toBe(false);
  });

  it('refuses to start with another KEK than keys.db was wrapped with', async () => {
    const data = join(root, 'data');
    const first = KeyEncryptionKey.generateText();
    expect((await startOnce(cleanEnv(join(root, 'c'), data, { LEDGER_KEK: first }))).outcome).toBe('healthy');
    const other = KeyEncryptionKey.generateText();
    const refused = await startOnce(cleanEnv(join(root, 'c'), data, { LEDGER_KEK: other }));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`is wrapped under key-encryption key ${KeyEncryptionKey.fromText(first).id}, but LEDGER_KEK holds ${KeyEncryptionKey.fromText(other).id}`);
  });

  it('wraps a keys.db from before (clear keys) on the first start with a KEK: no key in clear in the file after', async () => {
    const data = join(root, 'data');
    mkdirSync(data);
    const legacy = new Database(join(data, 'keys.db'));
    legacy.exec(`CREATE TABLE sustainer_keys (sustainer_id TEXT PRIMARY KEY, data_key BLOB NOT NULL) WITHOUT ROWID;
      CREATE TABLE secrets (name TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;`);
    const keys = Array.from({ length: 5 }, () => randomBytes(32));
    keys.forEach((k, i) => legacy.prepare('INSERT INTO sustainer_keys VALUES (?, ?)').run(`s${i}`, k));
    const pepper = randomBytes(32);
    legacy.prepare("INSERT INTO secrets VALUES ('fingerprint-pepper', ?)").run(pepper);
    legacy.close();
    expect(readFileSync(join(data, 'keys.db')).includes(keys[0])).toBe(true);

    const kek = KeyEncryptionKey.generateText();
    expect((await startOnce(cleanEnv(join(root, 'c'), data, { LEDGER_KEK: kek }))).outcome).toBe('healthy');
    const raw = readFileSync(join(data, 'keys.db'));
    for (const k of [...keys, pepper]) expect(raw.includes(k)).toBe(false);
    const db = new Database(join(data, 'keys.db'), { readonly: true });
    const rows = db.prepare('SELECT sustainer_id, data_key FROM sustainer_keys ORDER BY sustainer_id').all() as Array<{ sustainer_id: string; data_key: Buffer }>;
    db.close();
    const unwrapped = rows.map((r) => KeyEncryptionKey.fromText(kek).unwrap(r.data_key, `sustainer:${r.sustainer_id}`));
    expect(unwrapped.map((k) => k.toString('hex'))).toEqual(keys.map((k) => k.toString('hex')));
  });
});
