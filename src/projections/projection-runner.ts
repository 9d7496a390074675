import type Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import type { RecordedEvent } from '../event-store/envelope';
import type { EventStore } from '../event-store/event-store.port';
import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store';
import { isSqliteStorageFault } from '../event-store/store-unavailable';
import { sleepUnlessAborted } from '../shared/sleep';
import type { Projection, StuckAt } from './projection';
import type { ReadModelDatabase } from './read-model-database';
import { RebuildThread, type RebuildThreadData, type ThreadModules } from './rebuild-thread';

export type { StuckAt } from './projection';

export interface ProjectionState {
  readonly name: string;
  readonly version: number;
  /** The projection's checkpoint: every event up to here is applied. */
  readonly position: number;
  readonly stuck?: StuckAt;
}

/** A catch-up from behind the log (an empty or old `readmodels.db`) in progress. */
export interface Rebuild {
  /** The log's head when the runner started: reads are refused until every projection has it. */
  readonly target: number;
  readonly position: number;
  readonly startedAt: string;
  /** Events applied per second so far, and the seconds left at that pace. */
  readonly eventsPerSecond: number;
  readonly etaSeconds?: number;
}

export interface RunnerStatus {
  /** The runner follows the log (false before start, after stop, and while it retries a fault). */
  readonly running: boolean;
  /** Set while the read models catch up with the log as it was at start. */
  readonly rebuilding?: Rebuild;
  /** Every healthy projection has applied the log up to here. */
  readonly position: number;
  /** Why the runner is not following the log right now (a read-model or store fault). */
  readonly error?: string;
  readonly projections: readonly ProjectionState[];
}

interface Waiter {
  readonly position: number;
  readonly resolve: (reached: boolean) => void;
  readonly timer: NodeJS.Timeout;
}

/** Events applied in one read-model transaction at most, or in one step of a long one. */
const MAX_BATCH = 500;
/**
 * A catch-up this far behind (a rebuild, or the CLI after a long pause) keeps one transaction
 * open over many batches, with a turn of the event loop between them, and commits it after
 * `LONG_TRANSACTION_EVENTS` events or `LONG_TRANSACTION_MS`, whichever comes first, and at the
 * end. Every commit writes each page the transaction dirtied to the WAL, and the indexes keyed by
 * account or fund are dirtied all over in every batch: measured on a 200,810-event log, one
 * commit per 500 events wrote about 8 pages per event; far fewer commits write each page once.
 * The time bound keeps the write lock short for another connection (the CLI catching up, a
 * second process), which waits for it up to its busy timeout.
 */
// Counted in log positions: on KurrentDB, whose positions are commit offsets, they are reached sooner.
const LONG_BACKLOG = 5_000;
const LONG_TRANSACTION_EVENTS = 20_000;
const LONG_TRANSACTION_MS = 1_000;
/** Events the main thread sends the rebuild thread at a time; the thread applies each as one batch. */
const THREAD_BATCH = 2_000;
/** After a fault (disk full, I/O), the runner tries again after this long, doubling up to the maximum. */
const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 30_000;

/** The projection threw on this event; the error is the projection's own. */
class ProjectionFailure extends Error {
  constructor(
    readonly event: RecordedEvent,
    readonly reason: unknown,
  ) {
    super(reason instanceof Error ? reason.message : String(reason));
  }
}

/**
 * Follows the global log from the lowest checkpoint and applies each event to every projection
 * that has not seen it, moving each checkpoint in the same transaction as its rows. A crash
 * between two batches loses nothing and applies nothing twice.
 *
 * A projection that throws is a bug in that projection: its work is rolled back up to the event
 * that failed, its checkpoint stays just before that event (nothing is skipped), and it is marked
 * stuck there. The others go on following the log, and read-your-writes waits count only them. A
 * stuck projection is tried again on the next start; a fixed one (its `version` bumped) is
 * rebuilt from position 0.
 *
 * A batch is applied to every projection without a savepoint each: a savepoint makes SQLite copy
 * each page it is the first to change to a sub-journal (a file), which on a batch of one gift
 * is most of the pages the batch changes. Should a projection throw, the batch is rolled back
 * (its transaction, or its savepoint in a long one) and applied again the careful way: each
 * projection in a savepoint of its own, so the one that throws is rolled back alone.
 *
 * A storage fault (the read-model disk is full, an I/O error) is not a projection's fault: the
 * whole batch is rolled back and the runner tries again later from where it was.
 */
