import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { EventMetadata, RecordedEvent } from '../event-store/envelope';
import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store';
import { SystemClock } from '../shared/clock';
import { Projection } from './projection';
import { ProjectionRunner } from './projection-runner';
import { ReadModelDatabase } from './read-model-database';

const metadata: EventMetadata = { actorId: 'test', actorRole: 'steward', correlationId: 'c', causationId: 'c' };

/** Counts events per stream; a double application would show as a count too high. */
function counting(version = 1, failAt?: number): Projection {
  return {
    name: 'counts',
    version,
    tables: ['counts'],
    setup: (db) => db.exec('CREATE TABLE IF NOT EXISTS counts (stream_id TEXT PRIMARY KEY, n INTEGER NOT NULL, last INTEGER NOT NULL)'),
    apply: (db: Database.Database, event: RecordedEvent) => {
      if (event.globalPosition === failAt) throw new Error(`projection bug at ${failAt}`);
      db.prepare(
        `INSERT INTO counts (stream_id, n, last) VALUES (?, 1, ?)
         ON CONFLICT (stream_id) DO UPDATE SET n = n + 1, last = excluded.last`,
      ).run(event.streamId, event.globalPosition);
    },
  };
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

  const total = (db: ReadModelDatabase): number =>
    (db.db.prepare('SELECT COALESCE(SUM(n), 0) AS n FROM counts').get() as { n: number }).n;

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

  it('stops at a failing event without skipping it, and resumes exactly once when fixed', async () => {
    await appendMany(50);
    const broken = new ReadModelDatabase(readFile(), [counting(1, 30)]);
    const errors: Error[] = [];
    const runner = new ProjectionRunner(store, broken, (e) => errors.push(e));
    runner.start();
    await runner.waitFor(50, 500);
    await runner.stop();
    expect(errors.map((e) => e.message)).toEqual(['projection bug at 30']);
    expect(runner.status()).toMatchObject({ running: false, error: 'projection bug at 30' });
    // The whole failing batch was rolled back with its checkpoint.
    expect(broken.checkpoint('counts')?.position).toBe(total(broken));
    expect(total(broken)).toBeLessThan(30);
    broken.close();

    const fixed = new ReadModelDatabase(readFile(), [counting()]);
    await new ProjectionRunner(store, fixed).catchUp();
    expect(total(fixed)).toBe(50);
    fixed.close();
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
