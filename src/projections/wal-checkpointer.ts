import { Worker } from 'node:worker_threads';

/** How often the thread checkpoints the WAL of the read models. */
const INTERVAL_MS = 250;
/**
 * The write connection still checkpoints by itself past this many WAL pages (about 64 MiB): a
 * bound on the WAL should the checkpointer thread be gone. SQLite's default is 1,000 pages.
 */
export const FALLBACK_AUTOCHECKPOINT_PAGES = 16_384;
/** The WAL file is truncated back to this size after a checkpoint that emptied it. */
export const JOURNAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;

/**
 * Checkpoints the read models' WAL (`readmodels.db`) from a thread of its own, on its own
 * connection, so the main thread's commits only append to the WAL. In WAL mode a commit writes
 * the transaction's pages to the WAL; every 1,000 pages the committing connection then copies
 * the WAL back into the database and fsyncs both (the checkpoint), inside that commit, on the
 * thread that serves requests. Profiled under bench:rebuild, those commits were a third of the
 * main thread's time. A PASSIVE checkpoint never blocks the writer or a reader: it copies what
 * no reader still needs, and the writer starts the WAL over once a checkpoint has copied it all.
 *
 * The thread is a few lines of plain JavaScript, evaluated (no module to find under jest or in
 * dist/); better-sqlite3 is required by its resolved path. Read models are derived: a crash
 * between a commit and its checkpoint loses nothing (the WAL is replayed on open).
 */
export class WalCheckpointer {
  private readonly worker: Worker;
  private stopped: Promise<void> | undefined;

  constructor(file: string, intervalMs = INTERVAL_MS) {
    const source = `
      const { parentPort, workerData } = require('node:worker_threads');
      const Database = require(${JSON.stringify(require.resolve('better-sqlite3'))});
      const db = new Database(workerData.file);
      db.pragma('busy_timeout = 1000');
      const timer = setInterval(() => {
        try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (error) { /* busy or closing: the next turn tries again */ }
      }, workerData.intervalMs);
      parentPort.on('message', () => { clearInterval(timer); try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {} db.close(); parentPort.close(); });
    `;
    this.worker = new Worker(source, { eval: true, workerData: { file, intervalMs } });
    // The thread must not keep the process alive, nor take it down: the fallback bound holds without it.
    this.worker.unref();
    this.worker.on('error', () => undefined);
  }

  /** Stops the thread after a last checkpoint; resolves once its connection is closed. */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
      // Held now: a process with nothing else left to do must wait for the last checkpoint (at most 2 s), not exit mid-await.
      this.worker.ref();
      this.worker.postMessage('stop');
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, 2_000)));
      await Promise.race([exited, timeout]);
      clearTimeout(timer);
      await this.worker.terminate().catch(() => undefined);
    })();
    return this.stopped;
  }
}
