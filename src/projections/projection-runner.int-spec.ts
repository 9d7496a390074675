import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { EventMetadata, RecordedEvent } from '../event-store/envelope';
import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store';
import { SystemClock } from '../shared/clock';
import { Projection } from './projection';
import { ProjectionRunner } from './projection-runner';
import { ReadModelDatabase } from './read-model-database';
import type { ThreadModules } from './rebuild-thread';
import { catalogue as threadCatalogue, counting, indexSeen, projections as threadProjections } from './testing/counting';
import { apart, projections as apartProjections } from './testing/apart';

/** The test read models and catalogue, as the rebuild thread loads them. */
const THREAD_MODULE = join(__dirname, 'testing', 'counting.ts');
const APART_MODULE = join(__dirname, 'testing', 'apart.ts');

const metadata: EventMetadata = { actorId: 'test', actorRole: 'steward', correlationId: 'c', causationId: 'c' };

/** Counts like `counting`, but adds up a batch in memory and writes once per batch (Projection.batch). */
function batchedCounting(failAt?: number) {
  const sums = new Map<Database.Database, Map<string, [n: number, last: number]>>();
  const calls = { begin: 0, end: 0, abandon: 0, writes: 0 };
  const write = (db: Database.Database, stream: string, n: number, last: number) => {
    calls.writes += 1;
    db.prepare('INSERT INTO batched (stream_id, n, last) VALUES (?, ?, ?) ON CONFLICT (stream_id) DO UPDATE SET n = n + excluded.n, last = excluded.last').run(stream, n, last);
  };
  const projection: Projection = {
    name: 'batched',
    version: 1,
    tables: ['batched'],
    setup: (db) => db.exec('CREATE TABLE IF NOT EXISTS batched (stream_id TEXT PRIMARY KEY, n INTEGER NOT NULL, last INTEGER NOT NULL)'),
    apply: (db, event) => {
      if (event.globalPosition === failAt) throw new Error(`projection bug at ${failAt}`);
      const batch = sums.get(db);
      if (!batch) return write(db, event.streamId, 1, event.globalPosition);
      const sum = batch.get(event.streamId) ?? [0, 0];
      batch.set(event.streamId, [sum[0] + 1, event.globalPosition]);
    },
    batch: {
      begin: (db) => {
        calls.begin += 1;
        sums.set(db, new Map());
      },
      end: (db) => {
        calls.end += 1;
        for (const [stream, [n, last]] of sums.get(db) ?? []) write(db, stream, n, last);
        sums.delete(db);
      },
      abandon: (db) => {
        calls.abandon += 1;
        sums.delete(db);
      },
    },
  };
  return { projection, calls };
}

