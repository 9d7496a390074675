import Database from 'better-sqlite3';
import { ChildProcess, execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT, freePort, startService } from './support/processes';

/**
 * `ledger backup` while the service appends under load, `ledger restore` into an empty data
 * directory with verification, and the restored ledger serving what it held (personal data
 * included: keys.db came along and unwraps under the same KEK).
 */
jest.setTimeout(180_000);

const run = promisify(execFile);
const cli = join(ROOT, 'dist', 'src', 'cli.js');

/** The compiled tool, run without blocking this process (the load keeps going meanwhile). */
async function ledger(dataDir: string, args: string[], env: Record<string, string | undefined> = {}): Promise<{ status: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], { cwd: ROOT, env: { ...process.env, LEDGER_DATA_DIR: dataDir, ...env }, timeout: 120_000 });
    return { status: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { status: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

const headOf = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT COALESCE(MAX(global_position), 0) AS head, COUNT(*) AS n FROM events').get() as { head: number; n: number });
  } finally {
    db.close();
  }
};

async function stop(service: ChildProcess | undefined): Promise<void> {
  if (!service || service.exitCode !== null || service.signalCode !== null) return;
  const exited = new Promise((resolve) => service.once('exit', resolve));
  service.kill('SIGTERM');
  await exited;
}

