import { EventEmitter, once } from 'node:events';
import { Client, Pool, PoolClient, QueryResult, types as pgTypes } from 'pg';
import { Clock } from '../../shared/clock';
import { canonicalJson } from '../../shared/canonical-json';
import { newId } from '../../shared/ids';
import { EventMetadata, GENESIS_HASH, RecordedEvent, hashEnvelopeText, normaliseMetadata } from '../envelope';
import {
  AppendResult,
  EventStore,
  ExpectedRevision,
  ReadAllOptions,
  ReadStreamOptions,
  StreamAppend,
  SubscribeOptions,
  WrongExpectedVersionError,
  checkExpectedRevision,
  validateAppends,
} from '../event-store.port';
import { StoreFault, StoreUnavailableError } from '../store-unavailable';
import { APPEND_CHANNEL, migratePostgresEventStore } from './postgres-schema';

export interface PostgresEventStoreOptions {
  /** `postgres://user@host:5432/database`; never logged (it may hold a password). */
  readonly connectionString: string;
  readonly clock: Clock;
  /** Events per read query; bounds the memory a read holds. */
  readonly pageSize?: number;
  /** Connections for reads (the writer has one of its own). */
  readonly readConnections?: number;
  /** A subscription reads again this often even without a notification (the polling fallback). */
  readonly pollIntervalMs?: number;
  /** A write transaction takes at most this many queued appends. */
  readonly maxGroupSize?: number;
}

interface Head {
  readonly version: number;
  readonly hash: string;
}

/** An append in the form the writer needs: everything the hash covers is canonical JSON text already. */
interface EncodedStream {
  readonly streamId: string;
  readonly expected: ExpectedRevision;
  readonly events: ReadonlyArray<{ eventId: string; type: string; schemaVersion: number; effectiveAt: string; data: string }>;
}

interface PendingAppend {
  readonly streams: readonly EncodedStream[];
  readonly recordedAt: string;
  readonly metadata: string;
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
}

const EVENT_COLUMNS =
  'global_position, event_id, stream_id, stream_version, type, schema_version, recorded_at, effective_at, data, metadata, prev_hash, hash';

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

/** bigint (int8) columns as numbers: positions stay far below 2^53. */
const parsers = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pgTypes.builtins.INT8 ? (value: string) => Number(value) : pgTypes.getTypeParser(oid, format)) as typeof pgTypes.getTypeParser,
};

/** The application_name of the LISTEN connection (a test ends it to check the polling fallback). */
export const LISTENER_NAME = 'mutual-aid-ledger-listen';

/** Heads are remembered between transactions; beyond this many the memory is simply dropped. */
const MAX_CACHED_HEADS = 100_000;

export { asPostgresFault } from './postgres-faults';
import { asPostgresFault } from './postgres-faults';

/**
 * The event log in PostgreSQL, shared by any number of service instances (`pg`, no ORM).
 *
 * **Positions in commit order.** A sequence hands out numbers at INSERT time, and transactions
 * commit in another order: a reader can see position 11 committed while 10 is still in flight,
 * move its checkpoint past 10 and never see it. Here every write transaction first locks the
 * one row of `ledger_head` (SELECT ... FOR UPDATE) and numbers its events from the head it finds.
 * The lock is held until COMMIT, and PostgreSQL makes a transaction visible before it releases
 * its locks, so the next writer (in this process or another) reads the head only once the
 * previous one is committed and visible. Positions are therefore consecutive and assigned in
 * commit order: a reader that sees position n sees every position below it.
 *
 * **Group commit.** One writer connection per process. Appends that arrive while a transaction
 * is in flight queue up and go together into the next one (one round of lock, insert and commit
 * for all of them). Each is checked against its own expected revisions in order, on the heads as
 * the earlier appends of the group leave them, so a conflicting append fails alone. Should the
 * group's INSERT fail (a duplicate event id, say), it is rolled back and each append is tried in
 * a transaction of its own, so that too fails alone.
 *
 * **Hash chain.** Built inside the transaction, under the head lock, with hashEnvelopeText from
 * envelope.ts (the SQLite writer's path): the stream heads read there are certain. Heads are
 * cached between transactions and trusted only while the log head is the one this writer left.
 *
 * **Subscriptions** read pages after their checkpoint; when caught up they wait for a
 * notification (LISTEN on `ledger_appended`, sent by the writer inside its transaction, so at
 * commit) or for the polling interval, whichever comes first, so a lost listener connection
 * only slows them down.
 *
 * **Not in call order across processes.** Within one process appends are committed in the order
 * they were made, but other instances write the same streams, so a command must never decide
 * against another's append still in flight here: this store does not claim to append in call
 * order (the port's default), and a hot stream's lock is held until its commit.
 */
