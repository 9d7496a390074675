import { EventEmitter, once } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { Clock } from '../../shared/clock';
import { canonicalJson } from '../../shared/canonical-json';
import { newId } from '../../shared/ids';
import { EventMetadata, RecordedEvent, normaliseMetadata } from '../envelope';
import {
  AppendResult,
  EventStore,
  ReadAllOptions,
  ReadStreamOptions,
  StreamAppend,
  SubscribeOptions,
  WrongExpectedVersionError,
  validateAppends,
} from '../event-store.port';
import { StoreFault, StoreUnavailableError, asStoreFault } from '../store-unavailable';
import { AppendOutcome, ObservableStore, StoreObserver } from '../store-observer';
import { migrateEventStore } from './event-store-schema';
import { sequentialReader } from './sequential-reader';
import {
  AppendFailure,
  SerializedError,
  WireAppends,
  WriterOptions,
  WriterReply,
  WriterRequest,
  startWriter,
} from './sqlite-writer';

export type SynchronousMode = 'FULL' | 'NORMAL' | 'EXTRA';

export interface SqliteEventStoreOptions {
  readonly file: string;
  readonly clock: Clock;
  /** FULL by default: an acknowledged append survives power loss. */
  readonly synchronous?: SynchronousMode;
  /** How long a write waits for another process's lock (the CLI may write too). */
  readonly busyTimeoutMs?: number;
  /** Subscriptions look for other processes' writes this often; in-process writes wake them at once. */
  readonly pollIntervalMs?: number;
  readonly pageSize?: number;
  /**
   * Caps the file at this many database pages (SQLite's max_page_count on the writer's
   * connection): appends beyond it fail as on a full disk. Unset: no cap but the disk's.
   */
  readonly maxPageCount?: number;
}

interface PendingAppend {
  /** performance.now() when the append was made (for the append latency metric). */
  readonly startedAt: number;
  readonly appends: readonly StreamAppend[];
  readonly metadata: EventMetadata;
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * A stored event as the read statements return it: an array in EVENT_COLUMNS order, not an
 * object, because better-sqlite3 builds an object with twelve named properties per row at a cost
 * that was a third of a replay.
 */
type EventRow = [
  globalPosition: number,
  eventId: string,
  streamId: string,
  streamVersion: number,
  type: string,
  schemaVersion: number,
  recordedAt: string,
  effectiveAt: string,
  data: string,
  metadata: string,
  prevHash: string,
  hash: string,
];
const EVENT_COLUMNS =
  'global_position, event_id, stream_id, stream_version, type, schema_version, recorded_at, effective_at, data, metadata, prev_hash, hash';
/** A page of the whole log after a position: the store's own reads and openLogReader's. */
const SELECT_ALL_PAGE = `SELECT ${EVENT_COLUMNS} FROM events WHERE global_position > ? ORDER BY global_position LIMIT ?`;

/**
 * Appends go to the writer in chunks, so that it chains and inserts the first ones while this
 * thread still prepares the rest. The first chunk of a turn of the event loop is small, because
 * the writer is idle until it arrives; later ones are larger, to send fewer messages.
 */
const FIRST_CHUNK_SIZE = 4;
const CHUNK_SIZE = 16;

/**
 * The embedded event store: one SQLite file in WAL mode.
 *
 * Writes go through a worker thread that owns the write connection (see
 * sqlite-writer.worker.ts); this thread validates appends, turns them into canonical JSON, and
 * serves reads. Group commit: the appends that arrive while a commit is in fsync are committed
 * together in the next transaction, so one fsync serves many commands. Each append is still checked against its own expected
 * revisions, so a conflicting append fails alone.
 */
export class SqliteEventStore extends EventStore implements ObservableStore {
  private readonly db: Database.Database;
  /** Told of every settled append and every commit, when metrics are on. */
  private observer: StoreObserver | undefined;
  private readonly writer: Worker;
  private readonly notifier = new EventEmitter();
  private readonly settled = new EventEmitter();
  private readonly pageSize: number;
  private readonly pollIntervalMs: number;
  /** Appends prepared but not yet sent, in the writer's wire form; `unsent` of them. */
  private outgoing: WireAppends = [];
  private unsent = 0;
  /** Appends awaiting the writer's answer, in the order sent: answers come in this order. */
  private awaiting: PendingAppend[] = [];
  /** One clock reading per turn of the event loop, for all appends made in it. */
  private recordedAt: string | undefined;
  /** A chunk was sent in this turn of the event loop. */
  private sentThisTurn = false;
  private flushScheduled = false;
  private closed = false;
  /** Set when the writer is gone (closed or died): nothing can be written any more. */
  private broken: Error | undefined;
  /** The last write that failed for a storage fault, until a later write succeeds. */
  private writeFault: StoreFault | undefined;