export class ProjectionRunner {
  private position = 0;
  private pending: RecordedEvent[] = [];
  private flushScheduled = false;
  private waiters: Waiter[] = [];
  private abort?: AbortController;
  private stopping?: AbortController;
  private loop?: Promise<void>;
  /** The fault the runner is retrying after, if any. */
  private failure?: Error;
  /** The last fault reported through onError: the same fault, retried, is reported once. */
  private reported?: string;
  /** A batch was applied since the last fault: the next fault starts the backoff afresh. */
  private appliedSinceFault = false;
  private readonly stuck = new Map<string, StuckAt>();
  /** The catch-up at start, until the read models have the log's head of that moment. */
  private rebuild?: { target: number; from: number; startedAt: Date; applied?: number };
  /** Projections found stuck in the batch being applied; they count once it commits. */
  private stuckInBatch = new Map<string, { at: StuckAt; error: Error }>();
  /** The long transaction of a catch-up far behind, while it is open: when it began, its last event. */
  private long?: { readonly since: number; last: RecordedEvent };
  /** The position a long catch-up goes to: until it is reached, batches join one transaction. */
  private longUntil = 0;
  /** Applies a batch to every projection, no savepoint each: a projection that throws throws a ProjectionFailure out. */
  private readonly applyBatch: Database.Transaction<(events: readonly RecordedEvent[]) => void>;
  /** Applies a batch with each projection in a savepoint: one that throws is rolled back and marked stuck. */
  private readonly applyCarefully: Database.Transaction<(events: readonly RecordedEvent[]) => void>;
  private readonly saveCheckpoint: Database.Statement<[number, string]>;
  private readonly readCheckpoint: Database.Statement<[string], { position: number }>;
  private readonly readCheckpoints: Database.Statement<[], { name: string; position: number }>;
  private readonly saveOrigin: Database.Statement<[number, string]>;

  constructor(
    private readonly store: EventStore,
    private readonly readModels: ReadModelDatabase,
    private readonly onError: (error: Error) => void = () => undefined,
    private readonly now: () => Date = () => new Date(),
    /** Projections read every event at its current shape (see EventCatalogue.upcast). */
    private readonly upcast: (event: RecordedEvent) => RecordedEvent = (event) => event,
    private readonly options: {
      /**
       * Where a thread finds the same projections (and the catalogue that upcasts for them): a
       * catch-up far behind at start (a rebuild) is then applied by a thread of its own (see
       * rebuild-worker.ts), so its transactions and commits never hold up this thread's requests.
       * On the embedded log, with the catalogue, the thread reads the log itself; otherwise this
       * thread reads it and sends it the events. Should the thread fail, this thread goes on
       * from the last commit as without it.
       */
      readonly rebuildThread?: ThreadModules;
    } = {},
  ) {
    this.position = this.lowestCheckpoint();
    const db = readModels.db;
    this.saveCheckpoint = db.prepare('UPDATE projection_checkpoints SET position = ? WHERE name = ?');
    this.readCheckpoint = db.prepare('SELECT position FROM projection_checkpoints WHERE name = ?');
    this.readCheckpoints = db.prepare('SELECT name, position FROM projection_checkpoints');
    this.saveOrigin = db.prepare(
      'INSERT INTO read_model_origin (id, position, event_id) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET position = excluded.position, event_id = excluded.event_id',
    );
    const applyAll = (events: readonly RecordedEvent[], careful: boolean) => {
      for (const projection of readModels.projections) {
        // One found stuck earlier in an open long transaction counts as stuck already.
        if (!this.stuck.has(projection.name) && !this.stuckInBatch.has(projection.name)) this.applyTo(projection, events, db, careful);
      }
      const last = events[events.length - 1];
      this.saveOrigin.run(last.globalPosition, last.eventId);
      // A batch of its own is as far as the runner goes: tables built from position 0 that have
      // caught up get their query indexes with it (a long catch-up makes them in its last commit).
      if (!this.long && readModels.indexesDeferred) readModels.createDeferredIndexes();
    };
    this.applyBatch = db.transaction((events: readonly RecordedEvent[]) => applyAll(events, false));
    this.applyCarefully = db.transaction((events: readonly RecordedEvent[]) => applyAll(events, true));
  }

