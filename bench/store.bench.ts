/**
 * bench:store — durable append throughput through the event store port with 64 concurrent
 * writers, replay throughput, and the physical limits of the same SQLite file measured raw in
 * the same run, in alternating rounds (BENCH_ROUNDS, default 3; medians). Two append limits:
 * raw inserts of the same rows in transactions of 100, and raw inserts of the same rows in
 * transactions of exactly the sizes the store's group commit formed in that round (the number
 * of fsyncs this workload allows: 64 writers, each waiting for its own acknowledgement, can never
 * fill more than 64 appends into one commit). The last line printed is one JSON object.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { SystemClock } from '../src/shared/clock';
import { newId } from '../src/shared/ids';
import { canonicalJson } from '../src/shared/canonical-json';
import { GENESIS_HASH, EventMetadata, sealEvent } from '../src/event-store/envelope';
import { SqliteEventStore } from '../src/event-store/sqlite/sqlite-event-store';
import { migrateEventStore } from '../src/event-store/sqlite/event-store-schema';
import { log, median, perSecond, runBench, scratchDir } from './bench-util';
import { benchPostgres } from './postgres-store';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const WRITERS = 64;
const STREAMS = 1000;
const RAW_TX_SIZE = 100;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const metadata: EventMetadata = {
  actorId: 'bench',
  actorRole: 'steward',
  correlationId: newId(),
  causationId: newId(),
};

function sampleData(i: number): Record<string, unknown> {
  return { fundId: `fund-${i % 6}`, amountMinor: 1000 + (i % 977), currency: 'USD', memo: `movement ${i}` };
}

/** Writer w owns the streams congruent to w. */
function ownedStreams(writer: number): number[] {
  return Array.from({ length: STREAMS }, (_, s) => s).filter((s) => s % WRITERS === writer);
}

/**
 * The streams of events 0, 1, 2, ... in the order the writers of benchAppend produce them: each
 * round, every writer appends to its next stream. The raw baseline writes the same rows in this
 * order, so that its transactions touch as many streams as the store's groups do.
 */
function streamSchedule(): number[] {
  const owned = Array.from({ length: WRITERS }, (_, writer) => ownedStreams(writer));
  const schedule: number[] = [];
  for (let round = 0; schedule.length < EVENTS; round++) {
    for (let writer = 0; writer < WRITERS && schedule.length < EVENTS; writer++) {
      schedule.push(owned[writer][round % owned[writer].length]);
    }
  }
  return schedule;
}

async function benchAppend(file: string): Promise<{ ms: number; store: SqliteEventStore; groups: number[] }> {
  const store = new SqliteEventStore({ file, clock: new SystemClock() });
  // The size of every transaction the writer thread committed, in order (the observer costs one
  // performance.now() per append, as the service's metrics do).
  const groups: number[] = [];
  store.observe({ appended: () => undefined, committed: (commit) => groups.push(commit.events) });
  const revisions = new Array<number>(STREAMS).fill(-1);
  let next = 0;
  const started = performance.now();
  // Writer w owns the streams congruent to w, so each append states the exact revision it read,
  // as a command handler does, without conflicts distorting the measurement.
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, writer) => {
      const owned = ownedStreams(writer);
      for (let k = 0; ; k++) {
        const i = next++;
        if (i >= EVENTS) return;
        const streamIndex = owned[k % owned.length];
        const expected = revisions[streamIndex];
        await store.append(
          `bench-${streamIndex}`,
          [{ type: 'MovementRecorded', schemaVersion: 1, data: sampleData(i) }],
          expected < 0 ? 'no_stream' : expected,
          metadata,
        );
        revisions[streamIndex] = expected + 1;
      }
    }),
  );
  return { ms: performance.now() - started, store, groups };
}

async function benchReplay(store: SqliteEventStore): Promise<{ ms: number; count: number }> {
  const started = performance.now();
  let count = 0;
  let checksum = 0;
  for await (const event of store.readAll()) {
    count += 1;
    checksum += (event.data as { amountMinor: number }).amountMinor;
  }
  if (checksum <= 0) throw new Error('replay read nothing');
  return { ms: performance.now() - started, count };
}