export class PostgresEventStore extends EventStore {
  private readonly readPool: Pool;
  private readonly writePool: Pool;
  private readonly notifier = new EventEmitter();
  private readonly settled = new EventEmitter();
  private readonly pageSize: number;
  private readonly pollIntervalMs: number;
  private readonly maxGroupSize: number;
  /** The schema migration under way or done; cleared when it failed, so the next use tries again. */
  private ready: Promise<void> | undefined;
  private queue: PendingAppend[] = [];
  private writing = false;
  private closed = false;
  private readonly heads = new Map<string, Head | null>();
  /** The log head after this writer's last commit; -1 when unknown. */
  private knownPosition = -1;
  private writeFault: StoreFault | undefined;
  private listener: Client | undefined;
  private listening: Promise<void> | undefined;
  private listenRetryAt = 0;
  /** Bumped on every notification (and local commit), so a wait can tell that one arrived meanwhile. */
  private appendSignals = 0;
  /** Transactions committed by this process's writer, and the appends in them (for tests and the benchmark). */
  readonly stats = { transactions: 0, appends: 0 };

  constructor(private readonly options: PostgresEventStoreOptions) {
    super();
    this.pageSize = options.pageSize ?? 500;
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    this.maxGroupSize = options.maxGroupSize ?? 1000;
    this.notifier.setMaxListeners(0);
    const base = { connectionString: options.connectionString, types: parsers, application_name: 'mutual-aid-ledger', connectionTimeoutMillis: 10_000 };
    this.readPool = new Pool({ ...base, max: options.readConnections ?? 4, idleTimeoutMillis: 30_000 });
    this.writePool = new Pool({ ...base, max: 1, idleTimeoutMillis: 0 });
    // An idle connection that breaks must not crash the process; the next query reconnects.
    this.readPool.on('error', () => undefined);
    this.writePool.on('error', () => undefined);
    void this.whenReady().catch(() => undefined);
  }

  private async migrate(): Promise<void> {
    const client = await this.writePool.connect().catch((error: unknown) => {
      throw asPostgresFault(error);
    });
    try {
      await migratePostgresEventStore(client);
      client.release();
    } catch (error) {
      client.release(true);
      throw asPostgresFault(error);
    }
  }

  /**
   * Resolves once the schema is in place, or rejects with why it is not; after a failure (the
   * server was down) the next call, or the next read or write, tries again.
   */
  whenReady(): Promise<void> {
    if (this.ready === undefined) {
      const attempt = this.migrate();
      this.ready = attempt;
      attempt.catch(() => {
        if (this.ready === attempt) this.ready = undefined;
      });
    }
    return this.ready;
  }

  /** One writer at a time holds the head lock and numbers events consecutively. */
  override get positionsAreGapFree(): boolean {
    return true;
  }

