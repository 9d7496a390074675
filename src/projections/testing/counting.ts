/**
 * Test read models for the projection runner's specs, in a module of their own so the rebuild
 * thread can load them by path (`projections`, as src/read-models.ts exports the ledger's).
 */
import { threadId } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import type { RecordedEvent } from '../../event-store/envelope';
import { EventCatalogue } from '../../event-store/event-catalogue';
import type { Projection } from '../projection';

/** Counts events per stream; a double application would show as a count too high. Its query index: `<name>_by_last`. */
export function counting(version = 1, failAt?: number, name = 'counts'): Projection {
  return {
    name,
    version,
    tables: [name],
    setup: (db) => db.exec(`CREATE TABLE IF NOT EXISTS ${name} (stream_id TEXT PRIMARY KEY, n INTEGER NOT NULL, last INTEGER NOT NULL)`),
    queryIndexes: [{ name: `${name}_by_last`, on: `${name} (last)` }],
    apply: (db: Database.Database, event: RecordedEvent) => {
      if (event.globalPosition === failAt) throw new Error(`projection bug at ${failAt}`);
      db.prepare(
        `INSERT INTO ${name} (stream_id, n, last) VALUES (?, 1, ?)
         ON CONFLICT (stream_id) DO UPDATE SET n = n + 1, last = excluded.last`,
      ).run(event.streamId, event.globalPosition);
    },
  };
}

/** Whether an index is there, per event applied: how many events found it there and how many did not. */
export function indexSeen(index: string): Projection {
  return {
    name: 'index-seen',
    version: 1,
    tables: ['index_seen'],
    setup: (db) => db.exec('CREATE TABLE IF NOT EXISTS index_seen (there INTEGER PRIMARY KEY, n INTEGER NOT NULL)'),
    apply: (db) => {
      const there = db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = ?").pluck().get(index) as number;
      db.prepare('INSERT INTO index_seen (there, n) VALUES (?, 1) ON CONFLICT (there) DO UPDATE SET n = n + 1').run(there);
    },
  };
}

/** Counts the events each thread applied (the main thread's id is 0), in `table`. */
export function appliedByIn(name: string, table: string): Projection {
  return {
    name,
    version: 1,
    tables: [table],
    setup: (db) => db.exec(`CREATE TABLE IF NOT EXISTS ${table} (thread INTEGER PRIMARY KEY, n INTEGER NOT NULL)`),
    apply: (db) => {
      db.prepare(`INSERT INTO ${table} (thread, n) VALUES (?, 1) ON CONFLICT (thread) DO UPDATE SET n = n + 1`).run(threadId);
    },
  };
}

export const appliedBy: Projection = appliedByIn('applied-by', 'applied_by');

/** Counts the events it read upcast (see `catalogue`): all of them, on any thread. */
export const upcastSeen: Projection = {
  name: 'upcast-seen',
  version: 1,
  tables: ['upcast_seen'],
  setup: (db) => db.exec('CREATE TABLE IF NOT EXISTS upcast_seen (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL)'),
  apply: (db, event) => {
    if ((event.data as { upcast?: boolean }).upcast !== true || event.schemaVersion !== 2) return;
    db.prepare('INSERT INTO upcast_seen (id, n) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET n = n + 1').run();
  },
};

/** What the rebuild thread builds in the specs: `counts` stuck at position 3,000, `others`, who applied them, and what was upcast. */
export const projections: readonly Projection[] = [counting(1, 3_000), counting(1, undefined, 'others'), appliedBy, upcastSeen];

let compiled: EventCatalogue | undefined;

/** The specs' catalogue: `Counted` is at version 2, and its version 1 (what the specs append) upcasts to it. */
export function catalogue(): EventCatalogue {
  compiled ??= new EventCatalogue([
    {
      type: 'Counted',
      schemaVersion: 2,
      data: { type: 'object' },
      upcasters: [{ from: 1, data: { type: 'object' }, upcast: (data: object) => ({ ...data, upcast: true }) }],
    },
  ]);
  return compiled;
}