describe('projection runner', () => {
  let dir: string;
  let store: SqliteEventStore;
  const readFile = () => join(dir, 'readmodels.db');

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-proj-'));
    store = new SqliteEventStore({ file: join(dir, 'events.db'), clock: new SystemClock() });
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function appendMany(count: number, streams = 5): Promise<void> {
    await Promise.all(
      Array.from({ length: count }, (_, i) =>
        store.append(`s-${i % streams}`, [{ type: 'Counted', schemaVersion: 1, data: { i } }], 'any', metadata),
      ),
    );
  }

  const total = (db: ReadModelDatabase, table = 'counts'): number =>
    (db.db.prepare(`SELECT COALESCE(SUM(n), 0) AS n FROM ${table}`).get() as { n: number }).n;

  const indexes = (db: ReadModelDatabase): string[] =>
    db.db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE '%_by_last' ORDER BY name").pluck().all() as string[];
  const seen = (db: ReadModelDatabase) => db.db.prepare('SELECT there, n FROM index_seen ORDER BY there').all();

  async function allEvents(): Promise<RecordedEvent[]> {
    const out: RecordedEvent[] = [];
    for await (const e of store.readAll()) out.push(e);
    return out;
  }

  it('rebuilds read models that were built from another log, instead of trusting them', async () => {
    await appendMany(300);
    const readModels = new ReadModelDatabase(readFile(), [counting()]);
    await new ProjectionRunner(store, readModels).catchUp();
    expect(total(readModels)).toBe(300);
    readModels.close();
    // An older events.db restored beside them: 200 events, so the read models are ahead of it.
    await store.close();
    rmSync(join(dir, 'events.db'), { force: true });
    rmSync(join(dir, 'events.db-wal'), { force: true });
    rmSync(join(dir, 'events.db-shm'), { force: true });
    store = new SqliteEventStore({ file: join(dir, 'events.db'), clock: new SystemClock() });
    await appendMany(200);
    const errors: Error[] = [];
    const again = new ReadModelDatabase(readFile(), [counting()]);
    await new ProjectionRunner(store, again, (e) => errors.push(e)).catchUp();
    expect(total(again)).toBe(200);
    // Followed on as usual.
    await appendMany(100);
    await new ProjectionRunner(store, again).catchUp();
    expect(total(again)).toBe(300);
    again.close();
    // A log as long, with other events at the same positions (other ids): rebuilt too.
    await store.close();
    rmSync(join(dir, 'events.db'), { force: true });
    rmSync(join(dir, 'events.db-wal'), { force: true });
    rmSync(join(dir, 'events.db-shm'), { force: true });
    store = new SqliteEventStore({ file: join(dir, 'events.db'), clock: new SystemClock() });
    await appendMany(300, 3);
    const third = new ReadModelDatabase(readFile(), [counting()]);
    await new ProjectionRunner(store, third, (e) => errors.push(e)).catchUp();
    expect(total(third)).toBe(300);
    // Three streams of 100 now, not five of 60.
    expect((third.db.prepare('SELECT MAX(n) AS n FROM counts').get() as { n: number }).n).toBe(100);
    third.close();
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringContaining('built from another log'),
      expect.stringContaining('built from another log'),
    ]);
  });

  it('reports a rebuild from start until it reaches the head of that moment', async () => {
    await appendMany(1500);
    const readModels = new ReadModelDatabase(readFile(), [counting()]);
    const runner = new ProjectionRunner(store, readModels);
    runner.start(await store.headPosition());
    expect(runner.rebuilding()).toMatchObject({ target: 1500, position: 0 });
    expect(runner.status().rebuilding).toMatchObject({ target: 1500 });
    expect(await runner.waitFor(1500, 10_000)).toBe(true);
    expect(runner.rebuilding()).toBeUndefined();
    expect(runner.status().rebuilding).toBeUndefined();
    await runner.stop();
    readModels.close();
  });

  it('applies each event exactly once across restarts', async () => {
    await appendMany(1200);
    let readModels = new ReadModelDatabase(readFile(), [counting()]);
    await new ProjectionRunner(store, readModels).catchUp();
    expect(total(readModels)).toBe(1200);
    readModels.close();

    await appendMany(300);
    readModels = new ReadModelDatabase(readFile(), [counting()]);
    const runner = new ProjectionRunner(store, readModels);
    expect(runner.status().position).toBe(1200);
    await runner.catchUp();
    expect(total(readModels)).toBe(1500);
    expect(readModels.checkpoint('counts')?.position).toBe(1500);
    readModels.close();
  });

  it('follows new events live and lets a writer wait for its position', async () => {
    const readModels = new ReadModelDatabase(readFile(), [counting()]);
    const runner = new ProjectionRunner(store, readModels);
    runner.start();
    const { position } = await store.append('live', [{ type: 'Counted', schemaVersion: 1, data: {} }], 'no_stream', metadata);
    await expect(runner.waitFor(position, 2000)).resolves.toBe(true);
    expect(total(readModels)).toBe(1);
    await expect(runner.waitFor(position + 10, 50)).resolves.toBe(false);
    await runner.stop();
    readModels.close();
  });

  it('marks a throwing projection stuck at its event and keeps the others following the log', async () => {
    await appendMany(50);
    const broken = new ReadModelDatabase(readFile(), [counting(1, 30), counting(1, undefined, 'others')]);
    const errors: Error[] = [];
    const runner = new ProjectionRunner(store, broken, (e) => errors.push(e));
    runner.start();
    // Read-your-writes waits count only the healthy projections.
    await expect(runner.waitFor(50, 2000)).resolves.toBe(true);
    const { position } = await store.append('late', [{ type: 'Counted', schemaVersion: 1, data: {} }], 'no_stream', metadata);
    await expect(runner.waitFor(position, 2000)).resolves.toBe(true);
    await runner.stop();

    const event30 = (await allEvents()).find((e) => e.globalPosition === 30)!;
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toContain('counts is stuck at position 30');
    const status = runner.status();
    expect(status.position).toBe(51);
    expect(status.projections).toEqual([
      {
        name: 'counts',
        version: 1,
        position: 29,
        stuck: { position: 30, eventId: event30.eventId, type: 'Counted', error: 'projection bug at 30', since: expect.any(String) },
      },
      { name: 'others', version: 1, position: 51 },
    ]);
    // Nothing skipped: exactly the events before the failing one are applied, and its checkpoint says so.
    expect(total(broken)).toBe(29);
    expect(broken.checkpoint('counts')?.position).toBe(29);
    expect(total(broken, 'others')).toBe(51);
    broken.close();

    // The same code on the next start is stuck at the same event, and applies nothing twice.
    const again = new ReadModelDatabase(readFile(), [counting(1, 30), counting(1, undefined, 'others')]);
    const second = new ProjectionRunner(store, again);
    await second.catchUp();
    expect(second.status().projections[0].stuck?.position).toBe(30);
    expect(total(again)).toBe(29);
    expect(total(again, 'others')).toBe(51);
    again.close();

    // A fixed version is rebuilt from position 0, past the event.
    const fixed = new ReadModelDatabase(readFile(), [counting(2), counting(1, undefined, 'others')]);
    const third = new ProjectionRunner(store, fixed);
    await third.catchUp();
    expect(third.status().projections.every((p) => !p.stuck)).toBe(true);
    expect(total(fixed)).toBe(51);
    expect(total(fixed, 'others')).toBe(51);
    fixed.close();
  });

  it('makes the query indexes with the first batch after a short catch-up, and at start when the tables are at the head without them', async () => {
    await appendMany(20);
    const readModels = new ReadModelDatabase(readFile(), [counting(), counting(1, undefined, 'others')]);
    expect(readModels.indexesDeferred).toBe(true);
    await new ProjectionRunner(store, readModels).catchUp();
    expect(indexes(readModels)).toEqual(['counts_by_last', 'others_by_last']);
    readModels.db.exec('DROP INDEX others_by_last');
    readModels.close();

    // At the head already (a projection with a new index, say): made at start, before any new event.
    const reopened = new ReadModelDatabase(readFile(), [counting(), counting(1, undefined, 'others')]);
    const runner = new ProjectionRunner(store, reopened);
    runner.start(await store.headPosition());
    await expect(runner.waitFor(20, 5_000)).resolves.toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(indexes(reopened)).toEqual(['counts_by_last', 'others_by_last']);
    await runner.stop();
    reopened.close();
  });

  it('opens savepoints only to apply again a transaction in which a projection threw', async () => {
    await appendMany(20);
    const statements = (readModels: ReadModelDatabase) => {
      const seen: string[] = [];
      const exec = readModels.db.exec.bind(readModels.db);
      jest.spyOn(readModels.db, 'exec').mockImplementation((text: string) => {
        seen.push(text);
        return exec(text);
      });
      return seen;
    };
    const healthy = new ReadModelDatabase(readFile(), [counting(), counting(1, undefined, 'others')]);
    const healthySeen = statements(healthy);
    await new ProjectionRunner(store, healthy).catchUp();
    expect(total(healthy)).toBe(20);
    expect(healthySeen.filter((text) => text.includes('SAVEPOINT'))).toEqual([]);
    healthy.close();

    const failing = new ReadModelDatabase(join(dir, 'failing.db'), [counting(1, 12), counting(1, undefined, 'others')]);
    const failingSeen = statements(failing);
    await new ProjectionRunner(store, failing, () => undefined).catchUp();
    // The batch failed without savepoints, was rolled back, and was applied again with one per
    // projection, and one more for the failing projection's events before the one it threw on.
    expect(failingSeen.filter((text) => text.includes('SAVEPOINT'))).toHaveLength(3);
    expect(total(failing)).toBe(11);
    expect(total(failing, 'others')).toBe(20);
    failing.close();
  });

  it('lets a projection add up each batch and write it once, and drops the sums of a batch that fails', async () => {
    await appendMany(50);
    const batched = batchedCounting(30);
    const readModels = new ReadModelDatabase(readFile(), [batched.projection, counting(1, undefined, 'others')]);
    const runner = new ProjectionRunner(store, readModels, () => undefined);
    await runner.catchUp();
    // Exactly the 29 events before the failing one, written per stream and batch, not per event.
    expect(total(readModels, 'batched')).toBe(29);
    expect(readModels.checkpoint('batched')?.position).toBe(29);
    expect(total(readModels, 'others')).toBe(50);
    // Dropped twice: on the batch applied without savepoints, then on its careful retry.
    expect(batched.calls.abandon).toBe(2);
    expect(batched.calls.end).toBeGreaterThan(0);
    expect(batched.calls.writes).toBeLessThan(29);
    readModels.close();
  });

  it('treats a storage fault as the runner\'s, not a stuck projection, and retries until it clears', async () => {
    await appendMany(20);
    let full = true;
    const flaky: Projection = {
      ...counting(1, undefined, 'flaky'),
      apply: (db, event) => {
        if (full) throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
        counting(1, undefined, 'flaky').apply(db, event);
      },
    };
    const readModels = new ReadModelDatabase(readFile(), [flaky]);
    const errors: Error[] = [];
    const runner = new ProjectionRunner(store, readModels, (e) => errors.push(e));
    runner.start();
    await expect(runner.waitFor(20, 300)).resolves.toBe(false);
    expect(errors.map((e) => e.message)).toEqual(['database or disk is full']);
    expect(runner.status()).toMatchObject({ projections: [{ name: 'flaky', position: 0 }] });
    expect(runner.status().projections[0].stuck).toBeUndefined();
    full = false;
    await expect(runner.waitFor(20, 5000)).resolves.toBe(true);
    expect(runner.status()).toMatchObject({ running: true, position: 20 });
    expect(runner.status().error).toBeUndefined();
    expect(total(readModels, 'flaky')).toBe(20);
    // Retried several times, the same fault is reported once.
    expect(errors).toHaveLength(1);
    await runner.stop();
    readModels.close();
  });

  it('rebuilds a projection from position 0 when its version changes', async () => {
    await appendMany(40);
    const v1 = new ReadModelDatabase(readFile(), [counting(1)]);
    await new ProjectionRunner(store, v1).catchUp();
    v1.db.prepare("UPDATE counts SET n = 999 WHERE stream_id = 's-0'").run();
    v1.close();

    const v2 = new ReadModelDatabase(readFile(), [counting(2)]);
    expect(v2.checkpoint('counts')).toMatchObject({ version: 2, position: 0 });
    await new ProjectionRunner(store, v2).catchUp();
    expect(total(v2)).toBe(40);
    v2.close();
  });

  it('drops the tables a projection new under its name finds left by the one it replaces (a split)', async () => {
    await appendMany(40);
    const old = new ReadModelDatabase(readFile(), [counting(1)]);
    await new ProjectionRunner(store, old).catchUp();
    old.close();

    const split = new ReadModelDatabase(readFile(), [{ ...counting(1), name: 'counts-split' }]);
    expect(split.checkpoint('counts-split')).toMatchObject({ version: 1, position: 0 });
    await new ProjectionRunner(store, split).catchUp();
    expect(total(split)).toBe(40);
    split.close();
  });

  describe('a catch-up far behind, in long transactions', () => {
    // Past LONG_BACKLOG (5,000) events behind, batches of 500 join one transaction of up to 20,000.
    const EVENTS = 6_000;

    it('does not apply a projection found stuck in the transaction past its event in a later batch', async () => {
      await appendMany(EVENTS);
      const readModels = new ReadModelDatabase(readFile(), [counting(1, 3_000), counting(1, undefined, 'others')]);
      const errors: Error[] = [];
      const runner = new ProjectionRunner(store, readModels, (e) => errors.push(e));
      runner.start(await store.headPosition());
      await expect(runner.waitFor(EVENTS, 20_000)).resolves.toBe(true);
      await runner.stop();
      expect(errors.map((e) => e.message)).toEqual([expect.stringContaining('counts is stuck at position 3000')]);
      expect(runner.status().projections[0]).toMatchObject({ position: 2_999, stuck: { position: 3_000 } });
      expect(total(readModels)).toBe(2_999);
      expect(total(readModels, 'others')).toBe(EVENTS);

      // The CLI's catch-up, in the same long transactions, is stuck at the same event.
      const again = new ReadModelDatabase(join(dir, 'again.db'), [counting(1, 3_000), counting(1, undefined, 'others')]);
      await new ProjectionRunner(store, again, () => undefined).catchUp();
      expect(total(again)).toBe(2_999);
      expect(again.checkpoint('counts')?.position).toBe(2_999);
      expect(total(again, 'others')).toBe(EVENTS);
      again.close();
      readModels.close();
    });

    it('makes the query indexes of tables built from position 0 in the commit that reaches the head, not before', async () => {
      await appendMany(EVENTS);
      const readModels = new ReadModelDatabase(readFile(), [counting(), indexSeen('counts_by_last')]);
      expect(indexes(readModels)).toEqual([]);
      const runner = new ProjectionRunner(store, readModels);
      runner.start(await store.headPosition());
      await expect(runner.waitFor(EVENTS, 20_000)).resolves.toBe(true);
      // Every event of the rebuild was applied without the index; it is there once caught up.
      expect(seen(readModels)).toEqual([{ there: 0, n: EVENTS }]);
      expect(indexes(readModels)).toEqual(['counts_by_last']);
      expect(readModels.indexesDeferred).toBe(false);
      const { position } = await store.append('live', [{ type: 'Counted', schemaVersion: 1, data: {} }], 'no_stream', metadata);
      await expect(runner.waitFor(position, 5_000)).resolves.toBe(true);
      expect(seen(readModels)).toEqual([{ there: 0, n: EVENTS }, { there: 1, n: 1 }]);
      await runner.stop();
      readModels.close();

      // A stop in the middle of a rebuild leaves no index; the next start makes it at the end, as the CLI's catch-up does.
      const partial = new ReadModelDatabase(join(dir, 'partial.db'), [counting()]);
      await new ProjectionRunner(store, partial).catchUp(3_000);
      expect(indexes(partial)).toEqual(['counts_by_last']);
      partial.db.exec('DROP INDEX counts_by_last');
      partial.close();
      const again = new ReadModelDatabase(join(dir, 'partial.db'), [counting()]);
      expect(again.indexesDeferred).toBe(true);
      await new ProjectionRunner(store, again).catchUp();
      expect(indexes(again)).toEqual(['counts_by_last']);
      expect(total(again)).toBe(EVENTS + 1);
      again.close();
    });

    it('rolls the whole transaction back on a storage fault and applies every event exactly once after', async () => {
      await appendMany(EVENTS);
      let faults = 1;
      const flaky: Projection = {
        ...counting(),
        apply: (db, event) => {
          if (event.globalPosition === 4_000 && faults-- > 0) throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
          counting().apply(db, event);
        },
      };
      const readModels = new ReadModelDatabase(readFile(), [flaky]);
      const errors: Error[] = [];
      const runner = new ProjectionRunner(store, readModels, (e) => errors.push(e));
      runner.start(await store.headPosition());
      await expect(runner.waitFor(EVENTS, 20_000)).resolves.toBe(true);
      await runner.stop();
      expect(errors.map((e) => e.message)).toEqual(['database or disk is full']);
      expect(runner.status().projections[0].stuck).toBeUndefined();
      expect(total(readModels)).toBe(EVENTS);
      expect(readModels.checkpoint('counts')?.position).toBe(EVENTS);
      readModels.close();
    });

    it('keeps what it applied when stopped in the middle, and applies nothing twice on the next start', async () => {
      await appendMany(EVENTS);
      let runner: ProjectionRunner | undefined;
      let stopped: Promise<void> | undefined;
      const stopping: Projection = {
        ...counting(),
        apply: (db, event) => {
          counting().apply(db, event);
          if (event.globalPosition === 2_600) stopped = runner!.stop();
        },
      };
      const readModels = new ReadModelDatabase(readFile(), [stopping]);
      runner = new ProjectionRunner(store, readModels);
      runner.start(await store.headPosition());
      while (!stopped) await new Promise((resolve) => setTimeout(resolve, 10));
      await stopped;
      // Committed on the way out: the batches applied before the stop, checkpoint with them.
      const kept = readModels.checkpoint('counts')?.position ?? 0;
      expect(kept).toBeGreaterThanOrEqual(2_600);
      expect(kept).toBeLessThan(EVENTS);
      expect(total(readModels)).toBe(kept);
      expect(runner.status().position).toBe(kept);
      readModels.close();

      const next = new ReadModelDatabase(readFile(), [counting()]);
      await new ProjectionRunner(store, next).catchUp();
      expect(total(next)).toBe(EVENTS);
      next.close();
    });
  });

  describe.each([
    ['reading the log itself', { projections: THREAD_MODULE, catalogue: { module: THREAD_MODULE, exportName: 'catalogue' } }],
    ['fed by this thread', { projections: THREAD_MODULE }],
  ])('a rebuild in the rebuild thread, %s', (_mode, modules: ThreadModules) => {
    const EVENTS = 6_000;
    const upcast = (event: RecordedEvent) => threadCatalogue().upcast(event);
    const inThread = (readModels: ReadModelDatabase, errors: Error[], rebuildThread: ThreadModules = modules) =>
      new ProjectionRunner(store, readModels, (e) => errors.push(e), undefined, upcast, { rebuildThread });
    const upcastSeen = (readModels: ReadModelDatabase) => readModels.db.prepare('SELECT n FROM upcast_seen').pluck().get();
    /** A log of EVENTS events, empty read models, and a runner started on them that rebuilds through the thread. */
    async function startRebuild(rebuildThread: ThreadModules = modules) {
      await appendMany(EVENTS);
      const readModels = new ReadModelDatabase(readFile(), threadProjections);
      const errors: Error[] = [];
      const runner = inThread(readModels, errors, rebuildThread);
      runner.start(await store.headPosition());
      return { readModels, errors, runner };
    }

    it('builds the same rows, finds the same projection stuck, then follows the log on this thread', async () => {
      const { readModels, errors, runner } = await startRebuild();
      expect(runner.rebuilding()).toMatchObject({ target: EVENTS });
      await expect(runner.waitFor(EVENTS, 30_000)).resolves.toBe(true);
      expect(runner.rebuilding()).toBeUndefined();
      // Nothing about the thread failing: only the stuck projection, reported once.
      expect(errors.map((e) => e.message)).toEqual([expect.stringContaining('counts is stuck at position 3000')]);
      expect(runner.status().projections).toMatchObject([
        { name: 'counts', position: 2_999, stuck: { position: 3_000 } },
        { name: 'others', position: EVENTS },
        { name: 'applied-by', position: EVENTS },
        { name: 'upcast-seen', position: EVENTS },
      ]);
      expect(total(readModels)).toBe(2_999);
      expect(total(readModels, 'others')).toBe(EVENTS);
      expect(upcastSeen(readModels)).toBe(EVENTS);
      // The thread made the query indexes in its last commit.
      expect(indexes(readModels)).toEqual(['counts_by_last', 'others_by_last']);
      // Every event of the rebuild was applied by one other thread, none by this one.
      const appliedBy = () => readModels.db.prepare('SELECT thread, n FROM applied_by ORDER BY thread').all();
      expect(appliedBy()).toEqual([{ thread: expect.any(Number), n: EVENTS }]);
      expect(appliedBy()).not.toContainEqual(expect.objectContaining({ thread: 0 }));

      const { position } = await store.append('live', [{ type: 'Counted', schemaVersion: 1, data: {} }], 'no_stream', metadata);
      await expect(runner.waitFor(position, 5_000)).resolves.toBe(true);
      expect(total(readModels, 'others')).toBe(EVENTS + 1);
      expect(total(readModels)).toBe(2_999);
      expect(upcastSeen(readModels)).toBe(EVENTS + 1);
      // Live, on this thread.
      expect(appliedBy()).toContainEqual({ thread: 0, n: 1 });
      await runner.stop();
      readModels.close();
    });

    it('goes on from the last commit on this thread when the thread fails', async () => {
      const { readModels, errors, runner } = await startRebuild({ ...modules, projections: join(dir, 'no-such-module.js') });
      await expect(runner.waitFor(EVENTS, 30_000)).resolves.toBe(true);
      await runner.stop();
      expect(errors.map((e) => e.message)).toEqual([
        expect.stringMatching(/^the rebuild thread failed: .*no-such-module.*; the read models go on from position 0 on the main thread$/s),
        expect.stringContaining('counts is stuck at position 3000'),
      ]);
      expect(total(readModels)).toBe(2_999);
      expect(total(readModels, 'others')).toBe(EVENTS);
      expect(upcastSeen(readModels)).toBe(EVENTS);
      expect(readModels.db.prepare('SELECT thread, n FROM applied_by').all()).toEqual([{ thread: 0, n: EVENTS }]);
      readModels.close();
    });

    it('refuses to build read models other than the runner\'s, and rebuilds on this thread', async () => {
      // The same names, one version changed: the thread would drop and rebuild `others` alone.
      const other = join(dir, 'other-read-models.js');
      writeFileSync(other, `const { projections } = require(${JSON.stringify(THREAD_MODULE.replace(/\.ts$/, ''))});
        module.exports.projections = projections.map((p) => (p.name === 'others' ? { ...p, version: 2 } : p));`);
      const { readModels, errors, runner } = await startRebuild({ ...modules, projections: other });
      await expect(runner.waitFor(EVENTS, 30_000)).resolves.toBe(true);
      await runner.stop();
      expect(errors[0].message).toMatch(/^the rebuild thread failed: the module's read models are not the runner's: .*"others","version":2/);
      expect(total(readModels, 'others')).toBe(EVENTS);
      expect(readModels.checkpoint('others')).toMatchObject({ version: 1, position: EVENTS });
      expect(readModels.db.prepare('SELECT thread, n FROM applied_by').all()).toEqual([{ thread: 0, n: EVENTS }]);
      readModels.close();
    });

    it('starts no thread when stopped at once', async () => {
      await appendMany(EVENTS);
      const readModels = new ReadModelDatabase(readFile(), threadProjections);
      const errors: Error[] = [];
      const runner = inThread(readModels, errors);
      // Stopped in the same turn as started: while the runner still checks the read models' origin.
      runner.start(await store.headPosition());
      await runner.stop();
      expect(errors).toEqual([]);
      expect(readModels.db.prepare('SELECT thread, n FROM applied_by').all()).toEqual([]);
      expect(readModels.checkpoint('others')?.position).toBe(0);
      readModels.close();
    });

    it('commits what the thread holds when stopped, and applies nothing twice on the next start', async () => {
      await appendMany(EVENTS);
      const readModels = new ReadModelDatabase(readFile(), threadProjections);
      const runner = inThread(readModels, []);
      runner.start(await store.headPosition());
      await new Promise((resolve) => setTimeout(resolve, 100));
      await runner.stop();
      const kept = readModels.checkpoint('others')?.position ?? 0;
      expect(total(readModels, 'others')).toBe(kept);
      expect(runner.status().position).toBe(kept);
      readModels.close();

      const next = new ReadModelDatabase(readFile(), threadProjections);
      await new ProjectionRunner(store, next, () => undefined, undefined, upcast).catchUp();
      expect(total(next, 'others')).toBe(EVENTS);
      expect(total(next)).toBe(2_999);
      expect(upcastSeen(next)).toBe(EVENTS);
      next.close();
    });
  });

  describe('a rebuild split over two threads (read models apart)', () => {
    const EVENTS = 6_000;
    const modules: ThreadModules = { projections: APART_MODULE, catalogue: { module: APART_MODULE, exportName: 'catalogue' }, apart };
    const upcast = (event: RecordedEvent) => threadCatalogue().upcast(event);
    const threadsOf = (readModels: ReadModelDatabase, table: string) => readModels.db.prepare(`SELECT thread, n FROM ${table} ORDER BY thread`).all() as Array<{ thread: number; n: number }>;
    const scratchFiles = () => readdirSync(dir).filter((name) => name.includes('.rebuild-apart'));
    async function startRebuild(rebuildThread: ThreadModules = modules) {
      const readModels = new ReadModelDatabase(readFile(), apartProjections);
      const errors: Error[] = [];
      const runner = new ProjectionRunner(store, readModels, (e) => errors.push(e), undefined, upcast, { rebuildThread });
      runner.start(await store.headPosition());
      return { readModels, errors, runner };
    }

    it('builds the read models apart in a thread of their own and copies them in, stuck one and query index too', async () => {
      await appendMany(EVENTS);
      const { readModels, errors, runner } = await startRebuild();
      // Progress while the thread apart has copied nothing yet: what both threads have applied.
      const seen: number[] = [];
      while (runner.rebuilding()) {
        seen.push(runner.rebuilding()!.position);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await expect(runner.waitFor(EVENTS, 30_000)).resolves.toBe(true);
      expect(seen.length).toBeGreaterThan(0);
      expect([...seen].sort((a, b) => a - b)).toEqual(seen);
      // Short of the target until the copy: the read models apart are not there before it.
      expect(seen.every((position) => position < EVENTS)).toBe(true);
      expect(errors.map((e) => e.message)).toEqual([expect.stringContaining('counts is stuck at position 3000')]);
      expect(runner.status().projections).toMatchObject([
        { name: 'counts', position: 2_999, stuck: { position: 3_000 } },
        { name: 'others', position: EVENTS },
        { name: 'applied-by', position: EVENTS },
        { name: 'applied-by-apart', position: EVENTS },
      ]);
      expect(total(readModels)).toBe(2_999);
      expect(total(readModels, 'others')).toBe(EVENTS);
      // Two threads, neither the main one: each read model's events all applied by one of them.
      const [first] = threadsOf(readModels, 'applied_by');
      const [second] = threadsOf(readModels, 'applied_by_apart');
      expect(threadsOf(readModels, 'applied_by')).toEqual([{ thread: first.thread, n: EVENTS }]);
      expect(threadsOf(readModels, 'applied_by_apart')).toEqual([{ thread: second.thread, n: EVENTS }]);
      expect(new Set([0, first.thread, second.thread]).size).toBe(3);
      // The copy brought the query index of `counts`; `others` made its own in the first thread.
      expect(indexes(readModels)).toEqual(['counts_by_last', 'others_by_last']);
      expect(scratchFiles()).toEqual([]);

      // Then the log is followed on this thread, the copied read models included.
      const { position } = await store.append('live', [{ type: 'Counted', schemaVersion: 1, data: {} }], 'no_stream', metadata);
      await expect(runner.waitFor(position, 5_000)).resolves.toBe(true);
      expect(threadsOf(readModels, 'applied_by_apart')).toContainEqual({ thread: 0, n: 1 });
      await runner.stop();
      readModels.close();
    });

    it('builds the same rows as one thread', async () => {
      await appendMany(EVENTS);
      const { readModels, runner } = await startRebuild();
      await expect(runner.waitFor(EVENTS, 30_000)).resolves.toBe(true);
      await runner.stop();
      const single = new ReadModelDatabase(join(dir, 'single.db'), apartProjections);
      await new ProjectionRunner(store, single, () => undefined, undefined, upcast).catchUp();
      for (const table of ['counts', 'others']) {
        const rows = (db: ReadModelDatabase) => db.db.prepare(`SELECT * FROM ${table} ORDER BY stream_id`).all();
        expect(rows(readModels)).toEqual(rows(single));
      }
      expect(readModels.checkpoints()).toEqual(single.checkpoints());
      single.close();
      readModels.close();
    });

    it('copies nothing when stopped first: the read models apart start again from 0, nothing applied twice', async () => {
      await appendMany(EVENTS);
      const { readModels, runner } = await startRebuild();
      await new Promise((resolve) => setTimeout(resolve, 100));
      await runner.stop();
      expect(readModels.checkpoint('applied-by-apart')?.position).toBe(0);
      expect(threadsOf(readModels, 'applied_by_apart')).toEqual([]);
      const kept = readModels.checkpoint('others')?.position ?? 0;
      expect(total(readModels, 'others')).toBe(kept);
      expect(scratchFiles()).toEqual([]);
      readModels.close();

      const next = new ReadModelDatabase(readFile(), apartProjections);
      await new ProjectionRunner(store, next, () => undefined, undefined, upcast).catchUp();
      expect(total(next, 'others')).toBe(EVENTS);
      expect(total(next)).toBe(2_999);
      expect(threadsOf(next, 'applied_by_apart')).toEqual([{ thread: 0, n: EVENTS }]);
      next.close();
    });

    it('splits nothing when a read model apart is past position 0 (a catch-up, not a rebuild), and drops a scratch file left behind', async () => {
      await appendMany(100);
      const first = new ReadModelDatabase(readFile(), apartProjections);
      await new ProjectionRunner(store, first, () => undefined, undefined, upcast).catchUp();
      first.close();
      writeFileSync(`${readFile()}.rebuild-apart`, 'left by a crash');
      await appendMany(EVENTS);
      const { readModels, runner } = await startRebuild();
      await expect(runner.waitFor(EVENTS + 100, 30_000)).resolves.toBe(true);
      await runner.stop();
      // One rebuild thread applied the catch-up to every read model.
      const [{ thread }] = threadsOf(readModels, 'applied_by').filter((row) => row.thread !== 0);
      expect(threadsOf(readModels, 'applied_by_apart')).toEqual([{ thread: 0, n: 100 }, { thread, n: EVENTS }]);
      expect(scratchFiles()).toEqual([]);
      readModels.close();
    });
  });

  it('never applies an event twice when two runners share one read database', async () => {
    await appendMany(2000, 7);
    const a = new ReadModelDatabase(readFile(), [counting()]);
    const b = new ReadModelDatabase(readFile(), [counting()]);
    await Promise.all([new ProjectionRunner(store, a).catchUp(), new ProjectionRunner(store, b).catchUp()]);
    expect(total(a)).toBe(2000);
    a.close();
    b.close();
  });
});
