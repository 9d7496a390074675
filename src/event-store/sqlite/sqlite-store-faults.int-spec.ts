import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SystemClock } from '../../shared/clock';
import { StoreUnavailableError, asStoreFault } from '../store-unavailable';
import { SqliteEventStore } from './sqlite-event-store';

const metadata = { actorId: 'test', actorRole: 'steward', correlationId: 'c', causationId: 'c' };

/** The file's size in pages now, read by a connection of its own. */
function pageCount(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return db.pragma('page_count', { simple: true }) as number;
  } finally {
    db.close();
  }
}

describe('SQLite store faults', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ledger-faults-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses appends on a full disk as StoreUnavailableError, and keeps serving reads', async () => {
    const file = join(dir, 'events.db');
    const setup = new SqliteEventStore({ file, clock: new SystemClock() });
    await setup.append('a', [{ type: 'T', schemaVersion: 1, data: {} }], 'no_stream', metadata);
    await setup.close();

    const store = new SqliteEventStore({ file, clock: new SystemClock(), maxPageCount: pageCount(file) });
    try {
      let refused: unknown;
      for (let i = 0; i < 500 && refused === undefined; i++) {
        await store
          .append(`s-${i}`, [{ type: 'T', schemaVersion: 1, data: { pad: 'x'.repeat(500) } }], 'no_stream', metadata)
          .catch((error: unknown) => (refused = error));
      }
      expect(refused).toBeInstanceOf(StoreUnavailableError);
      expect((refused as StoreUnavailableError).kind).toBe('SQLITE_FULL');
      expect(store.lastWriteFault()).toMatchObject({ kind: 'SQLITE_FULL' });
      // Reads still answer, and every refused append left nothing behind.
      const head = await store.headPosition();
      let read = 0;
      for await (const _event of store.readAll()) read += 1;
      expect(read).toBe(head);
      await expect(store.ping()).resolves.toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it('maps SQLite storage codes, and only those, to StoreUnavailableError', () => {
    for (const code of ['SQLITE_FULL', 'SQLITE_IOERR', 'SQLITE_IOERR_WRITE', 'SQLITE_READONLY', 'SQLITE_READONLY_DBMOVED', 'SQLITE_CANTOPEN', 'SQLITE_CORRUPT', 'SQLITE_NOTADB']) {
      expect(asStoreFault(Object.assign(new Error('x'), { code }))).toMatchObject({ name: 'StoreUnavailableError', kind: code });
    }
    for (const code of ['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_BUSY', 'SQLITE_ERROR', undefined]) {
      const error = Object.assign(new Error('x'), { code });
      expect(asStoreFault(error)).toBe(error);
    }
  });
});
