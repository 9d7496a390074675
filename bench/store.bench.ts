/**
 * bench:store — durable append throughput through the event store port with 64 concurrent
 * writers, replay throughput, and the physical limits of the same SQLite file measured raw in
 * the same run. The last line printed is one JSON object.
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { SystemClock } from '../src/shared/clock';
import { newId } from '../src/shared/ids';
import { canonicalJson } from '../src/shared/canonical-json';
import { GENESIS_HASH, EventMetadata, sealEvent } from '../src/event-store/envelope';
import { SqliteEventStore } from '../src/event-store/sqlite/sqlite-event-store';
import { migrateEventStore } from '../src/event-store/sqlite/event-store-schema';
import { log, perSecond, runBench, scratchDir } from './bench-util';
import { benchPostgres } from './postgres-store';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const WRITERS = 64;
const STREAMS = 1000;
const RAW_TX_SIZE = 100;

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

async function benchAppend(file: string): Promise<{ ms: number; store: SqliteEventStore }> {
  const store = new SqliteEventStore({ file, clock: new SystemClock() });
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
  return { ms: performance.now() - started, store };
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

/**
 * Raw inserts of the rows the store writes (same streams in the same order, data and metadata in
 * canonical JSON, hash-chained), in transactions of 100, synchronous=FULL: the ceiling for
 * durable appends.
 */
function benchRawAppend(file: string): number {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  migrateEventStore(db);
  const insert = db.prepare(
    `INSERT INTO events (global_position, event_id, stream_id, stream_version, type, schema_version,
       recorded_at, effective_at, data, metadata, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`,
  );
  const recordedAt = new Date().toISOString();
  const metadataJson = canonicalJson(metadata);
  // Rows are prepared before the clock starts: the limit is what SQLite itself can make durable.
  const heads = new Map<number, { streamVersion: number; prevHash: string }>();
  const rows = streamSchedule().map((stream, i) => {
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
  const insertMany = db.transaction((batch: typeof rows) => {
    for (const row of batch) insert.run(...row);
  });
  const started = performance.now();
  for (let i = 0; i < rows.length; i += RAW_TX_SIZE) insertMany(rows.slice(i, i + RAW_TX_SIZE));
  const ms = performance.now() - started;
  db.close();
  return ms;
}

/** A raw paged read of every row: the ceiling for replay. */
function benchRawRead(file: string): number {
  const db = new Database(file, { readonly: true });
  const page = db.prepare('SELECT * FROM events WHERE global_position > ? ORDER BY global_position LIMIT 1000');
  const started = performance.now();
  let after = 0;
  let count = 0;
  for (;;) {
    const rows = page.all(after) as Array<{ global_position: number }>;
    if (rows.length === 0) break;
    count += rows.length;
    after = rows[rows.length - 1].global_position;
  }
  const ms = performance.now() - started;
  db.close();
  if (count !== EVENTS) throw new Error(`raw read saw ${count} rows`);
  return ms;
}

async function main(): Promise<void> {
  const { dir, cleanup } = scratchDir('store');
  try {
    log(`bench:store: ${EVENTS} events, ${WRITERS} writers, ${STREAMS} streams, data in ${dir}`);
    const rawAppendMs = benchRawAppend(join(dir, 'raw.db'));
    log(`raw append (tx of ${RAW_TX_SIZE}, synchronous=FULL): ${perSecond(EVENTS, rawAppendMs)} events/s`);
    const rawReadMs = benchRawRead(join(dir, 'raw.db'));
    log(`raw paged read: ${perSecond(EVENTS, rawReadMs)} events/s`);

    const { ms: appendMs, store } = await benchAppend(join(dir, 'events.db'));
    log(`append through the port: ${perSecond(EVENTS, appendMs)} events/s`);
    const replay = await benchReplay(store);
    if (replay.count !== EVENTS) throw new Error(`replay saw ${replay.count} events`);
    log(`replay through the port: ${perSecond(EVENTS, replay.ms)} events/s`);
    await store.close();

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
      appendEventsPerSec: perSecond(EVENTS, appendMs),
      rawAppendLimitEventsPerSec: perSecond(EVENTS, rawAppendMs),
      appendRatio: Math.round((rawAppendMs / appendMs) * 100) / 100,
      replayEventsPerSec: perSecond(EVENTS, replay.ms),
      rawReadLimitEventsPerSec: perSecond(EVENTS, rawReadMs),
      replayRatio: Math.round((rawReadMs / replay.ms) * 100) / 100,
      heapUsedMb: Math.round(process.memoryUsage().heapUsed / 1048576),
      ...(postgres ? { postgres } : {}),
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    cleanup();
  }
}

runBench(main);