  private readonly selectHead: Database.Statement<[], { head: number | null }>;
  private readonly selectAllPage: Database.Statement<[number, number], EventRow>;
  private readonly selectStreamPage: Database.Statement<[string, number, number], EventRow>;

  constructor(private readonly options: SqliteEventStoreOptions) {
    super();
    this.pageSize = options.pageSize ?? 1000;
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.notifier.setMaxListeners(0);
    if (options.file === '' || options.file === ':memory:') {
      // The writer thread opens the file with a connection of its own.
      throw new RangeError('the SQLite event store needs a database file');
    }
    const synchronous = options.synchronous ?? 'FULL';
    const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
    this.db = new Database(options.file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${synchronous}`);
    this.db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    migrateEventStore(this.db);

    this.selectHead = this.db.prepare('SELECT MAX(global_position) AS head FROM events');
    this.selectAllPage = this.db.prepare<[number, number], EventRow>(SELECT_ALL_PAGE).raw();
    this.selectStreamPage = this.db
      .prepare<[string, number, number], EventRow>(
        `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? AND stream_version >= ? ORDER BY stream_version LIMIT ?`,
      )
      .raw();

    const workerData: WriterOptions = {
      file: options.file,
      synchronous,
      busyTimeoutMs,
      ...(options.maxPageCount !== undefined ? { maxPageCount: options.maxPageCount } : {}),
    };
    this.writer = startWriter(workerData);
    // The writer keeps the process alive only while appends wait for it.
    this.writer.unref();
    this.writer.on('message', (reply: WriterReply) => this.onReply(reply));
    this.writer.on('error', (error) => this.fail(new StoreUnavailableError('WRITER_FAILED', `the event store writer failed: ${error.message}`)));
    this.writer.on('exit', (code) => this.fail(new StoreUnavailableError('WRITER_EXITED', `the event store writer exited (code ${code})`)));
  }

  /** One writer at a time holds the file's write lock and numbers events consecutively. */
  override get positionsAreGapFree(): boolean {
    return true;
  }

  /**
   * Appends are queued in call order and the writer thread commits them in that order, each
   * checked against its own expected revisions inside the write transaction.
   */
  override get appendsInCallOrder(): boolean {
    return true;
  }

  /** The underlying file, for the audit tools that must inspect it directly, and for threads that read it (openLogReader). */
  get file(): string {
    return this.options.file;
  }

  appendToStreams(appends: readonly StreamAppend[], metadata: EventMetadata): Promise<AppendResult> {
    if (this.closed) {
      return Promise.reject(new Error('event store is closed'));
    }
    if (this.broken) {
      return Promise.reject(this.broken);
    }
    try {
      validateAppends(appends);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<AppendResult>((resolve, reject) => {
      const pending: PendingAppend = { startedAt: performance.now(), appends, metadata: normaliseMetadata(metadata), resolve, reject };
      try {
        this.encode(pending);
      } catch (error) {
        // Data that has no canonical JSON form, for instance: only this append fails.
        reject(error);
        return;
      }
      if (this.awaiting.length === 0) this.writer.ref();
      this.awaiting.push(pending);
      this.unsent += 1;
      if (this.unsent >= (this.sentThisTurn ? CHUNK_SIZE : FIRST_CHUNK_SIZE)) this.send();
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        // setImmediate runs after the current run of promise continuations: the last chunk of
        // the appends of all commands woken by the last commit goes then.
        setImmediate(() => this.flush());
      }
    });
  }

  /**
   * Adds an append to the outgoing chunk in the writer's wire form, with everything the hash
   * covers in canonical JSON; the writer adds stream revisions, previous hashes and positions.
   */
  private encode(pending: PendingAppend): void {
    const recordedAt = (this.recordedAt ??= this.options.clock.now().toISOString());
    const wire = this.outgoing;
    const mark = wire.length;
    try {
      wire.push(recordedAt, canonicalJson(pending.metadata), pending.appends.length);
      for (const { streamId, expected, events } of pending.appends) {
        wire.push(stringField(streamId, 'streamId'), expected, events.length);
        for (const event of events) {
          wire.push(
            stringField(event.eventId ?? newId(), 'eventId'),
            stringField(event.type, 'type'),
            finiteNumber(event.schemaVersion, 'schemaVersion'),
            stringField(event.effectiveAt ?? recordedAt, 'effectiveAt'),
            // Stored in the canonical form the hash covers: JSON that parses back to the value.
            canonicalJson(event.data),
          );
        }
      }
    } catch (error) {
      // An append that cannot be encoded leaves nothing of itself in the chunk.
      wire.length = mark;
      throw error;
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.unsent > 0) this.send();
    this.recordedAt = undefined;
    this.sentThisTurn = false;
  }

  private send(): void {
    const request: WriterRequest = { kind: 'chunk', appends: this.outgoing, count: this.unsent };
    this.writer.postMessage(request);
    this.outgoing = [];
    this.unsent = 0;
    this.sentThisTurn = true;
  }

  /** Reports appends and commits to `observer` from now on (the metrics do). */
  observe(observer: StoreObserver): void {
    this.observer = observer;
  }

  private settle(pending: PendingAppend, outcome: AppendOutcome, now: number): void {
    this.observer?.appended((now - pending.startedAt) / 1000, outcome);
  }

  private onReply(reply: WriterReply): void {
    const now = this.observer ? performance.now() : 0;
    if (reply.kind === 'failed') {
      // The transaction failed as a whole (disk full, lock timeout): none of its appends was written.
      const error = fromSerialized(reply.error);
      this.noteWriteFault(error);
      for (const pending of this.awaiting.splice(0, reply.count)) {
        if (this.observer) this.settle(pending, 'error', now);
        pending.reject(error);
      }
    } else {
      this.writeFault = undefined;
      const { outcomes } = reply;
      let answered = 0;
      for (let at = 0; at < outcomes.length; answered++) {
        const pending = this.awaiting[answered];
        const outcome = outcomes[at++];
        if (typeof outcome !== 'number') {
          const error = toError(outcome);
          this.noteWriteFault(error);
          if (this.observer) this.settle(pending, outcome.kind, now);
          pending.reject(error);
          continue;
        }
        const revisions = new Map<string, number>();
        for (const { streamId } of pending.appends) revisions.set(streamId, outcomes[at++] as number);
        if (this.observer) this.settle(pending, 'ok', now);
        pending.resolve({ position: outcome, revisions });
      }
      this.awaiting.splice(0, answered);
      this.observer?.committed({ appends: answered, events: reply.events, seconds: reply.transactionMs / 1000 });
      this.notifier.emit('appended');
    }
    if (this.awaiting.length === 0) {
      this.writer.unref();
      this.settled.emit('idle');
    }
  }

  private noteWriteFault(error: Error): void {
    if (error instanceof StoreUnavailableError) {
      this.writeFault = { kind: error.kind, message: error.message, at: this.options.clock.now().toISOString() };
    }
  }

  /** The last append refused for a storage fault (disk full, I/O), unless a later one succeeded. */
  lastWriteFault(): StoreFault | undefined {
    return this.closed ? undefined : this.writeFault;
  }

  /**
   * The writer thread is gone: every append waiting for it fails, and so will any later one.
   * (If it died between a commit and its answer, those appends were in fact written: a crash
   * leaves the same doubt to any client, which reads the log or retries idempotently.)
   */
  private fail(error: Error): void {
    if (this.broken) return;
    this.broken = error;
    if (!this.closed) this.writeFault = { kind: 'WRITER_GONE', message: error.message, at: this.options.clock.now().toISOString(), ongoing: true };
    for (const pending of this.awaiting.splice(0)) pending.reject(error);
    this.outgoing = [];
    this.unsent = 0;
    this.settled.emit('idle');
  }

  async *readStream(streamId: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    let from = options.fromRevision ?? 0;
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    while (remaining > 0) {
      const rows = reading(() => this.selectStreamPage.all(streamId, from, Math.min(this.pageSize, remaining)));
      for (const row of rows) yield toRecordedEvent(row);
      if (rows.length < this.pageSize) return;
      remaining -= rows.length;
      from = rows[rows.length - 1][3] + 1;
    }
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    let after = options.after ?? 0;
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    while (remaining > 0) {
      const rows = reading(() => this.selectAllPage.all(after, Math.min(this.pageSize, remaining)));
      for (const row of rows) yield toRecordedEvent(row);
      if (rows.length < this.pageSize) return;
      remaining -= rows.length;
      after = rows[rows.length - 1][0];
    }
  }

  /** A page of raw rows after a position; the fastest path for projections and replay. */
  readPage(after: number, limit: number): RecordedEvent[] {
    return reading(() => this.selectAllPage.all(after, limit).map(toRecordedEvent));
  }

  async *subscribeToAll(options: SubscribeOptions): AsyncIterable<RecordedEvent> {
    let after = options.after;
    while (!options.signal.aborted && !this.closed) {
      const rows = reading(() => this.selectAllPage.all(after, this.pageSize));
      if (this.closed) return;
      for (const row of rows) {
        yield toRecordedEvent(row);
        after = row[0];
      }
      if (rows.length === 0) {
        await this.waitForAppend(options.signal);
      }
    }
  }

  private async waitForAppend(signal: AbortSignal): Promise<void> {
    const timeout = AbortSignal.timeout(this.pollIntervalMs);
    try {
      await once(this.notifier, 'appended', { signal: AbortSignal.any([signal, timeout]) });
    } catch {
      // Timed out (another process may have written) or aborted: the caller's loop decides.
    }
  }

  async headPosition(): Promise<number> {
    return reading(() => this.selectHead.get()?.head ?? 0);
  }

  async ping(): Promise<void> {
    if (this.broken) throw this.broken;
    reading(() => this.db.prepare('SELECT 1').get());
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Appends already accepted are committed (or rejected) before the file closes.
    if (this.awaiting.length > 0) {
      await once(this.settled, 'idle');
    }
    if (!this.broken) {
      this.broken = new Error('event store is closed');
      const exited = once(this.writer, 'exit');
      this.writer.ref();
      const request: WriterRequest = { kind: 'close' };
      this.writer.postMessage(request);
      await exited;
    }
    this.notifier.emit('appended');
    this.db.close();
  }
}

function toError(outcome: AppendFailure): Error {
  if (outcome.kind === 'conflict') {
    return new WrongExpectedVersionError(outcome.streamId, outcome.expected, outcome.actual);
  }
  return fromSerialized(outcome.error);
}

/**
 * A read-only connection to an embedded log, for a thread of its own (the projection runner's
 * rebuild thread): pages of events after a position, as `readAll` reads them.
 */
export function openLogReader(file: string): { page(after: number, limit: number): RecordedEvent[]; close(): void } {
  const db = sequentialReader(file);
  const select = db.prepare<[number, number], EventRow>(SELECT_ALL_PAGE).raw();
  return {
    page: (after, limit) => reading(() => select.all(after, limit).map(toRecordedEvent)),
    close: () => db.close(),
  };
}

/** Runs a read; a storage fault (I/O error, damaged file) comes out as a StoreUnavailableError. */
function reading<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw asStoreFault(error);
  }
}

/**
 * Errors cross the thread boundary as plain data; SQLite's keep their class and code, and a
 * storage fault (disk full, read-only, I/O error, damaged file) becomes a StoreUnavailableError.
 */
function fromSerialized(error: SerializedError): Error {
  if (error.name === 'SqliteError' && error.code !== undefined) {
    return asStoreFault(new Database.SqliteError(error.message, error.code)) as Error;
  }
  return Object.assign(new Error(error.message), { name: error.name });
}

/**
 * The hash covers these fields as JSON strings and numbers; any other type (from a caller
 * outside TypeScript) would be hashed as one thing and stored by SQLite as another, leaving an
 * event whose hash cannot be verified. So such an event is refused.
 */
function stringField(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new TypeError(`${field} must be a string`);
  return value;
}

function finiteNumber(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new TypeError(`${field} must be a finite number`);
  return value;
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  const [globalPosition, eventId, streamId, streamVersion, type, schemaVersion, recordedAt, effectiveAt, data, metadata, prevHash, hash] = row;
  return {
    eventId,
    type,
    schemaVersion,
    streamId,
    streamVersion,
    recordedAt,
    effectiveAt,
    data: JSON.parse(data) as unknown,
    metadata: JSON.parse(metadata) as EventMetadata,
    prevHash,
    globalPosition,
    hash,
  };
}
