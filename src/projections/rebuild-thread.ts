import { extname, join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { RecordedEvent } from '../event-store/envelope';
import { startWorkerModule } from '../event-store/sqlite/sqlite-writer';
import type { StuckAt } from './projection';

/** Where a thread finds the runner's read models and the catalogue that upcasts events for them. */
export interface ThreadModules {
  /** A module exporting `projections`: the same list as the runner's on the main thread. */
  readonly projections: string;
  /** A module and the name of its function returning the event catalogue (its `upcast`). */
  readonly catalogue?: { readonly module: string; readonly exportName: string };
  /**
   * Read models a rebuild from position 0 on the embedded log applies in a second thread, into a
   * file of their own, copied into the read models' file in one transaction once they have the
   * log's head (see ProjectionRunner's catchUpInThread): both cores work on a rebuild. Each must
   * read and write only its own tables (the file holds no other).
   */
  readonly apart?: readonly string[];
}

/** What the rebuild thread is started with (see rebuild-worker.ts). */
export interface RebuildThreadData {
  /** The read models' SQLite file. */
  readonly file: string;
  readonly modules: ThreadModules;
  /** The runner's read models, by name and version: the thread refuses to build any other list. */
  readonly expect: ReadonlyArray<{ readonly name: string; readonly version: number }>;
  /** The position the catch-up goes to: its batches join long transactions until it. */
  readonly until: number;
  /** The names of the read models this thread applies (by default all of them). */
  readonly only?: readonly string[];
  /**
   * A file of the thread's own (deleted first by the main thread): the thread applies its read
   * models there, and once it has `until` copies their tables and checkpoints into `file` in one
   * transaction, then deletes it. Its read models' checkpoints in `file` must be 0, their tables
   * empty; a thread stopped before `until` copies nothing.
   */
  readonly scratch?: string;
  /**
   * The embedded log's file: the thread reads it itself (upcasting with the catalogue), and the
   * main thread only takes its reports. Without it, the main thread reads and sends the events.
   */
  readonly logFile?: string;
}

/**
 * `copy`: a thread with a scratch file copies its tables into the read models' file once it has
 * `until` (sent when no other thread writes that file any more); `end`: commit and exit.
 */
export type RebuildThreadTask = { readonly kind: 'events'; readonly events: readonly RecordedEvent[] } | { readonly kind: 'copy' } | { readonly kind: 'end' };

export type RebuildThreadReport =
  | {
      /** `applied` after each batch; `done` once the last transaction is committed (and copied), before the thread exits. */
      readonly kind: 'applied' | 'done';
      /**
       * Every healthy projection of the thread has this position committed: in its scratch file
       * for `applied` from a thread with one; for `done`, in the read models' file (0 for a
       * thread with a scratch file stopped before it copied its tables).
       */
      readonly position: number;
      readonly stuck: ReadonlyArray<readonly [name: string, at: StuckAt]>;
      /** What the thread's runner reported since the last report (a projection found stuck). */
      readonly errors: ReadonlyArray<{ readonly message: string; readonly stack?: string }>;
    }
  | { readonly kind: 'failed'; readonly message: string; readonly stack?: string };

/**
 * The thread's heap: a small young generation (V8 would grow it to 32 MB; on a 200,810-event
 * rebuild the service peaked at 530-670 MB with the defaults, 440-540 MB with this), and an old
 * generation capped well above what it holds (the batch being applied, the prepared statements,
 * the catalogue's compiled schemas): a thread that ran out of it would exit, and the main thread
 * would go on without it.
 */
const THREAD_HEAP = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 128 };

/** Batches sent to the thread and not yet applied, at most: what the main thread reads ahead. */
const MAX_IN_FLIGHT = 2;

/**
 * The main thread's end of the rebuild thread: hands each report to `onReport`, and when the
 * thread does not read the log itself, sends it batches of events, at most MAX_IN_FLIGHT ahead of
 * what it has applied.
 */
export class RebuildThread {
  private readonly worker: Worker;
  private inFlight = 0;
  private wake?: () => void;
  private exited = false;
  private failure?: Error;
  readonly finished: Promise<void>;

  constructor(data: RebuildThreadData, onReport: (report: RebuildThreadReport) => void) {
    this.worker = startWorkerModule(join(__dirname, `rebuild-worker${extname(__filename)}`), data, THREAD_HEAP);
    this.worker.on('message', (report: RebuildThreadReport) => {
      if (report.kind === 'failed') this.failure = Object.assign(new Error(`the rebuild thread failed: ${report.message}`), { stack: report.stack });
      else if (report.kind === 'applied' && this.inFlight > 0) this.inFlight--;
      onReport(report);
      this.wake?.();
    });
    this.worker.on('error', (error) => {
      this.failure ??= error;
    });
    this.finished = new Promise<void>((resolve) =>
      this.worker.once('exit', (code) => {
        this.exited = true;
        if (code !== 0) this.failure ??= new Error(`the rebuild thread exited with code ${code}`);
        this.wake?.();
        resolve();
      }),
    );
  }

  /** Why the thread stopped before its work was done, if it did. */
  get fault(): Error | undefined {
    return this.failure;
  }

  /** The thread can take no more batches (it failed or exited). */
  get gone(): boolean {
    return this.exited || this.failure !== undefined;
  }

  /** Sends a batch; resolves once the thread has room for the next one (or is gone). */
  async send(events: readonly RecordedEvent[]): Promise<void> {
    if (this.gone) return;
    this.inFlight++;
    this.worker.postMessage({ kind: 'events', events } satisfies RebuildThreadTask);
    while (this.inFlight >= MAX_IN_FLIGHT && !this.gone) await new Promise<void>((resolve) => (this.wake = resolve));
  }

  /** Lets a thread with a scratch file copy its tables into the read models' file once it has `until`. */
  copy(): void {
    if (!this.exited) this.worker.postMessage({ kind: 'copy' } satisfies RebuildThreadTask);
  }

  /** Asks the thread to commit what it holds and exit; resolves when it has. */
  async end(): Promise<void> {
    if (!this.exited) this.worker.postMessage({ kind: 'end' } satisfies RebuildThreadTask);
    await this.finished;
  }
}
