import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReadModelDatabase } from './read-model-database';
import { FALLBACK_AUTOCHECKPOINT_PAGES } from './wal-checkpointer';

describe('read models checkpointed by a thread of their own', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ledger-wal-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Writes about 12 MiB of rows in 40 commits: far fewer pages than the fallback bound. */
  const fill = (readModels: ReadModelDatabase) => {
    readModels.db.exec('CREATE TABLE filler (id INTEGER PRIMARY KEY, body BLOB NOT NULL)');
    const insert = readModels.db.prepare('INSERT INTO filler (body) VALUES (?)');
    for (let commit = 0; commit < 40; commit++) {
      readModels.db.transaction(() => {
        for (let i = 0; i < 75; i++) insert.run(Buffer.alloc(4000, commit));
      })();
    }
  };
  const sizeOf = (file: string) => statSync(file).size;
  const until = async (done: () => boolean, ms: number) => {
    const deadline = Date.now() + ms;
    while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    return done();
  };

  it('copies the WAL back into the database without the writer doing it', async () => {
    const file = join(dir, 'readmodels.db');
    const readModels = new ReadModelDatabase(file, [], { checkpointInBackground: true });
    try {
      expect(readModels.db.pragma('wal_autocheckpoint', { simple: true })).toBe(FALLBACK_AUTOCHECKPOINT_PAGES);
      fill(readModels);
      // 3,000 pages written: below the writer's own bound, so only the thread can have copied them.
      expect(await until(() => sizeOf(file) > 10 * 1024 * 1024, 5_000)).toBe(true);
      expect(readModels.db.prepare('SELECT COUNT(*) AS n FROM filler').get()).toEqual({ n: 3000 });
    } finally {
      readModels.close();
    }
  });

  it('leaves the copy to the writer without the option (the CLI and the tests)', async () => {
    const file = join(dir, 'readmodels.db');
    const readModels = new ReadModelDatabase(file, []);
    try {
      readModels.db.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
      fill(readModels);
      await new Promise((r) => setTimeout(r, 600));
      expect(sizeOf(file)).toBeLessThan(1024 * 1024);
      expect(sizeOf(`${file}-wal`)).toBeGreaterThan(10 * 1024 * 1024);
    } finally {
      readModels.close();
    }
  });

  it('keeps a process that has nothing else to do alive until its last checkpoint, then lets it exit', () => {
    const file = join(dir, 'readmodels.db');
    // A child process whose only work left is the shutdown: it must print after it, not exit before.
    const script = `
      const { ReadModelDatabase } = require(${JSON.stringify(join(__dirname, '..', '..', 'dist', 'src', 'projections', 'read-model-database.js'))});
      const readModels = new ReadModelDatabase(${JSON.stringify(file)}, [], { checkpointInBackground: true });
      readModels.db.exec('CREATE TABLE t (x)');
      readModels.shutdown().then(() => process.stdout.write('closed'));
    `;
    // The compiled module (test/global-setup.ts builds dist/ before the suites run).
    const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30_000 });
    expect(result.stdout).toBe('closed');
  });
});