type RawRow = readonly [number, string, string, number, string, number, string, string, string, string, string, string];

/**
 * The rows the store writes (same streams in the same order, data and metadata in canonical
 * JSON, hash-chained), built once before any clock starts: the raw limits measure what SQLite
 * itself can make durable.
 */
function rawRows(): RawRow[] {
  const recordedAt = new Date().toISOString();
  const metadataJson = canonicalJson(metadata);
  const heads = new Map<number, { streamVersion: number; prevHash: string }>();
  return streamSchedule().map((stream, i) => {
    const head = heads.get(stream) ?? { streamVersion: 0, prevHash: GENESIS_HASH };
    const sealed = sealEvent(
      { type: 'MovementRecorded', schemaVersion: 1, data: sampleData(i) },
      { streamId: `bench-${stream}`, ...head },
      { eventId: newId(), recordedAt, metadata },
    );
    heads.set(stream, { streamVersion: head.streamVersion + 1, prevHash: sealed.hash });
    return [i + 1, sealed.eventId, sealed.streamId, sealed.streamVersion, sealed.type, 1, recordedAt, recordedAt,
      canonicalJson(sealed.data), metadataJson, sealed.prevHash, sealed.hash] as const;
  });
}

/**
 * Raw inserts of `rows` into a fresh file, synchronous=FULL, one transaction per entry of
 * `sizes` (repeated if it runs out): [100] is the ceiling for durable appends; the store's own
 * group sizes give the ceiling for this workload's commits.
 */
function benchRawAppend(file: string, rows: readonly RawRow[], sizes: readonly number[]): number {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  migrateEventStore(db);
  const insert = db.prepare(
    `INSERT INTO events (global_position, event_id, stream_id, stream_version, type, schema_version,
       recorded_at, effective_at, data, metadata, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`,
  );
  const insertMany = db.transaction((batch: readonly RawRow[]) => {
    for (const row of batch) insert.run(...row);
  });
  const started = performance.now();
  for (let i = 0, g = 0; i < rows.length; g++) {
    const size = Math.max(1, sizes[g % sizes.length]);
    insertMany(rows.slice(i, i + size));
    i += size;
  }
  const ms = performance.now() - started;
  db.close();
  return ms;
}

/**
 * A raw paged read of every row: the ceiling for replay. `parse`: the data and metadata of every
 * row also go through JSON.parse, the least a replay must do to hand out events.
 */
function benchRawRead(file: string, parse = false): number {
  const db = new Database(file, { readonly: true });
  const page = db.prepare('SELECT * FROM events WHERE global_position > ? ORDER BY global_position LIMIT 1000');
  const started = performance.now();
  let after = 0;
  let count = 0;
  for (;;) {
    const rows = page.all(after) as Array<{ global_position: number; data: string; metadata: string }>;
    if (rows.length === 0) break;
    count += rows.length;
    if (parse) for (const row of rows) if (JSON.parse(row.data) === null || JSON.parse(row.metadata) === null) throw new Error('a row without data');
    after = rows[rows.length - 1].global_position;
  }
  const ms = performance.now() - started;
  db.close();
  if (count !== EVENTS) throw new Error(`raw read saw ${count} rows`);
  return ms;
}

const ratio = (limitMs: number, ms: number): number => Math.round((limitMs / ms) * 100) / 100;

interface Round {
  readonly rawMs: number;
  readonly appendMs: number;
  readonly rawSameGroupsMs: number;
  readonly transactions: number;
  readonly rawReadMs: number;
  readonly rawReadParsedMs: number;
  readonly replayMs: number;
}

/**
 * One round, each part in a fresh file: raw inserts in transactions of 100 (with the raw read of
 * that file), appends through the port (with its replay), then raw inserts in the port's own
 * group sizes. Odd rounds run the raw inserts in transactions of 100 last, so no part always
 * meets the same state of the disk and the page cache.
 */
