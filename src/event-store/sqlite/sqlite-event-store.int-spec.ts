import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SystemClock } from '../../shared/clock';
import { describeEventStoreContract } from '../event-store.contract';
import { SqliteEventStore } from './sqlite-event-store';

describeEventStoreContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-store-'));
  const file = join(dir, 'events.db');
  const store = new SqliteEventStore({ file, clock: new SystemClock() });
  const raw = (sql: string, position: number) => async (): Promise<void> => {
    const db = new Database(file);
    try {
      const { changes } = db.prepare(sql).run(position);
      if (changes !== 1) throw new Error(`no event at position ${position}: the tamper attempt itself is wrong`);
    } catch (error) {
      // better-sqlite3's native module keeps the error class of the first jest sandbox that loaded
      // it, so its errors may fail instanceof checks here: re-raise in this realm.
      throw new Error((error as { message?: string }).message ?? String(error));
    } finally {
      db.close();
    }
  };
  return {
    store,
    gapFreePositions: true,
    tamperUpdate: (position) => raw(`UPDATE events SET data = '{"n":999}' WHERE global_position = ?`, position)(),
    tamperDelete: (position) => raw('DELETE FROM events WHERE global_position = ?', position)(),
    dispose: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
