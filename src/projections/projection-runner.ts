import type Database from 'better-sqlite3';
import type { RecordedEvent } from '../event-store/envelope';
import type { EventStore } from '../event-store/event-store.port';
import type { Projection } from './projection';
import type { ReadModelDatabase } from './read-model-database';

export interface RunnerStatus {
  readonly running: boolean;
  readonly position: number;
  readonly error?: string;
}

interface Waiter {
  readonly position: number;
  readonly resolve: (reached: boolean) => void;
  readonly timer: NodeJS.Timeout;
}

/** Events applied in one read-model transaction at most. */
const MAX_BATCH = 500;

/**
 * Follows the global log from the lowest checkpoint and applies each event to every projection
 * that has not seen it, moving each checkpoint in the same transaction as its rows. A crash
 * between two batches loses nothing and applies nothing twice.
 */
export class ProjectionRunner {
  private position = 0;
  private pending: RecordedEvent[] = [];
  private flushScheduled = false;
  private waiters: Waiter[] = [];
  private abort?: AbortController;
  private loop?: Promise<void>;
  private failure?: Error;
  private readonly applyBatch: Database.Transaction<(events: readonly RecordedEvent[]) => void>;
  private readonly saveCheckpoint: Database.Statement<[number, string]>;
  private readonly readCheckpoint: Database.Statement<[string], { position: number }>;

  constructor(
    private readonly store: EventStore,
    private readonly readModels: ReadModelDatabase,
    private readonly onError: (error: Error) => void = () => undefined,
  ) {
    this.position = this.lowestCheckpoint();
    const db = readModels.db;
    this.saveCheckpoint = db.prepare('UPDATE projection_checkpoints SET position = ? WHERE name = ?');
    this.readCheckpoint = db.prepare('SELECT position FROM projection_checkpoints WHERE name = ?');
    this.applyBatch = db.transaction((events: readonly RecordedEvent[]) => {
      const last = events[events.length - 1].globalPosition;
      for (const projection of readModels.projections) this.applyTo(projection, events, db, last);
    });
  }

  private applyTo(projection: Projection, events: readonly RecordedEvent[], db: Database.Database, last: number): void {
    // The checkpoint is read inside the write transaction, not taken from memory: another process
    // (the CLI catching up, a second runner) may have moved it, and nothing may be applied twice.
    const seen = this.readCheckpoint.get(projection.name)?.position ?? 0;
    if (seen >= last) return;
    for (const event of events) {
      if (event.globalPosition > seen) projection.apply(db, event);
    }
    this.saveCheckpoint.run(last, projection.name);
  }

  private lowestCheckpoint(): number {
    const stored = new Map(this.readModels.checkpoints().map((c) => [c.name, c.position]));
    return Math.min(...this.readModels.projections.map((p) => stored.get(p.name) ?? 0));
  }

  start(): void {
    if (this.loop) return;
    this.abort = new AbortController();
    const signal = this.abort.signal;
    this.loop = (async () => {
      try {
        for await (const event of this.store.subscribeToAll({ after: this.position, signal })) {
          this.pending.push(event);
          if (this.pending.length >= MAX_BATCH) this.flush();
          else this.scheduleFlush();
        }
        this.flush();
      } catch (error) {
        this.fail(error);
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

  private flush(): void {
    if (this.pending.length === 0 || this.failure || !this.readModels.db.open) return;
    const batch = this.pending;
    this.pending = [];
    this.applyBatch.immediate(batch);
    this.position = batch[batch.length - 1].globalPosition;
    this.releaseWaiters();
  }

  private fail(error: unknown): void {
    // A projection that throws is a bug: stop here rather than skip an event, and say so in /health.
    this.failure = error instanceof Error ? error : new Error(String(error));
    this.abort?.abort();
    this.onError(this.failure);
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

  /** Resolves true once every projection has applied `position`, or false after the timeout. */
  waitFor(position: number, timeoutMs: number): Promise<boolean> {
    if (position <= this.position) return Promise.resolve(true);
    if (timeoutMs <= 0 || this.failure) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.timer !== timer);
        resolve(false);
      }, timeoutMs);
      this.waiters.push({ position, resolve, timer });
    });
  }

  status(): RunnerStatus {
    return { running: this.loop !== undefined && !this.failure, position: this.position, error: this.failure?.message };
  }

  /** Applies everything up to the current head, then returns; for the CLI and tests. */
  async catchUp(upTo?: number): Promise<number> {
    const target = upTo ?? (await this.store.headPosition());
    for await (const event of this.store.readAll({ after: this.position })) {
      if (event.globalPosition > target) break;
      this.pending.push(event);
      if (this.pending.length >= MAX_BATCH) this.flush();
    }
    this.flush();
    return this.position;
  }

  async stop(): Promise<void> {
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
