/**
 * bench:backup — `ledger backup` and `ledger restore` (with its verification) on a log of
 * BENCH_EVENTS events (default 100 000) and BENCH_KEYS wrapped sustainer keys (default 10 000),
 * first idle (in this process), then in a child process (as `ledger backup` runs beside the
 * service) with 8 writers in this process appending throughout. The last line printed is one
 * JSON object.
 */
import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, statSync } from 'node:fs';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { backupDataDir, restoreDataDir } from '../src/audit/backup/backup';
import { verifyLog } from '../src/audit/verify/verify-log';
import { EventMetadata } from '../src/event-store/envelope';
import { SqliteEventStore } from '../src/event-store/sqlite/sqlite-event-store';
import { SustainerKeyStore, checkKeyFile } from '../src/modules/sustainers/personal-data/key-store';
import { KeyEncryptionKey, sustainerKeyContext } from '../src/modules/sustainers/personal-data/key-wrap';
import { SystemClock } from '../src/shared/clock';
import { newId } from '../src/shared/ids';
import { log, runBench, scratchDir } from './bench-util';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const KEYS = Number(process.env.BENCH_KEYS ?? 10_000);
const BATCH = 100;
const metadata: EventMetadata = { actorId: 'bench', actorRole: 'steward', correlationId: newId(), causationId: newId() };
const data = (i: number) => ({ fundId: `fund-${i % 6}`, amountMinor: 1000 + (i % 977), currency: 'USD', memo: `movement ${i}` });

/** `backupDataDir` in a child process (the tool's way), so this process's writers keep appending. */
async function backupInChild(dataDir: string, target: string): Promise<{ logHead: number }> {
  const script = `require(${JSON.stringify(join(__dirname, '..', 'src', 'audit', 'backup', 'backup.js'))}).backupDataDir(process.argv[1], process.argv[2]).then((m) => process.stdout.write(JSON.stringify({ logHead: m.logHead })))`;
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', script, dataDir, target]);
  return JSON.parse(stdout) as { logHead: number };
}

async function main(): Promise<void> {
  const { dir, cleanup } = scratchDir('backup');
  const dataDir = join(dir, 'data');
  mkdirSync(dataDir);
  const clock = new SystemClock();
  const store = new SqliteEventStore({ file: join(dataDir, 'events.db'), clock, synchronous: 'NORMAL' });
  try {
    for (let i = 0; i < EVENTS; i += BATCH) {
      const events = Array.from({ length: Math.min(BATCH, EVENTS - i) }, (_, k) => ({ type: 'BenchEvent', schemaVersion: 1, data: data(i + k) }));
      await store.append(`bench-${i / BATCH}`, events, 'no_stream', metadata);
    }
    const kek = KeyEncryptionKey.fromText(KeyEncryptionKey.generateText());
    // The store makes the file (and records the KEK); the keys go in as it wraps them, in one transaction.
    new SustainerKeyStore(dataDir, kek).close();
    const keysDb = new Database(join(dataDir, 'keys.db'));
    const insert = keysDb.prepare('INSERT INTO sustainer_keys (sustainer_id, data_key) VALUES (?, ?)');
    keysDb.transaction(() => {
      for (let i = 0; i < KEYS; i++) insert.run(`sustainer-${i}`, kek.wrap(randomBytes(32), sustainerKeyContext(`sustainer-${i}`)));
    })();
    keysDb.close();
    const eventsBytes = statSync(join(dataDir, 'events.db')).size;

    let started = performance.now();
    const idle = await backupDataDir(dataDir, join(dir, 'idle'));
    const idleMs = performance.now() - started;

    // Under load: 8 writers appending 10-event batches for as long as the backup runs.
    let stop = false;
    let appended = 0;
    let stream = 0;
    const writers = Array.from({ length: 8 }, async () => {
      while (!stop) {
        await store.append(`load-${stream++}`, Array.from({ length: 10 }, (_, k) => ({ type: 'BenchEvent', schemaVersion: 1, data: data(k) })), 'no_stream', metadata);
        appended += 10;
      }
    });
    // The backup runs in its own process, as `ledger backup` does beside the service.
    started = performance.now();
    const loaded = await backupInChild(dataDir, join(dir, 'loaded'));
    const loadedMs = performance.now() - started;
    stop = true;
    await Promise.all(writers);

    started = performance.now();
    await restoreDataDir(join(dir, 'loaded'), join(dir, 'restored'), {
      verify: async (restored) => {
        const copy = new SqliteEventStore({ file: join(restored, 'events.db'), clock });
        try {
          const report = await verifyLog(copy.readAll(), { gapFreePositions: copy.positionsAreGapFree });
          const problems = report.ok ? [] : [String(report.firstProblem?.detail)];
          checkKeyFile(join(restored, 'keys.db'), kek);
          return problems;
        } finally {
          await copy.close();
        }
      },
    });
    const restoreMs = performance.now() - started;
    const result = {
      events: EVENTS,
      keys: KEYS,
      eventsDbMiB: Math.round((eventsBytes / 1048576) * 10) / 10,
      backupIdleMs: Math.round(idleMs),
      backupUnderLoadMs: Math.round(loadedMs),
      appendedDuringBackup: appended,
      loadedBackupLogHead: loaded.logHead,
      idleBackupLogHead: idle.logHead,
      restoreAndVerifyMs: Math.round(restoreMs),
    };
    log(`backup of ${EVENTS} events (${result.eventsDbMiB} MiB) and ${KEYS} keys: ${result.backupIdleMs} ms idle, ${result.backupUnderLoadMs} ms with ${appended} events appended meanwhile; restore with verification ${result.restoreAndVerifyMs} ms`);
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await store.close();
    cleanup();
  }
}

runBench(main);
