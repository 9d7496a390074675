import { EventEmitter, once } from 'node:events';
import Database from 'better-sqlite3';
import { Clock } from '../../shared/clock';
import { newId } from '../../shared/ids';
import {
  EventMetadata,
  GENESIS_HASH,
  RecordedEvent,
  normaliseMetadata,
  sealEvent,
} from '../envelope';
import {
  AppendResult,
  EventStore,
  ReadAllOptions,
  ReadStreamOptions,
  StreamAppend,
  SubscribeOptions,
  checkExpectedRevision,
  validateAppends,
} from '../event-store.port';
import { migrateEventStore } from './event-store-schema';

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
}

interface PendingAppend {
  readonly appends: readonly StreamAppend[];
  readonly metadata: EventMetadata;
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
}

interface EventRow {
  global_position: number;
  event_id: string;
  stream_id: string;
  stream_version: number;
  type: string;
  schema_version: number;
  recorded_at: string;
  effective_at: string;
  data: string;
  metadata: string;
  prev_hash: string;
  hash: string;
}

interface StreamHead {
  readonly version: number;
  readonly hash: string;
}

interface WrittenAppend {
  readonly position: number;
  readonly heads: ReadonlyMap<string, StreamHead>;
  readonly revisions: ReadonlyMap<string, number>;
}

type GroupOutcome = { ok: true; result: AppendResult } | { ok: false; error: unknown };

/** Appends taken into one transaction at most; the rest wait for the next one. */
const MAX_GROUP_SIZE = 512;

/**
 * The embedded event store: one SQLite file in WAL mode.
 *
 * Group commit: appends that arrive while the event loop is busy queue up and are committed
 * together in one transaction, so one fsync serves many commands. Each append is still checked
 * against its own expected revisions and applied inside its own savepoint, so a conflicting
 * append fails alone while the others of its group commit.
 */
export class SqliteEventStore extends EventStore {
  private readonly db: Database.Database;
  private readonly notifier = new EventEmitter();
  private readonly pageSize: number;
  private readonly pollIntervalMs: number;
  private queue: PendingAppend[] = [];
  private flushScheduled = false;
  private closed = false;

  private readonly selectHead: Database.Statement<[], { head: number | null }>;
  private readonly selectStreamHead: Database.Statement<[string], { stream_version: number; hash: string }>;
  private readonly insertEvent: Database.Statement;
  private readonly commitGroup: Database.Transaction<(group: readonly PendingAppend[]) => GroupOutcome[]>;
  private readonly writeInSavepoint: (
    pending: PendingAppend,
    heads: ReadonlyMap<string, StreamHead | undefined>,
    position: number,
    recordedAt: string,
  ) => WrittenAppend;
  private readonly selectAllPage: Database.Statement<[number, number], EventRow>;
  private readonly selectStreamPage: Database.Statement<[string, number, number], EventRow>;