  private applyTo(projection: Projection, events: readonly RecordedEvent[], db: Database.Database, careful: boolean): void {
    // The checkpoint is read inside the write transaction, not taken from memory: another process
    // (the CLI catching up, a second runner) may have moved it, and nothing may be applied twice.
    const seen = this.readCheckpoint.get(projection.name)?.position ?? 0;
    const last = events[events.length - 1].globalPosition;
    if (seen >= last) return;
    const fresh = seen < events[0].globalPosition ? events : events.filter((event) => event.globalPosition > seen);
    if (!careful) {
      try {
        this.applyEvents(projection, fresh, db);
      } catch (error) {
        // A storage fault is the runner's (see flush); a projection's own is applied again carefully.
        throw error instanceof ProjectionFailure && isSqliteStorageFault(error.reason) ? error.reason : error;
      }
      this.saveCheckpoint.run(last, projection.name);
      return;
    }
    db.exec('SAVEPOINT projection');
    try {
      this.applyEvents(projection, fresh, db);
      this.saveCheckpoint.run(last, projection.name);
      db.exec('RELEASE projection');
    } catch (error) {
      // A full disk or an I/O error may have ended the transaction: then the batch fails whole.
      if (!db.inTransaction || !(error instanceof ProjectionFailure) || isSqliteStorageFault(error.reason)) {
        throw error instanceof ProjectionFailure ? error.reason : error;
      }
      db.exec('ROLLBACK TO projection');
      db.exec('RELEASE projection');
      this.markStuck(projection, fresh, error, db);
    }
  }

  private applyEvents(projection: Projection, events: readonly RecordedEvent[], db: Database.Database): void {
    projection.batch?.begin(db);
    try {
      for (const event of events) {
        try {
          projection.apply(db, event);
        } catch (error) {
          throw new ProjectionFailure(event, error);
        }
      }
      try {
        projection.batch?.end(db);
      } catch (error) {
        // Writing what the batch added up failed: it is stuck at the batch's last event (the
        // events before it are applied again alone, see markStuck), or a storage fault.
        throw new ProjectionFailure(events[events.length - 1], error);
      }
    } catch (error) {
      projection.batch?.abandon(db);
      throw error;
    }
  }

  /**
   * Keeps what the projection applied before the failing event (applied again: projections are
   * deterministic), so its checkpoint is exactly the position before it.
   */
  private markStuck(projection: Projection, events: readonly RecordedEvent[], failure: ProjectionFailure, db: Database.Database): void {
    const failed = failure.event;
    const before = events.filter((event) => event.globalPosition < failed.globalPosition);
    if (before.length > 0) {
      db.exec('SAVEPOINT projection');
      try {
        this.applyEvents(projection, before, db);
        this.saveCheckpoint.run(before[before.length - 1].globalPosition, projection.name);
        db.exec('RELEASE projection');
      } catch (error) {
        if (!db.inTransaction) throw error instanceof ProjectionFailure ? error.reason : error;
        // Not deterministic after all: leave its checkpoint where the batch found it.
        db.exec('ROLLBACK TO projection');
        db.exec('RELEASE projection');
      }
    }
    const stuck: StuckAt = {
      position: failed.globalPosition,
      eventId: failed.eventId,
      type: failed.type,
      error: failure.message,
      since: this.now().toISOString(),
    };
    const cause = failure.reason instanceof Error ? failure.reason : new Error(failure.message);
    const where = `projection ${projection.name} is stuck at position ${stuck.position} (${stuck.type} ${stuck.eventId})`;
    const error = Object.assign(new Error(`${where}: ${failure.message}`), { stack: `${where}\n${cause.stack ?? cause.message}` });
    this.stuckInBatch.set(projection.name, { at: stuck, error });
  }

