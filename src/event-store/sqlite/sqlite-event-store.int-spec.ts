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
      db.prepare(sql).run(position);
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