  appendToStreams(appends: readonly StreamAppend[], metadata: EventMetadata): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new Error('event store is closed'));
    let pending: Omit<PendingAppend, 'resolve' | 'reject'>;
    try {
      validateAppends(appends);
      pending = this.encode(appends, metadata);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ ...pending, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  /** Everything the hash covers, as canonical JSON text; refused here if it could not be stored exactly. */
  private encode(appends: readonly StreamAppend[], metadata: EventMetadata): Omit<PendingAppend, 'resolve' | 'reject'> {
    const recordedAt = this.options.clock.now().toISOString();
    return {
      recordedAt,
      metadata: canonicalJson(normaliseMetadata(metadata)),
      streams: appends.map(({ streamId, expected, events }) => ({
        streamId: text(streamId, 'streamId'),
        expected,
        events: events.map((event) => ({
          eventId: text(event.eventId ?? newId(), 'eventId'),
          type: text(event.type, 'type'),
          schemaVersion: int32(event.schemaVersion, 'schemaVersion'),
          effectiveAt: text(event.effectiveAt ?? recordedAt, 'effectiveAt'),
          data: canonicalJson(event.data),
        })),
      })),
    };
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.queue.length > 0) {
        const group = this.queue.splice(0, this.maxGroupSize);
        await this.writeGroup(group, true);
      }
    } finally {
      this.writing = false;
      this.settled.emit('idle');
    }
  }

  /** Writes a group in one transaction; on a failure of the group, each append alone (when `split`). */
  private async writeGroup(group: PendingAppend[], split: boolean): Promise<void> {
    let outcomes: Array<AppendResult | Error>;
    try {
      await this.whenReady();
      outcomes = await this.transaction(group);
    } catch (error) {
      this.heads.clear();
      this.knownPosition = -1;
      const fault = asPostgresFault(error);
      if (fault instanceof StoreUnavailableError) {
        this.writeFault = { kind: fault.kind, message: fault.message, at: this.options.clock.now().toISOString() };
        for (const pending of group) pending.reject(fault);
        return;
      }
      if (split && group.length > 1) {
        for (const pending of group) await this.writeGroup([pending], false);
        return;
      }
      for (const pending of group) pending.reject(fault);
      return;
    }
    this.writeFault = undefined;
    this.stats.transactions += 1;
    this.stats.appends += group.length;
    group.forEach((pending, i) => {
      const outcome = outcomes[i];
      if (outcome instanceof Error) pending.reject(outcome);
      else pending.resolve(outcome);
    });
    this.signalAppend();
  }

  private async transaction(group: readonly PendingAppend[]): Promise<Array<AppendResult | Error>> {
    const client = await this.writePool.connect();
    let broken = false;
    try {
      // One round trip: BEGIN and the head lock (a simple query of two statements).
      const [, locked] = (await client.query('BEGIN; SELECT position FROM ledger_head FOR UPDATE')) as unknown as [unknown, QueryResult<{ position: number }>];
      let position = locked.rows[0].position;
      const start = position;
      if (position !== this.knownPosition) this.heads.clear();
      await this.loadHeads(client, group);

      // Heads as the group's earlier appends leave them; merged into the cache after COMMIT.
      const tentative = new Map<string, Head | null>();
      const headOf = (streamId: string): Head | null => (tentative.has(streamId) ? tentative.get(streamId)! : this.heads.get(streamId)!);
      const rows = newRows();
      const outcomes: Array<AppendResult | Error> = [];
      for (const pending of group) {
        const conflict = firstConflict(pending.streams, headOf);
        if (conflict) {
          outcomes.push(conflict);
          continue;
        }
        const revisions = new Map<string, number>();
        for (const { streamId, events } of pending.streams) {
          const head = headOf(streamId);
          let streamVersion = head?.version ?? -1;
          let prevHash = head?.hash ?? GENESIS_HASH;
          for (const e of events) {
            streamVersion += 1;
            position += 1;
            const hash = hashEnvelopeText({
              eventId: e.eventId, type: e.type, schemaVersion: e.schemaVersion, streamId, streamVersion,
              recordedAt: pending.recordedAt, effectiveAt: e.effectiveAt, data: e.data, metadata: pending.metadata, prevHash,
            });
            rows.add(position, e.eventId, streamId, streamVersion, e.type, e.schemaVersion, pending.recordedAt,
              e.effectiveAt, e.data, pending.metadata, prevHash, hash);
            prevHash = hash;
          }
          tentative.set(streamId, { version: streamVersion, hash: prevHash });
          revisions.set(streamId, streamVersion);
        }
        outcomes.push({ position, revisions });
      }

      if (position > start) {
        // One round trip: the group's rows, the new head, and the notification (sent at COMMIT).
        await client.query(
          `WITH inserted AS (
             INSERT INTO ledger_events (${EVENT_COLUMNS})
             SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::integer[], $5::text[], $6::integer[],
                                  $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[])
           ), head AS (
             UPDATE ledger_head SET position = $13
           )
           SELECT pg_notify('${APPEND_CHANNEL}', $13::text)`,
          [...rows.columns, position],
        );
      }
      await client.query('COMMIT');
      this.knownPosition = position;
      if (this.heads.size + tentative.size > MAX_CACHED_HEADS) this.heads.clear();
      for (const [streamId, head] of tentative) this.heads.set(streamId, head);
      return outcomes;
    } catch (error) {
      broken = asPostgresFault(error) instanceof StoreUnavailableError;
      if (!broken) await client.query('ROLLBACK').catch(() => (broken = true));
      throw error;
    } finally {
      client.release(broken);
    }
  }

  /** Reads the last event of every stream of the group not in the cache (one query). */
  private async loadHeads(client: PoolClient, group: readonly PendingAppend[]): Promise<void> {
    const missing = new Set<string>();
    for (const pending of group) for (const { streamId } of pending.streams) if (!this.heads.has(streamId)) missing.add(streamId);
    if (missing.size === 0) return;
    const ids = [...missing];
    const { rows } = await client.query<{ stream_id: string; stream_version: number | null; hash: string | null }>(
      `SELECT s.stream_id, h.stream_version, h.hash
         FROM unnest($1::text[]) AS s(stream_id)
         LEFT JOIN LATERAL (
           SELECT stream_version, hash FROM ledger_events e
            WHERE e.stream_id = s.stream_id ORDER BY stream_version DESC LIMIT 1
         ) h ON true`,
      [ids],
    );
    for (const row of rows) {
      this.heads.set(row.stream_id, row.stream_version === null ? null : { version: row.stream_version, hash: row.hash! });
    }
  }

  private signalAppend(): void {
    this.appendSignals += 1;
    this.notifier.emit('appended');
  }

  /** The last append refused for a fault of the server or the connection, unless a later one succeeded. */
  lastWriteFault(): StoreFault | undefined {
    return this.closed ? undefined : this.writeFault;
  }

  private async query<R extends object>(sql: string, values: unknown[]): Promise<R[]> {
    await this.whenReady();
    try {
      return (await this.readPool.query<R>(sql, values)).rows;
    } catch (error) {
      throw asPostgresFault(error);
    }
  }

  async *readStream(streamId: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    let from = options.fromRevision ?? 0;
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    while (remaining > 0) {
      const limit = Math.min(this.pageSize, remaining);
      const rows = await this.query<EventRow>(
        `SELECT ${EVENT_COLUMNS} FROM ledger_events WHERE stream_id = $1 AND stream_version >= $2 ORDER BY stream_version LIMIT $3`,
        [streamId, from, limit],
      );
      for (const row of rows) yield toRecordedEvent(row);
      if (rows.length < limit) return;
      remaining -= rows.length;
      from = rows[rows.length - 1].stream_version + 1;
    }
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    let after = options.after ?? 0;
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    while (remaining > 0) {
      const limit = Math.min(this.pageSize, remaining);
      const rows = await this.readPage(after, limit);
      for (const row of rows) yield toRecordedEvent(row);
      if (rows.length < limit) return;
      remaining -= rows.length;
      after = rows[rows.length - 1].global_position;
    }
  }

  private readPage(after: number, limit: number): Promise<EventRow[]> {
    return this.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM ledger_events WHERE global_position > $1 ORDER BY global_position LIMIT $2`,
      [after, limit],
    );
  }

  async *subscribeToAll(options: SubscribeOptions): AsyncIterable<RecordedEvent> {
    let after = options.after;
    while (!options.signal.aborted && !this.closed) {
      void this.listen();
      const signals = this.appendSignals;
      const rows = await this.readPage(after, this.pageSize);
      for (const row of rows) {
        if (options.signal.aborted) return;
        yield toRecordedEvent(row);
        after = row.global_position;
      }
      // A notification that came during the read means there may be more: read again at once.
      if (rows.length === 0 && signals === this.appendSignals) await this.waitForAppend(options.signal);
    }
  }

  /** Starts the LISTEN connection if none is up (at most one attempt per polling interval). */
  private listen(): Promise<void> {
    if (this.listening || this.closed || Date.now() < this.listenRetryAt) return this.listening ?? Promise.resolve();
    const client = new Client({ connectionString: this.options.connectionString, application_name: LISTENER_NAME });
    const lost = (): void => {
      if (this.listener !== client) return;
      this.listener = undefined;
      this.listening = undefined;
      this.listenRetryAt = Date.now() + this.pollIntervalMs;
      client.end().catch(() => undefined);
    };
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', () => this.signalAppend());
    this.listener = client;
    this.listening = client
      .connect()
      .then(() => client.query(`LISTEN ${APPEND_CHANNEL}`))
      .then(() => {
        if (this.closed) void client.end().catch(() => undefined);
        // Events committed before LISTEN took effect are found by the next read, which follows.
        this.signalAppend();
      })
      .catch(lost);
    return this.listening;
  }

  private async waitForAppend(signal: AbortSignal): Promise<void> {
    const timeout = AbortSignal.timeout(this.pollIntervalMs);
    try {
      await once(this.notifier, 'appended', { signal: AbortSignal.any([signal, timeout]) });
    } catch {
      // Timed out (the polling fallback) or aborted: the caller's loop decides.
    }
  }

  async headPosition(): Promise<number> {
    const rows = await this.query<{ position: number }>('SELECT position FROM ledger_head', []);
    return rows[0]?.position ?? 0;
  }

  async ping(): Promise<void> {
    await this.query('SELECT 1', []);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Appends already accepted are committed (or rejected) before the connections close.
    if (this.writing) await once(this.settled, 'idle');
    this.notifier.emit('appended');
    const listener = this.listener;
    this.listener = undefined;
    await Promise.allSettled([this.readPool.end(), this.writePool.end(), listener?.end()]);
  }
}

/** The columns of a group's INSERT, one array per column (sent as PostgreSQL arrays, unnested there). */
function newRows(): { columns: unknown[][]; add: (...values: unknown[]) => void } {
  const columns: unknown[][] = Array.from({ length: 12 }, () => []);
  return {
    columns,
    add: (...values) => values.forEach((value, i) => columns[i].push(value)),
  };
}

function firstConflict(
  streams: readonly EncodedStream[],
  headOf: (streamId: string) => Head | null,
): WrongExpectedVersionError | undefined {
  for (const { streamId, expected } of streams) {
    try {
      checkExpectedRevision(streamId, expected, headOf(streamId)?.version);
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) return error;
      throw error;
    }
  }
  return undefined;
}

/**
 * The hash covers these fields as JSON strings; PostgreSQL text cannot hold U+0000, and a lone
 * surrogate would be stored as U+FFFD: either would leave an event whose hash cannot be verified.
 */
function text(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new TypeError(`${field} must be a string`);
  if (value.includes('\u0000') || !value.isWellFormed()) throw new TypeError(`${field} must be well-formed text without NUL`);
  return value;
}

function int32(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || Math.abs(value) > 2 ** 31 - 1) {
    throw new TypeError(`${field} must be an integer`);
  }
  return value;
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
