import Database from 'better-sqlite3';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backupDataDir, MANIFEST, restoreDataDir } from './backup';

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe('backup and restore: file modes', () => {
  let root: string;
  let umask: number;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'ledger-backup-spec-'));
    umask = process.umask(0o022); // the usual umask: files 0644 unless made otherwise
  });

  afterEach(() => {
    process.umask(umask);
    rmSync(root, { recursive: true, force: true });
  });

  function dataDir(): string {
    const dir = join(root, 'data');
    const make = (name: string, sql: string) => {
      const db = new Database(join(dir, name));
      db.exec(sql);
      db.close();
    };
    mkdirSync(dir, { mode: 0o755 });
    make('events.db', 'CREATE TABLE events (global_position INTEGER PRIMARY KEY, data TEXT); INSERT INTO events VALUES (1, \'a\'), (2, \'b\');');
    make('seal-keys.db', "CREATE TABLE seal_keys (key_id TEXT, private_pem TEXT); INSERT INTO seal_keys VALUES ('k', '-----BEGIN PRIVATE KEY-----');");
    chmodSync(join(dir, 'seal-keys.db'), 0o600);
    make('keys.db', 'CREATE TABLE sustainer_keys (sustainer_id TEXT, data_key BLOB);');
    writeFileSync(join(dir, 'webhooks.key'), 'key material', { mode: 0o600 });
    writeFileSync(join(dir, 'notes.txt'), 'a file a later version keeps', { mode: 0o644 });
    return dir;
  }

  it('a backup is readable by its owner only: the directory 0700, every file 0600 (the seal keys were world-readable in the copy)', async () => {
    const data = dataDir();
    const target = join(root, 'backup');
    const manifest = await backupDataDir(data, target);
    expect(manifest.files.map((f) => f.name).sort()).toEqual(['events.db', 'keys.db', 'notes.txt', 'seal-keys.db', 'webhooks.key']);
    expect(modeOf(target)).toBe(0o700);
    for (const name of readdirSync(target)) expect([name, modeOf(join(target, name))]).toEqual([name, 0o600]);
    expect(readFileSync(join(target, 'notes.txt'), 'utf8')).toBe('a file a later version keeps');
    expect(manifest.logHead).toBe(2);
  });

  it('restore writes every file 0600, even from a backup whose files are 0644, with the same bytes', async () => {
    const data = dataDir();
    const target = join(root, 'backup');
    await backupDataDir(data, target);
    for (const name of readdirSync(target)) chmodSync(join(target, name), 0o644); // a backup of an earlier version
    const restored = join(root, 'restored');
    const { problems } = await restoreDataDir(target, restored, { verify: async () => [] });
    expect(problems).toEqual([]);
    expect(modeOf(restored)).toBe(0o700);
    const names = readdirSync(restored).sort();
    expect(names).toEqual(['events.db', 'keys.db', 'notes.txt', 'seal-keys.db', 'webhooks.key']);
    for (const name of names) {
      expect([name, modeOf(join(restored, name))]).toEqual([name, 0o600]);
      expect(readFileSync(join(restored, name)).equals(readFileSync(join(target, name)))).toBe(true);
    }
    expect(names).not.toContain(MANIFEST);
    const db = new Database(join(restored, 'seal-keys.db'), { readonly: true });
    expect(db.prepare('SELECT key_id FROM seal_keys').all()).toEqual([{ key_id: 'k' }]);
    db.close();
  });
});
