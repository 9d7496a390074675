/**
 * The write side of the SQLite event store, run in a worker thread that owns the write connection
 * (started by startWriter in sqlite-writer.ts).
 *
 * Why a thread: with synchronous=FULL a commit blocks its thread in fsync. On one thread the
 * request handling, canonical JSON, hashing, inserts and commit of a group all run one after
 * the other, and nothing else runs during the fsync. Here the main thread turns appends into
 * canonical JSON and streams them in chunks, while this thread chains, hashes and inserts the
 * ones it has and commits; appends that arrive meanwhile form the next group. Two cores share
 * the work, and the main thread stays responsive during fsync.
 *
 * The hash chain is built here because only here are the stream heads certain: inside the write
 * transaction. Heads are cached between transactions and trusted only while the log head is the
 * one this writer left (another process, the CLI say, may append to the same file). Hashes come
 * from envelope.ts (hashEnvelopeText) and expectations are checked by the port, as in every
 * adapter.
 */
// Runs only in the writer thread, where jest's coverage counters do not exist.
/* istanbul ignore file */
import { performance } from 'node:perf_hooks';
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { GENESIS_HASH, hashEnvelopeText } from '../envelope';
import { ExpectedRevision, WrongExpectedVersionError, checkExpectedRevision } from '../event-store.port';
import type { AppendFailure, SerializedError, WireAppends, WriterOptions, WriterReply, WriterRequest } from './sqlite-writer';

interface Head {
  readonly version: number;
  readonly hash: string;
}
interface Stream {
  readonly streamId: string;
  readonly expected: ExpectedRevision;
  /** Where its events start in the chunk. */
  readonly events: number;
  readonly eventCount: number;
}

/** Heads are remembered between transactions; beyond this many the memory is simply dropped. */
const MAX_CACHED_HEADS = 100_000;
/** A transaction takes the chunks already waiting up to this many appends. */
const MAX_GROUP_SIZE = 2048;
const EVENT_FIELDS = 5;

if (parentPort === null) throw new Error('sqlite-writer.worker runs as a worker thread (see startWriter)');
const port = parentPort;
const options = workerData as WriterOptions;