describe('ledger backup under load, ledger restore with verification', () => {
  let root: string;
  let dataDir: string;
  let service: ChildProcess | undefined;
  let restoredService: ChildProcess | undefined;
  let base: string;
  let steward: string;

  const call = async (method: string, path: string, body?: unknown, at = base) => {
    const res = await fetch(`${at}${path}`, {
      method,
      headers: { authorization: `Bearer ${steward}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'ledger-backup-'));
    dataDir = join(root, 'data');
    const port = freePort();
    base = `http://127.0.0.1:${port}`;
    service = await startService(dataDir, port);
    const created = await ledger(dataDir, ['tokens', 'create', '--role', 'steward', '--name', 'Backup test']);
    expect(created.status).toBe(0);
    steward = created.stdout.trim().split('\n').pop()!;
  }, 60_000);

  afterAll(async () => {
    await stop(service);
    await stop(restoredService);
    rmSync(root, { recursive: true, force: true });
  });

  it('takes a consistent copy while appends run, restores it into an empty directory, and the restore verifies and serves', async () => {
    const funds = (await call('GET', '/v1/funds')).body.items as Array<{ fundId: string; code: string }>;
    const general = funds.find((f) => f.code === 'general')!.fundId;
    const ada = (await call('POST', '/v1/sustainers', { displayName: 'Ada Example', email: 'ada@example.org', anonymous: false })).body.sustainerId;
    // A file another part of the service may keep in the data directory (a seal key): backed up as bytes.
    writeFileSync(join(dataDir, 'seal-ed25519.key'), 'not a real key\n', { mode: 0o600 });

    // Load: four writers appending income and registering sustainers until told to stop.
    let stopping = false;
    let writes = 0;
    let failures = 0;
    const writer = async (n: number) => {
      for (let i = 0; !stopping; i++) {
        const res =
          i % 5 === 4
            ? await call('POST', '/v1/sustainers', { displayName: `Writer ${n}-${i}`, anonymous: false })
            : await call('POST', '/v1/income', { fundId: general, source: `Source ${n}`, category: 'grant', amountMinor: 100 + i, currency: 'USD', effectiveAt: '2026-09-01' });
        if (res.status === 201) writes++;
        else failures++;
      }
    };
    const load = [1, 2, 3, 4].map(writer);
    while (writes < 40) await new Promise((r) => setTimeout(r, 20));
    const backupDir = join(root, 'backup');
    const writesBefore = writes;
    const backupStarted = Date.now();
    const backup = await ledger(dataDir, ['backup', backupDir]);
    const writesDuring = writes - writesBefore;
    // eslint-disable-next-line no-console
    console.log(`backup under load: ${Date.now() - backupStarted} ms (tool start included), ${writesDuring} writes acknowledged meanwhile; ${backup.stdout.trim().split('\n').pop()}`);
    // Let the load go on after the copy, then stop it.
    const target = writes + 20;
    while (writes < target) await new Promise((r) => setTimeout(r, 20));
    stopping = true;
    await Promise.all(load);
    expect(failures).toBe(0);
    expect(backup.status).toBe(0);
    expect(writesDuring).toBeGreaterThan(0);

    // The documented list: every non-derived file, never the read models or SQLite side files.
    const manifest = JSON.parse(readFileSync(join(backupDir, 'manifest.json'), 'utf8'));
    const names = manifest.files.map((f: { name: string }) => f.name);
    expect(names).toEqual(['webhooks.db', 'seal-keys.db', 'events.db', 'seal-ed25519.key', 'webhooks.key', 'keys.db']);
    expect(readdirSync(backupDir).sort()).toEqual([...names, 'manifest.json'].sort());
    expect(readFileSync(join(backupDir, 'seal-ed25519.key'), 'utf8')).toBe('not a real key\n');
    // A snapshot: the copy's log is gap-free up to its head, which is behind the live log's now.
    const copied = headOf(join(backupDir, 'events.db'));
    expect(copied.n).toBe(copied.head);
    expect(manifest.logHead).toBe(copied.head);
    const live = headOf(join(dataDir, 'events.db'));
    expect(copied.head).toBeLessThan(live.head);
    expect(backup.stderr).toContain('Not in the backup: the key-encryption key');

    // Restore into an empty directory: verified (log and keys) before it says so.
    const restoredDir = join(root, 'restored');
    const restored = await ledger(restoredDir, ['restore', backupDir]);
    expect(restored).toMatchObject({ status: 0 });
    expect(restored.stdout).toContain(`the log verifies: ${copied.head} events`);
    expect(restored.stdout).toMatch(/keys\.db: \d+ data keys unwrap under key-encryption key [0-9a-f]{16}/);
    expect(readdirSync(restoredDir).sort()).toEqual(['events.db', 'keys.db', 'seal-ed25519.key', 'seal-keys.db', 'webhooks.db', 'webhooks.key']);
    expect((await ledger(restoredDir, ['verify'])).stdout).toContain(`verified up to position ${copied.head}`);

    // The restored ledger serves what it held, personal data included.
    const port = freePort();
    const restoredBase = `http://127.0.0.1:${port}`;
    restoredService = await startService(restoredDir, port);
    const person = await call('GET', `/v1/sustainers/${ada}`, undefined, restoredBase);
    expect(person).toMatchObject({ status: 200, body: { displayName: 'Ada Example', email: 'ada@example.org' } });
    const list = await call('GET', '/v1/sustainers?limit=500', undefined, restoredBase);
    expect(list.body.items.every((s: { displayName: string | null }) => typeof s.displayName === 'string')).toBe(true);
    await stop(restoredService);
  });

  it('refuses a non-empty data directory, a damaged backup and a missing KEK, leaving the target empty', async () => {
    const backupDir = join(root, 'backup');
    const busy = await ledger(dataDir, ['restore', backupDir]);
    expect(busy.status).toBe(1);
    expect(busy.stderr).toContain('is not empty: restore only into an empty one');

    const noKek = join(root, 'no-kek');
    const withoutKek = await ledger(noKek, ['restore', backupDir], { LEDGER_KEK: undefined, LEDGER_KEK_FILE: undefined, XDG_CONFIG_HOME: join(root, 'nothing') });
    expect(withoutKek.status).toBe(1);
    expect(withoutKek.stderr).toContain('keys.db cannot be checked without its key-encryption key');
    expect(readdirSync(noKek)).toEqual([]);

    const damaged = join(root, 'damaged');
    const copy = await ledger(dataDir, ['backup', damaged]);
    expect(copy.status).toBe(0);
    const file = join(damaged, 'events.db');
    const bytes = readFileSync(file);
    bytes[bytes.length - 100] ^= 0xff;
    writeFileSync(file, bytes);
    const target = join(root, 'from-damaged');
    const refused = await ledger(target, ['restore', damaged]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('events.db in the backup differs from its manifest');
    expect(existsSync(target) ? readdirSync(target) : []).toEqual([]);

    expect((await ledger(join(root, 'x'), ['restore', join(root, 'nowhere')])).stderr).toContain('holds no manifest.json');
    expect((await ledger(dataDir, ['backup', backupDir])).stderr).toContain('is not empty: back up into a new directory');
  });

  it('refuses a restore whose log does not verify, and leaves the target empty', async () => {
    // A backup whose events.db was altered and whose manifest was rewritten to match: only verify can tell.
    const forged = join(root, 'forged');
    expect((await ledger(dataDir, ['backup', forged])).status).toBe(0);
    const db = new Database(join(forged, 'events.db'));
    db.exec('DROP TRIGGER events_refuse_update');
    const changed = db.prepare("UPDATE events SET data = replace(data, 'Source 1', 'Source 9') WHERE global_position = (SELECT MIN(global_position) FROM events WHERE data LIKE '%Source 1%')").run();
    db.close();
    expect(changed.changes).toBe(1);
    const manifest = JSON.parse(readFileSync(join(forged, 'manifest.json'), 'utf8'));
    const { createHash } = await import('node:crypto');
    const content = readFileSync(join(forged, 'events.db'));
    manifest.files = manifest.files.map((f: { name: string }) => (f.name === 'events.db' ? { ...f, bytes: content.length, sha256: createHash('sha256').update(content).digest('hex') } : f));
    writeFileSync(join(forged, 'manifest.json'), JSON.stringify(manifest));
    const target = join(root, 'from-forged');
    const refused = await ledger(target, ['restore', forged]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('the restored data does not verify');
    expect(readdirSync(target)).toEqual([]);
  });
});