  private lowestCheckpoint(): number {
    const stored = new Map(this.readModels.checkpoints().map((c) => [c.name, c.position]));
    return Math.min(...this.readModels.projections.map((p) => stored.get(p.name) ?? 0));
  }

  /**
   * Follows the log from the lowest checkpoint. `target` is the log's head now: until every
   * projection has it, the runner reports a rebuild (readiness and the rebuild gate refuse
   * reads meanwhile), and it gives the event loop a turn after every batch, so the port is
   * bound and `/health/live` answers throughout a long catch-up.
   */
  start(target?: number): void {
    if (this.loop) return;
    this.failure = undefined;
    this.pending = [];
    this.stopping = new AbortController();
    const stopping = this.stopping.signal;
    if (target !== undefined && target > this.position) this.rebuild = { target, from: this.position, startedAt: this.now() };
    if (target !== undefined) this.goLongUntil(target);
    this.loop = (async () => {
      try {
        await this.alignWithLog(target);
      } catch (error) {
        // The store cannot be read yet: the loop below meets the same fault and retries.
        this.onError(error instanceof Error ? error : new Error(String(error)));
      }
      const thread = this.options.rebuildThread;
      if (thread && this.longUntil > this.position && !stopping.aborted && isFile(this.readModels.file)) await this.catchUpInThread(thread, stopping);
      try {
        this.makeDeferredIndexes();
      } catch (error) {
        // A storage fault: the next batch makes them (see applyAll).
        this.onError(error instanceof Error ? error : new Error(String(error)));
      }
      let retryMs = RETRY_MIN_MS;
      while (!stopping.aborted) {
        this.abort = new AbortController();
        const signal = AbortSignal.any([this.abort.signal, stopping]);
        try {
          for await (const event of this.store.subscribeToAll({ after: this.position, signal })) {
            if (this.failure) break;
            this.pending.push(this.upcast(event));
            if (this.pending.length >= MAX_BATCH) {
              this.flush();
              // Reading a page of the log and applying it never waits on I/O: without a turn
              // of the event loop here, a catch-up would keep every request (and the port's
              // binding) waiting until it reached the head.
              await new Promise((resolve) => setImmediate(resolve));
            } else this.scheduleFlush();
          }
          if (!this.failure) this.flush();
        } catch (error) {
          // Stopped while a long transaction was open: what it holds is kept (settle, below).
          if (!stopping.aborted || this.failure) this.fail(error);
          else if (!(error instanceof Error && error.name === 'AbortError')) this.onError(error instanceof Error ? error : new Error(String(error)));
        }
        if (!this.failure || stopping.aborted) {
          this.settle();
          break;
        }
        // Start again from the last position applied: whatever was pending is read again.
        if (this.appliedSinceFault) retryMs = RETRY_MIN_MS;
        this.appliedSinceFault = false;
        await sleepUnlessAborted(retryMs, stopping);
        retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
        this.pending = [];
        this.failure = undefined;
      }
    })();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // Events that arrive in the same turn of the event loop share one transaction.
    setImmediate(() => {
      this.flushScheduled = false;
      try {
        this.flush();
      } catch (error) {
        this.fail(error);
      }
    });
  }

