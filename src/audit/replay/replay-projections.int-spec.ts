import { EventCatalogue } from '../../event-store/event-catalogue';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../event-store/sqlite/sqlite-event-store';
import type { Projection } from '../../projections/projection';
import { ProjectionRunner } from '../../projections/projection-runner';
import { ReadModelDatabase } from '../../projections/read-model-database';
import { SystemClock } from '../../shared/clock';
import { replayAndCompare } from './replay-projections';

const metadata = { actorId: 'test', actorRole: 'steward', correlationId: 'c', causationId: 'c' };

function seen(failAt?: number): Projection {
  return {
    name: 'seen',
    version: 1,
    tables: ['seen'],
    setup: (db) => db.exec('CREATE TABLE IF NOT EXISTS seen (position INTEGER PRIMARY KEY)'),
    apply: (db, event) => {
      if (event.globalPosition === failAt) throw new Error(`bug at ${failAt}`);
      db.prepare('INSERT INTO seen (position) VALUES (?)').run(event.globalPosition);
    },
  };
}

describe('replayAndCompare', () => {
  let dir: string;
  let store: SqliteEventStore;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-replay-'));
    store = new SqliteEventStore({ file: join(dir, 'events.db'), clock: new SystemClock(), synchronous: 'NORMAL' });
    for (let i = 0; i < 10; i++) await store.append(`s-${i}`, [{ type: 'T', schemaVersion: 1, data: {} }], 'no_stream', metadata);
    const live = new ReadModelDatabase(join(dir, 'readmodels.db'), [seen()]);
    await new ProjectionRunner(store, live).catchUp();
    live.close();
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const replay = (projection: Projection) =>
    replayAndCompare({ store, projections: [projection], catalogue: new EventCatalogue([]), liveFile: join(dir, 'readmodels.db'), freshFile: join(dir, 'fresh.db') });

  it('passes when the rebuilt tables equal the live ones', async () => {
    await expect(replay(seen())).resolves.toMatchObject({ ok: true, position: 10, stuck: [] });
  });

  it('reports a projection that throws while rebuilt, with the event, instead of comparing it', async () => {
    const report = await replay(seen(4));
    expect(report.ok).toBe(false);
    expect(report.stuck).toEqual([{ projection: 'seen', position: 4, eventId: expect.any(String), type: 'T', error: 'bug at 4' }]);
    expect(report.differences).toEqual([]);
  });
});