const db = new Database(options.file);
db.pragma(`synchronous = ${options.synchronous}`);
db.pragma(`busy_timeout = ${options.busyTimeoutMs}`);
if (options.maxPageCount !== undefined) db.pragma(`max_page_count = ${Math.floor(options.maxPageCount)}`);
const begin = db.prepare('BEGIN IMMEDIATE');
const commit = db.prepare('COMMIT');
const rollback = db.prepare('ROLLBACK');
const savepoint = db.prepare('SAVEPOINT append');
const release = db.prepare('RELEASE append');
const rollbackToSavepoint = db.prepare('ROLLBACK TO append');
const selectHeadPosition = db.prepare('SELECT MAX(global_position) AS head FROM events').pluck();
const selectStreamHead = db.prepare(
  'SELECT stream_version AS version, hash FROM events WHERE stream_id = ? ORDER BY stream_version DESC LIMIT 1',
);
const insertEvent = db.prepare(
  `INSERT INTO events (global_position, event_id, stream_id, stream_version, type, schema_version,
     recorded_at, effective_at, data, metadata, prev_hash, hash)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
);

// Stream heads as of `knownPosition`, the log head after this writer's last commit. If the log
// head differs when a transaction starts, another connection has written and they are dropped;
// positions are gap-free and events immutable, so an equal head means nobody else wrote.
const heads = new Map<string, Head | null>();
let knownPosition = -1;
let position = 0;
/** Outcomes of the open transaction, or undefined when none is open. */
let outcomes: Array<number | AppendFailure> | undefined;
/** How many appends the open transaction holds. */
let appendsInGroup = 0;
/** When the open transaction began, and the log head then (for the metrics of its commit). */
let groupStartedAt = 0;
let groupStartPosition = 0;

function serialize(error: unknown): SerializedError {
  return error instanceof Error
    ? { name: error.name, message: error.message, code: (error as { code?: string }).code }
    : { name: 'Error', message: String(error) };
}

function headOf(streamId: string): Head | null {
  let head = heads.get(streamId);
  if (head === undefined) {
    head = (selectStreamHead.get(streamId) as Head | undefined) ?? null;
    if (heads.size >= MAX_CACHED_HEADS) heads.clear();
    heads.set(streamId, head);
  }
  return head;
}

/** The conflict of a stream whose head does not satisfy its expectation, if it does not. */
function conflictOf({ streamId, expected }: Stream, head: Head | null): AppendFailure | undefined {
  try {
    checkExpectedRevision(streamId, expected, head?.version);
    return undefined;
  } catch (error) {
    if (!(error instanceof WrongExpectedVersionError)) throw error;
    return { kind: 'conflict', streamId, expected, actual: error.actual };
  }
}

/** Chains, hashes and inserts the events of checked streams; returns their new heads. */
function insertEvents(wire: WireAppends, streams: readonly Stream[], found: ReadonlyArray<Head | null>,
  recordedAt: string, metadata: string): Head[] {
  return streams.map(({ streamId, events, eventCount }, s) => {
    let streamVersion = found[s]?.version ?? -1;
    let prevHash = found[s]?.hash ?? GENESIS_HASH;
    for (let at = events; at < events + eventCount * EVENT_FIELDS; at += EVENT_FIELDS) {
      const eventId = wire[at] as string;
      const type = wire[at + 1] as string;
      const schemaVersion = wire[at + 2] as number;
      const effectiveAt = wire[at + 3] as string;
      const data = wire[at + 4] as string;
      streamVersion += 1;
      const hash = hashEnvelopeText({
        eventId, type, schemaVersion, streamId, streamVersion, recordedAt, effectiveAt, data, metadata, prevHash,
      });
      position += 1;
      insertEvent.run(position, eventId, streamId, streamVersion, type, schemaVersion, recordedAt, effectiveAt,
        data, metadata, prevHash, hash);
      prevHash = hash;
    }
    return { version: streamVersion, hash: prevHash };
  });
}

/** Checks and writes the append that starts at `at`; returns where the next one starts. */
function apply(wire: WireAppends, at: number, out: Array<number | AppendFailure>): number {
  const recordedAt = wire[at] as string;
  const metadata = wire[at + 1] as string;
  const streams: Stream[] = [];
  let cursor = at + 3;
  for (let s = 0; s < (wire[at + 2] as number); s++) {
    const eventCount = wire[cursor + 2] as number;
    streams.push({ streamId: wire[cursor] as string, expected: wire[cursor + 1] as ExpectedRevision, events: cursor + 3, eventCount });
    cursor += 3 + eventCount * EVENT_FIELDS;
  }

  // Every expectation is checked before anything is written, so a conflict on the last stream
  // writes nothing.
  const found = streams.map((stream) => headOf(stream.streamId));
  for (let s = 0; s < streams.length; s++) {
    const conflict = conflictOf(streams[s], found[s]);
    if (conflict !== undefined) {
      out.push(conflict);
      return cursor;
    }
  }

  const start = position;
  // A single INSERT that fails undoes itself (statement rollback); only an append of several
  // events needs a savepoint to fail alone.
  const single = streams.length === 1 && streams[0].eventCount === 1;
  if (!single) savepoint.run();
  let written: Head[];
  try {
    written = insertEvents(wire, streams, found, recordedAt, metadata);
    if (!single) release.run();
  } catch (error) {
    position = start;
    // Some errors (disk full, I/O) end the whole transaction: then the group must fail.
    if (!db.inTransaction) throw error;
    if (!single) {
      rollbackToSavepoint.run();
      release.run();
    }
    out.push({ kind: 'error', error: serialize(error) });
    return cursor;
  }
  out.push(position);
  streams.forEach(({ streamId }, s) => {
    heads.set(streamId, written[s]);
    out.push(written[s].version);
  });
  return cursor;
}

/** Nothing of the open transaction (nor of `extra` appends not yet in it) is written. */
function abandon(error: unknown, extra: number): void {
  if (db.inTransaction) rollback.run();
  // The cached heads may hold appends of the transaction: forget them.
  heads.clear();
  knownPosition = -1;
  const reply: WriterReply = { kind: 'failed', count: appendsInGroup + extra, error: serialize(error) };
  outcomes = undefined;
  appendsInGroup = 0;
  port.postMessage(reply);
}

function applyChunk(wire: WireAppends, count: number): void {
  if (outcomes === undefined) {
    try {
      begin.run();
      groupStartedAt = performance.now();
      position = (selectHeadPosition.get() as number | null) ?? 0;
      groupStartPosition = position;
      if (position !== knownPosition) heads.clear();
      outcomes = [];
    } catch (error) {
      abandon(error, count);
      return;
    }
  }
  let at = 0;
  let done = 0;
  try {
    for (; done < count; done++) {
      at = apply(wire, at, outcomes);
      appendsInGroup += 1;
    }
  } catch (error) {
    abandon(error, count - done);
  }
}

function commitGroup(): void {
  if (outcomes === undefined) return;
  try {
    commit.run();
  } catch (error) {
    abandon(error, 0);
    return;
  }
  knownPosition = position;
  const reply: WriterReply = {
    kind: 'done',
    outcomes,
    events: position - groupStartPosition,
    transactionMs: performance.now() - groupStartedAt,
  };
  outcomes = undefined;
  appendsInGroup = 0;
  port.postMessage(reply);
}

port.on('message', (first: WriterRequest) => {
  // Group commit: the chunks that arrived while the previous commit was in fsync, and any that
  // arrive while these are inserted, go into one transaction, made durable by one fsync.
  let request: WriterRequest | undefined = first;
  while (request !== undefined) {
    if (request.kind === 'close') {
      commitGroup();
      db.close();
      port.close();
      return;
    }
    applyChunk(request.appends, request.count);
    // Beyond the cap the rest waits for the next transaction: its messages are still queued.
    request =
      appendsInGroup < MAX_GROUP_SIZE ? (receiveMessageOnPort(port)?.message as WriterRequest | undefined) : undefined;
  }
  commitGroup();
});