  /** A catch-up to `target` from this far behind runs in long transactions (see LONG_BACKLOG). */
  private goLongUntil(target: number): void {
    if (target - this.position >= LONG_BACKLOG) this.longUntil = Math.max(this.longUntil, target);
  }

  private flush(): void {
    if (this.pending.length === 0 || this.failure || !this.readModels.db.open) return;
    const batch = this.pending;
    this.pending = [];
    const last = batch[batch.length - 1];
    const db = this.readModels.db;
    if (!this.long && last.globalPosition < this.longUntil) {
      db.exec('BEGIN IMMEDIATE');
      this.long = { since: performance.now(), last };
    }
    if (!this.long) this.stuckInBatch = new Map();
    try {
      this.applyOrRetryCarefully(batch);
    } catch (error) {
      this.rollbackLong();
      // Only a committed batch makes a projection stuck: a rolled-back one is applied again.
      this.stuckInBatch = new Map();
      throw error;
    }
    if (!this.long) return this.committed(last);
    this.long.last = last;
    const full = last.globalPosition - this.position >= LONG_TRANSACTION_EVENTS || performance.now() - this.long.since >= LONG_TRANSACTION_MS;
    if (full || last.globalPosition >= this.longUntil) this.commitLong();
  }

  /**
   * Applies a batch in a transaction of its own, or inside the long one as a savepoint of it (a
   * fault rolls back both). A projection that throws rolls back the batch alone, which is then
   * applied again the careful way, each projection in a savepoint of its own.
   */
  private applyOrRetryCarefully(batch: readonly RecordedEvent[]): void {
    const inLong = this.long !== undefined;
    try {
      if (inLong) this.applyBatch(batch);
      else this.applyBatch.immediate(batch);
    } catch (error) {
      if (!(error instanceof ProjectionFailure) || (inLong && !this.readModels.db.inTransaction)) throw error;
      if (inLong) this.applyCarefully(batch);
      else this.applyCarefully.immediate(batch);
    }
  }

  /** Commits the open long transaction, if any; a fault rolls it back and is thrown. */
  private commitLong(): void {
    const open = this.long;
    if (!open) return;
    try {
      if (open.last.globalPosition >= this.longUntil && this.readModels.indexesDeferred) this.readModels.createDeferredIndexes();
      this.readModels.db.exec('COMMIT');
    } catch (error) {
      this.rollbackLong();
      throw error;
    }
    this.long = undefined;
    if (open.last.globalPosition >= this.longUntil) this.longUntil = 0;
    this.committed(open.last);
  }

  /** Rolls the open long transaction back, if any; what was found stuck in it counts no more. */
  private rollbackLong(): void {
    if (!this.long) return;
    this.long = undefined;
    this.stuckInBatch = new Map();
    const db = this.readModels.db;
    try {
      if (db.open && db.inTransaction) db.exec('ROLLBACK');
    } catch {
      // The connection ended the transaction itself (a storage fault): nothing of it was kept.
    }
  }

  /** Bookkeeping once the events up to `last` are committed: stuck projections, position, waiters. */
  private committed(last: RecordedEvent): void {
    for (const [name, { at, error }] of this.stuckInBatch) {
      this.stuck.set(name, at);
      this.onError(error);
    }
    this.stuckInBatch = new Map();
    this.reported = undefined;
    this.appliedSinceFault = true;
    if (this.readModels.indexesDeferred) this.readModels.findDeferredIndexes();
    this.advance(last.globalPosition);
  }

  /**
   * Makes the query indexes still deferred now, in a transaction of their own, when no catch-up
   * is ahead to make them in its last commit (tables at the head without them: a new index, or
   * an empty log). Another connection (the rebuild thread) may have made them already.
   */
  private makeDeferredIndexes(): void {
    const { readModels } = this;
    if (!readModels.db.open) return;
    readModels.findDeferredIndexes();
    if (!readModels.indexesDeferred || this.longUntil > this.position) return;
    readModels.db.transaction(() => readModels.createDeferredIndexes()).immediate();
    readModels.findDeferredIndexes();
  }

