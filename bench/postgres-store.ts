/**
 * The PostgreSQL half of bench:store (run when LEDGER_POSTGRES_URL is set): the same appends
 * through the port, and raw batched INSERTs of the same rows into the same table, each in a fresh
 * database on that server, in the same run.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { SystemClock } from '../src/shared/clock';
import { newId } from '../src/shared/ids';
import { canonicalJson } from '../src/shared/canonical-json';
import { EventMetadata, GENESIS_HASH, sealEvent } from '../src/event-store/envelope';
import { PostgresEventStore } from '../src/event-store/postgres/postgres-event-store';
import { migratePostgresEventStore } from '../src/event-store/postgres/postgres-schema';
import { log, perSecond } from './bench-util';

export interface PostgresBenchInput {
  readonly url: string;
  readonly events: number;
  readonly writers: number;
  readonly streams: number;
  readonly rawTxSize: number;
  /** The stream of each event, in the order the port's writers produce them. */
  readonly schedule: readonly number[];
  readonly ownedStreams: (writer: number) => number[];
  readonly sampleData: (i: number) => Record<string, unknown>;
  readonly metadata: EventMetadata;
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function databaseUrl(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/** A fresh database on the server of `url`, for one benchmark phase; `drop` removes it (and any connection left to it). */
export async function scratchDatabase(url: string, label: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `ledger_bench_${label}_${randomBytes(4).toString('hex')}`;
  await withClient(url, (c) => c.query(`CREATE DATABASE "${name}"`));
  return {
    url: databaseUrl(url, name),
    drop: () => withClient(url, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

/**
 * Raw multi-row INSERTs (unnest of one array per column) of the rows the store writes (same
 * streams, same order, canonical JSON, hash-chained, prepared before the clock starts), one
 * transaction per `rawTxSize` rows: what the server itself can make durable.
 */
async function rawAppend(input: PostgresBenchInput, url: string): Promise<number> {
  const recordedAt = new Date().toISOString();
  const metadataJson = canonicalJson(input.metadata);
  const heads = new Map<number, { streamVersion: number; prevHash: string }>();
  const rows = input.schedule.map((stream, i) => {
    const head = heads.get(stream) ?? { streamVersion: 0, prevHash: GENESIS_HASH };
    const sealed = sealEvent(
      { type: 'MovementRecorded', schemaVersion: 1, data: input.sampleData(i) },
      { streamId: `bench-${stream}`, ...head },
      { eventId: newId(), recordedAt, metadata: input.metadata },
    );
    heads.set(stream, { streamVersion: head.streamVersion + 1, prevHash: sealed.hash });
    return [i + 1, sealed.eventId, sealed.streamId, sealed.streamVersion, sealed.type, 1, recordedAt, recordedAt,
      canonicalJson(sealed.data), metadataJson, sealed.prevHash, sealed.hash];
  });
  return withClient(url, async (client) => {
    await migratePostgresEventStore(client);
    const started = performance.now();
    for (let at = 0; at < rows.length; at += input.rawTxSize) {
      const batch = rows.slice(at, at + input.rawTxSize);
      const columns = Array.from({ length: 12 }, (_, c) => batch.map((row) => row[c]));
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO ledger_events (global_position, event_id, stream_id, stream_version, type, schema_version,
           recorded_at, effective_at, data, metadata, prev_hash, hash)
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::integer[], $5::text[], $6::integer[],
                              $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[])`,
        columns,
      );
      await client.query('COMMIT');
    }
    return performance.now() - started;
  });
}

/** `writers` concurrent writers, each waiting for its own single-event append, as bench:store's SQLite half. */
async function portAppend(input: PostgresBenchInput, store: PostgresEventStore): Promise<number> {
  const revisions = new Array<number>(input.streams).fill(-1);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: input.writers }, async (_, writer) => {
      const owned = input.ownedStreams(writer);
      for (let k = 0; ; k++) {
        const i = next++;
        if (i >= input.events) return;
        const streamIndex = owned[k % owned.length];
        const expected = revisions[streamIndex];
        await store.append(
          `bench-${streamIndex}`,
          [{ type: 'MovementRecorded', schemaVersion: 1, data: input.sampleData(i) }],
          expected < 0 ? 'no_stream' : expected,
          input.metadata,
        );
        revisions[streamIndex] = expected + 1;
      }
    }),
  );
  return performance.now() - started;
}

async function rawRead(url: string, events: number): Promise<number> {
  return withClient(url, async (client) => {
    const started = performance.now();
    let after = 0;
    let count = 0;
    for (;;) {
      const { rows } = await client.query<{ global_position: string }>(
        'SELECT * FROM ledger_events WHERE global_position > $1 ORDER BY global_position LIMIT 500',
        [after],
      );
      if (rows.length === 0) break;
      count += rows.length;
      after = Number(rows[rows.length - 1].global_position);
    }
    if (count !== events) throw new Error(`raw read saw ${count} rows`);
    return performance.now() - started;
  });
}

export async function benchPostgres(input: PostgresBenchInput): Promise<Record<string, unknown>> {
  const settings = await withClient(input.url, async (c) => {
    const { rows } = await c.query<{ name: string; setting: string }>(
      "SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'server_version')",
    );
    return Object.fromEntries(rows.map((r) => [r.name, r.setting]));
  });
  log(`PostgreSQL ${settings.server_version}: fsync=${settings.fsync}, synchronous_commit=${settings.synchronous_commit}`);
  const raw = await scratchDatabase(input.url, 'raw');
  const port = await scratchDatabase(input.url, 'port');
  try {
    const rawAppendMs = await rawAppend(input, raw.url);
    log(`postgres raw append (multi-row INSERT, tx of ${input.rawTxSize}): ${perSecond(input.events, rawAppendMs)} events/s`);
    const rawReadMs = await rawRead(raw.url, input.events);
    log(`postgres raw paged read: ${perSecond(input.events, rawReadMs)} events/s`);

    const store = new PostgresEventStore({ connectionString: port.url, clock: new SystemClock() });
    await store.whenReady();
    let appendMs: number;
    let replayMs: number;
    try {
      appendMs = await portAppend(input, store);
      log(`postgres append through the port: ${perSecond(input.events, appendMs)} events/s, ` +
        `${store.stats.transactions} transactions (${(store.stats.appends / store.stats.transactions).toFixed(1)} appends each)`);
      const started = performance.now();
      let count = 0;
      for await (const _event of store.readAll()) count += 1;
      replayMs = performance.now() - started;
      if (count !== input.events) throw new Error(`replay saw ${count} events`);
      log(`postgres replay through the port: ${perSecond(input.events, replayMs)} events/s`);
    } finally {
      await store.close();
    }
    return {
      server: settings,
      appendEventsPerSec: perSecond(input.events, appendMs),
      rawAppendLimitEventsPerSec: perSecond(input.events, rawAppendMs),
      appendRatio: Math.round((rawAppendMs / appendMs) * 100) / 100,
      transactions: store.stats.transactions,
      replayEventsPerSec: perSecond(input.events, replayMs),
      rawReadLimitEventsPerSec: perSecond(input.events, rawReadMs),
      replayRatio: Math.round((rawReadMs / replayMs) * 100) / 100,
    };
  } finally {
    await raw.drop();
    await port.drop();
  }
}