async function round(dir: string, n: number, rows: readonly RawRow[]): Promise<Round> {
  const file = (name: string) => join(dir, `${name}-${n}.db`);
  const raw = () => {
    const rawMs = benchRawAppend(file('raw'), rows, [RAW_TX_SIZE]);
    return { rawMs, rawReadMs: benchRawRead(file('raw')), rawReadParsedMs: benchRawRead(file('raw'), true) };
  };
  const before = n % 2 === 0 ? raw() : undefined;
  const { ms: appendMs, store, groups } = await benchAppend(file('events'));
  const replay = await benchReplay(store);
  if (replay.count !== EVENTS) throw new Error(`replay saw ${replay.count} events`);
  await store.close();
  const rawSameGroupsMs = benchRawAppend(file('raw-groups'), rows, groups);
  const { rawMs, rawReadMs, rawReadParsedMs } = before ?? raw();
  for (const name of ['raw', 'events', 'raw-groups']) for (const suffix of ['', '-wal', '-shm']) rmSync(`${file(name)}${suffix}`, { force: true });
  const result = { rawMs, appendMs, rawSameGroupsMs, transactions: groups.length, rawReadMs, rawReadParsedMs, replayMs: replay.ms };
  log(
    `round ${n + 1}: raw (tx of ${RAW_TX_SIZE}) ${perSecond(EVENTS, rawMs)} events/s; through the port ${perSecond(EVENTS, appendMs)} events/s ` +
      `in ${groups.length} transactions (${(EVENTS / groups.length).toFixed(1)} each); raw in those same transactions ${perSecond(EVENTS, rawSameGroupsMs)} events/s; ` +
      `ratios ${ratio(rawMs, appendMs)} and ${ratio(rawSameGroupsMs, appendMs)}; replay ${perSecond(EVENTS, replay.ms)} against a raw read of ${perSecond(EVENTS, rawReadMs)} events/s (${perSecond(EVENTS, rawReadParsedMs)} with JSON.parse)`,
  );
  return result;
}

async function main(): Promise<void> {
  const { dir, cleanup } = scratchDir('store');
  try {
    log(`bench:store: ${EVENTS} events, ${WRITERS} writers, ${STREAMS} streams, ${ROUNDS} rounds, data in ${dir}`);
    const rows = rawRows();
    const rounds: Round[] = [];
    for (let n = 0; n < ROUNDS; n++) rounds.push(await round(dir, n, rows));
    const med = (pick: (r: Round) => number) => median(rounds.map(pick));

    // The same appends on PostgreSQL against raw batched INSERTs into the same table, when LEDGER_POSTGRES_URL is set.
    const postgres = process.env.LEDGER_POSTGRES_URL
      ? await benchPostgres({
          url: process.env.LEDGER_POSTGRES_URL, events: EVENTS, writers: WRITERS, streams: STREAMS, rawTxSize: RAW_TX_SIZE,
          schedule: streamSchedule(), ownedStreams, sampleData, metadata,
        })
      : undefined;

    const result = {
      events: EVENTS,
      writers: WRITERS,
      streams: STREAMS,
      rounds: ROUNDS,
      appendEventsPerSec: perSecond(EVENTS, med((r) => r.appendMs)),
      rawAppendLimitEventsPerSec: perSecond(EVENTS, med((r) => r.rawMs)),
      appendRatio: med((r) => ratio(r.rawMs, r.appendMs)),
      transactions: med((r) => r.transactions),
      rawSameTransactionsEventsPerSec: perSecond(EVENTS, med((r) => r.rawSameGroupsMs)),
      appendRatioSameTransactions: med((r) => ratio(r.rawSameGroupsMs, r.appendMs)),
      replayEventsPerSec: perSecond(EVENTS, med((r) => r.replayMs)),
      rawReadLimitEventsPerSec: perSecond(EVENTS, med((r) => r.rawReadMs)),
      replayRatio: med((r) => ratio(r.rawReadMs, r.replayMs)),
      rawReadParsedLimitEventsPerSec: perSecond(EVENTS, med((r) => r.rawReadParsedMs)),
      replayRatioParsed: med((r) => ratio(r.rawReadParsedMs, r.replayMs)),
      heapUsedMb: Math.round(process.memoryUsage().heapUsed / 1048576),
      ...(postgres ? { postgres } : {}),
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    cleanup();
  }
}

runBench(main);