  private advance(position: number): void {
    this.position = position;
    if (this.rebuild && this.position >= this.rebuild.target) this.rebuild = undefined;
    this.releaseWaiters();
  }

  /**
   * The catch-up to `longUntil` through the rebuild thread: the thread reads the embedded log
   * itself, or this thread reads any other and sends it batches; this thread takes its reports
   * (commits, stuck projections) as its own. On the embedded log, when the read models named
   * `apart` are all at position 0 and others are behind too (a rebuild), a second thread applies
   * those into a scratch file of its own meanwhile and copies them in once the first is done (see
   * rebuild-worker.ts): this thread's position is the lower of what the two have committed in
   * the read models' file, its progress the lower of what they have applied. Returns when the
   * threads have committed all of it and exited, when stopped (each commits what it holds first;
   * a scratch file not copied yet is dropped, its read models start again from 0), or when a
   * thread or the log failed: the loop then goes on from the last commit.
   */
  private async catchUpInThread(modules: ThreadModules, stopping: AbortSignal): Promise<void> {
    const until = this.longUntil;
    const logFile = this.store instanceof SqliteEventStore && modules.catalogue ? this.store.file : undefined;
    const expect = this.readModels.projections.map(({ name, version }) => ({ name, version }));
    const file = this.readModels.file;
    const scratch = `${file}.rebuild-apart`;
    // A scratch file left by a stop or crash is never gone on from: its read models start again at 0.
    const apart = logFile && removeFiles(scratch) ? this.rebuiltApart(modules.apart ?? [], until) : [];
    const rest = this.readModels.projections.map(({ name }) => name).filter((name) => !apart.includes(name));
    const parts: Array<Pick<RebuildThreadData, 'only' | 'scratch'>> = apart.length > 0 ? [{ only: rest }, { only: apart, scratch }] : [{}];
    const committed = parts.map(() => this.position);
    const applied = parts.map(() => this.position);
    const threads: RebuildThread[] = [];
    try {
      for (const [i, part] of parts.entries()) {
        threads.push(
          new RebuildThread({ file, modules, expect, until, ...(logFile ? { logFile } : {}), ...part }, (report) => {
            if (report.kind === 'failed') return;
            for (const [name, at] of report.stuck) this.stuck.set(name, at);
            for (const { message, stack } of report.errors) this.onError(Object.assign(new Error(message), { stack }));
            // A thread apart has its last event applied once its tables are copied in: until then
            // the progress stays short of the target, as the read models are not there yet.
            applied[i] = Math.max(applied[i], part.scratch && report.kind !== 'done' ? Math.min(report.position, until - 1) : report.position);
            if (!part.scratch || report.kind === 'done') committed[i] = report.position;
            if (this.rebuild) this.rebuild.applied = Math.min(...applied);
            const position = Math.min(...committed);
            if (position > this.position) this.advance(position);
          }),
        );
      }
    } catch (error) {
      for (const thread of threads) await thread.end();
      this.onError(new Error(`the rebuild thread could not start (${error instanceof Error ? error.message : String(error)}); the read models are rebuilt on the main thread`));
      return;
    }
    try {
      if (!logFile) await this.feed(threads[0], until, stopping);
      else {
        // The scratch file's thread copies its tables once the other no longer writes the file.
        const [first, second] = threads;
        if (second) void first.finished.then(() => second.copy());
        await Promise.all(threads.map((thread) => untilFinishedOrStopped(thread, stopping)));
      }
    } catch (error) {
      // Reading the log or sending it failed: the thread commits what it holds and this thread goes on.
      this.onError(new Error(`the rebuild could not feed its thread (${error instanceof Error ? error.message : String(error)}); the read models go on from the last commit on the main thread`));
    } finally {
      await Promise.all(threads.map((thread) => thread.end()));
    }
    for (const thread of threads) {
      if (thread.fault) this.onError(Object.assign(new Error(`${thread.fault.message}; the read models go on from position ${this.position} on the main thread`), { stack: thread.fault.stack }));
    }
    if (this.position >= until) this.longUntil = 0;
  }