  constructor(private readonly options: SqliteEventStoreOptions) {
    super();
    this.pageSize = options.pageSize ?? 1000;
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.notifier.setMaxListeners(0);
    this.db = new Database(options.file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    this.db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    migrateEventStore(this.db);

    this.selectHead = this.db.prepare('SELECT MAX(global_position) AS head FROM events');
    this.selectStreamHead = this.db.prepare(
      'SELECT stream_version, hash FROM events WHERE stream_id = ? ORDER BY stream_version DESC LIMIT 1',
    );
    this.insertEvent = this.db.prepare(
      `INSERT INTO events (global_position, event_id, stream_id, stream_version, type, schema_version,
         recorded_at, effective_at, data, metadata, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    // Transaction wrappers are built once: better-sqlite3 prepares their statements on creation.
    // A nested transaction is a savepoint, so a failing append is undone alone.
    this.writeInSavepoint = this.db.transaction(
      (pending: PendingAppend, heads: ReadonlyMap<string, StreamHead | undefined>, position: number, recordedAt: string) =>
        this.writeOne(pending, heads, position, recordedAt),
    );
    this.commitGroup = this.db.transaction((group: readonly PendingAppend[]) => this.writeGroup(group));
    this.selectAllPage = this.db.prepare(
      'SELECT * FROM events WHERE global_position > ? ORDER BY global_position LIMIT ?',
    );
    this.selectStreamPage = this.db.prepare(
      'SELECT * FROM events WHERE stream_id = ? AND stream_version >= ? ORDER BY stream_version LIMIT ?',
    );
  }

  /** One writer at a time holds the file's write lock and numbers events consecutively. */
  override get positionsAreGapFree(): boolean {
    return true;
  }

  /** The underlying file, for the audit tools that must inspect it directly. */
  get file(): string {
    return this.options.file;
  }

  appendToStreams(appends: readonly StreamAppend[], metadata: EventMetadata): Promise<AppendResult> {
    if (this.closed) {
      return Promise.reject(new Error('event store is closed'));
    }
    try {
      validateAppends(appends);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ appends, metadata: normaliseMetadata(metadata), resolve, reject });
      this.scheduleFlush();
    });
  }

  private scheduleFlush(): void {
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      // setImmediate runs after pending I/O callbacks, so requests that arrived during the
      // previous commit's fsync join this group instead of waiting for one of their own.
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    const group = this.queue.splice(0, MAX_GROUP_SIZE);
    if (this.queue.length > 0) {
      this.scheduleFlush();
    }
    if (group.length === 0) {
      return;
    }
    let outcomes: GroupOutcome[];
    try {
      outcomes = this.commitGroup.immediate(group);
    } catch (error) {
      // The commit itself failed (disk full, I/O error): nothing of the group was written.
      for (const pending of group) pending.reject(error);
      return;
    }
    group.forEach((pending, index) => {
      const outcome = outcomes[index];
      if (outcome.ok) pending.resolve(outcome.result);
      else pending.reject(outcome.error);
    });
    this.notifier.emit('appended');
  }

  private writeGroup(group: readonly PendingAppend[]): GroupOutcome[] {
    const recordedAt = this.options.clock.now().toISOString();
    const heads = new Map<string, StreamHead | undefined>();
    let position = this.selectHead.get()?.head ?? 0;
    return group.map((pending): GroupOutcome => {
      try {
        const written = this.writeInSavepoint(pending, heads, position, recordedAt);
        position = written.position;
        for (const [streamId, head] of written.heads) heads.set(streamId, head);
        return { ok: true, result: { position, revisions: written.revisions } };
      } catch (error) {
        return { ok: false, error };
      }
    });
  }

  private writeOne(
    pending: PendingAppend,
    knownHeads: ReadonlyMap<string, StreamHead | undefined>,
    startPosition: number,
    recordedAt: string,
  ): WrittenAppend {
    const headOf = (streamId: string): StreamHead | undefined => {
      if (knownHeads.has(streamId)) return knownHeads.get(streamId);
      const row = this.selectStreamHead.get(streamId);
      return row ? { version: row.stream_version, hash: row.hash } : undefined;
    };
    // Check every stream before writing any, so a conflict on the last one writes nothing.
    const starts = pending.appends.map((append) => {
      const head = headOf(append.streamId);
      checkExpectedRevision(append.streamId, append.expected, head?.version);
      return head;
    });
    let position = startPosition;
    const heads = new Map<string, StreamHead>();
    const revisions = new Map<string, number>();
    const metadataJson = JSON.stringify(pending.metadata);
    pending.appends.forEach((append, index) => {
      let version = starts[index]?.version ?? -1;
      let prevHash = starts[index]?.hash ?? GENESIS_HASH;
      for (const event of append.events) {
        version += 1;
        position += 1;
        const sealed = sealEvent(
          event,
          { streamId: append.streamId, streamVersion: version, prevHash },
          { eventId: event.eventId ?? newId(), recordedAt, metadata: pending.metadata },
        );
        this.insertEvent.run(
          position,
          sealed.eventId,
          sealed.streamId,
          sealed.streamVersion,
          sealed.type,
          sealed.schemaVersion,
          sealed.recordedAt,
          sealed.effectiveAt,
          // Stored as plain JSON: the hash is over the canonical form of the parsed value, so the
          // stored text need not be canonical itself.
          JSON.stringify(sealed.data),
          metadataJson,
          sealed.prevHash,
          sealed.hash,
        );
        prevHash = sealed.hash;
      }
      heads.set(append.streamId, { version, hash: prevHash });
      revisions.set(append.streamId, version);
    });
    return { position, heads, revisions };
  }

  async *readStream(streamId: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    let from = options.fromRevision ?? 0;
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    while (remaining > 0) {
      const rows = this.selectStreamPage.all(streamId, from, Math.min(this.pageSize, remaining));
      for (const row of rows) yield toRecordedEvent(row);
      if (rows.length < this.pageSize) return;
      remaining -= rows.length;
      from = rows[rows.length - 1].stream_version + 1;
    }
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    let after = options.after ?? 0;
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    while (remaining > 0) {
      const rows = this.selectAllPage.all(after, Math.min(this.pageSize, remaining));
      for (const row of rows) yield toRecordedEvent(row);
      if (rows.length < this.pageSize) return;
      remaining -= rows.length;
      after = rows[rows.length - 1].global_position;
    }
  }

  /** A page of raw rows after a position; the fastest path for projections and replay. */
  readPage(after: number, limit: number): RecordedEvent[] {
    return this.selectAllPage.all(after, limit).map(toRecordedEvent);
  }

  async *subscribeToAll(options: SubscribeOptions): AsyncIterable<RecordedEvent> {
    let after = options.after;
    while (!options.signal.aborted && !this.closed) {
      const rows = this.selectAllPage.all(after, this.pageSize);
      if (this.closed) return;
      for (const row of rows) {
        yield toRecordedEvent(row);
        after = row.global_position;
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
    return this.selectHead.get()?.head ?? 0;
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // Appends already accepted are committed (or rejected) before the file closes.
    while (this.queue.length > 0) this.flush();
    this.closed = true;
    this.notifier.emit('appended');
    this.db.close();
  }
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    eventId: row.event_id,
    type: row.type,
    schemaVersion: row.schema_version,
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    recordedAt: row.recorded_at,
    effectiveAt: row.effective_at,
    data: JSON.parse(row.data) as unknown,
    metadata: JSON.parse(row.metadata) as EventMetadata,
    prevHash: row.prev_hash,
    globalPosition: row.global_position,
    hash: row.hash,
  };
}