  /**
   * The read models of `names` a second rebuild thread may build apart: all at position 0, with
   * others behind `until` as well (otherwise one thread does the same work without the copy).
   */
  private rebuiltApart(names: readonly string[], until: number): string[] {
    const positions = new Map(this.readCheckpoints.all().map(({ name, position }) => [name, position]));
    const apart = this.readModels.projections.filter(({ name }) => names.includes(name)).map(({ name }) => name);
    if (apart.length === 0 || apart.some((name) => (positions.get(name) ?? 0) > 0)) return [];
    const othersBehind = this.readModels.projections.some(({ name }) => !apart.includes(name) && (positions.get(name) ?? 0) < until);
    return othersBehind ? apart : [];
  }

  /** Reads the log up to `until` and sends it to the thread in batches, as far as it takes them. */
  private async feed(thread: RebuildThread, until: number, stopping: AbortSignal): Promise<void> {
    let batch: RecordedEvent[] = [];
    for await (const event of this.store.readAll({ after: this.position })) {
      if (event.globalPosition > until || stopping.aborted || thread.gone) break;
      batch.push(this.upcast(event));
      if (batch.length < THREAD_BATCH) continue;
      await thread.send(batch);
      batch = [];
      // Reading the log may never wait on I/O (SQLite): requests get a turn between batches.
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (batch.length > 0 && !stopping.aborted) await thread.send(batch);
  }

  /** The rebuild thread's side: applies a batch (the main thread's or its own read), in long transactions up to `until`. */
  applyFed(events: readonly RecordedEvent[], until: number): void {
    this.longUntil = Math.max(this.longUntil, until);
    this.pending = [...events];
    this.flush();
  }

  /** The rebuild thread's side: commits what the open long transaction holds. */
  finishFed(): void {
    this.commitLong();
    this.longUntil = 0;
  }

  private fail(error: unknown): void {
    // A fault of the storage, not of a projection: stop following, and start again later.
    this.failure = error instanceof Error ? error : new Error(String(error));
    this.rollbackLong();
    this.stuckInBatch = new Map();
    this.pending = [];
    this.abort?.abort();
    if (this.reported !== this.failure.message) this.onError(this.failure);
    this.reported = this.failure.message;
  }

  private releaseWaiters(): void {
    const still: Waiter[] = [];
    for (const waiter of this.waiters) {
      if (waiter.position <= this.position) {
        clearTimeout(waiter.timer);
        waiter.resolve(true);
      } else {
        still.push(waiter);
      }
    }
    this.waiters = still;
  }

  /**
   * Resolves true once every healthy projection has applied `position`, or false after the
   * timeout. A stuck projection is not waited for: it would make every command wait in vain.
   */
  waitFor(position: number, timeoutMs: number): Promise<boolean> {
    if (position <= this.position) return Promise.resolve(true);
    if (timeoutMs <= 0) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.timer !== timer);
        resolve(false);
      }, timeoutMs);
      this.waiters.push({ position, resolve, timer });
    });
  }

  /** The names of the projections that are stuck; their tables are behind the log. */
  stuckProjections(): ReadonlyMap<string, StuckAt> {
    return this.stuck;
  }

  /** The position every healthy projection has applied: cheap (no read), for answers on the hot path. */
  appliedPosition(): number {
    return this.position;
  }

  status(): RunnerStatus {
    const checkpoints = new Map(this.readModels.db.open ? this.readCheckpoints.all().map((c) => [c.name, c.position]) : []);
    const projections = this.readModels.projections.map((p): ProjectionState => {
      const stuck = this.stuck.get(p.name);
      return {
        name: p.name,
        version: p.version,
        position: checkpoints.get(p.name) ?? 0,
        ...(stuck ? { stuck } : {}),
      };
    });
    const rebuilding = this.rebuilding();
    return {
      running: this.loop !== undefined && !this.failure && !this.stopping?.signal.aborted,
      ...(rebuilding ? { rebuilding } : {}),
      position: this.position,
      ...(this.failure ? { error: this.failure.message } : {}),
      projections,
    };
  }

  /** The catch-up at start while it runs: how far it is and how fast it goes. Cheap (no read). */
  rebuilding(): Rebuild | undefined {
    const rebuild = this.rebuild;
    if (!rebuild) return undefined;
    const seconds = (this.now().getTime() - rebuild.startedAt.getTime()) / 1000;
    // Two rebuild threads: what both have applied, the one building apart not yet copied in.
    const position = Math.max(this.position, rebuild.applied ?? 0);
    const done = position - rebuild.from;
    const eventsPerSecond = seconds > 0 ? Math.round(done / seconds) : 0;
    return {
      target: rebuild.target,
      position,
      startedAt: rebuild.startedAt.toISOString(),
      eventsPerSecond,
      ...(eventsPerSecond > 0 ? { etaSeconds: Math.ceil((rebuild.target - position) / eventsPerSecond) } : {}),
    };
  }

  /**
   * Read models that are not of this log (their last event is not the log's event at that
   * position, or lies beyond its head: an older `events.db` restored beside them) are dropped
   * and rebuilt from position 0, never trusted.
   */
  private async alignWithLog(target?: number): Promise<void> {
    const origin = this.readModels.origin();
    if (!origin) return;
    let found: RecordedEvent | undefined;
    for await (const event of this.store.readAll({ after: origin.position - 1, maxCount: 1 })) found = event;
    if (found?.globalPosition === origin.position && found.eventId === origin.eventId) return;
    this.onError(
      new Error(
        `the read models were built from another log (their last event ${origin.eventId} at position ${origin.position} is not in this one): rebuilding them from position 0`,
      ),
    );
    this.readModels.resetAll();
    this.position = 0;
    this.stuck.clear();
    const head = target ?? (await this.store.headPosition());
    this.rebuild = head > 0 ? { target: head, from: 0, startedAt: this.now() } : undefined;
    this.goLongUntil(head);
  }

  /** Commits what a long transaction holds when the runner stops following (stopped, or caught up in catchUp). */
  private settle(): void {
    try {
      this.commitLong();
    } catch (error) {
      this.onError(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /** Applies everything up to the current head, then returns; for the CLI and tests. */
  async catchUp(upTo?: number): Promise<number> {
    await this.alignWithLog();
    const target = upTo ?? (await this.store.headPosition());
    this.goLongUntil(target);
    try {
      for await (const event of this.store.readAll({ after: this.position })) {
        if (event.globalPosition > target) break;
        this.pending.push(this.upcast(event));
        if (this.pending.length >= MAX_BATCH) this.flush();
      }
      this.flush();
      this.commitLong();
    } finally {
      this.rollbackLong();
      this.longUntil = 0;
    }
    this.makeDeferredIndexes();
    return this.position;
  }

  async stop(): Promise<void> {
    this.stopping?.abort();
    this.abort?.abort();
    await this.loop;
    this.loop = undefined;
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.resolve(false);
    }
    this.waiters = [];
  }
}

/** A database file another connection can open (not `:memory:`, not a temporary database). */
function isFile(file: string): boolean {
  return file !== '' && file !== ':memory:';
}

/** Removes an SQLite file and its WAL and shared-memory files; false if it could not. */
export function removeFiles(file: string): boolean {
  try {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
    return true;
  } catch {
    return false;
  }
}

/** Resolves when the thread has exited, or at a stop (the caller then asks it to end). */
function untilFinishedOrStopped(thread: RebuildThread, stopping: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    void thread.finished.then(resolve);
    if (stopping.aborted) resolve();
    else stopping.addEventListener('abort', () => resolve(), { once: true });
  });
}
