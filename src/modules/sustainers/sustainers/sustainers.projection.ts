import type { RecordedEvent } from '../../../event-store/envelope';
import { Projection, sql } from '../../../projections/projection';
import type { SustainerEvent } from '../sustainer/sustainer.decider';

/**
 * Sustainers as a read model. Personal data is kept only as the sealed blob from the log and
 * opened at query time with the key store; on erasure the blob is dropped here too. A function
 * of the log alone, so `ledger replay` rebuilds the same rows.
 *
 * Version 2: until then this projection also held the pledges and donations tables, which now
 * have read models of their own.
 */
export const sustainersProjection: Projection = {
  name: 'sustainers',
  version: 2,
  tables: ['sustainers'],
  setup(db) {
    db.exec(`CREATE TABLE IF NOT EXISTS sustainers (
        sustainer_id TEXT PRIMARY KEY, anonymous INTEGER NOT NULL, status TEXT NOT NULL, personal TEXT,
        registered_at TEXT NOT NULL, erased_at TEXT);`);
  },
  apply(db, event: RecordedEvent) {
    const e = event as unknown as SustainerEvent | { type: 'other' };
    switch (e.type) {
      case 'SustainerRegistered':
        sql(db, 'INSERT INTO sustainers (sustainer_id, anonymous, status, personal, registered_at) VALUES (?, ?, ?, ?, ?)').run(
          e.data.sustainerId, e.data.anonymous ? 1 : 0, 'active', JSON.stringify(e.data.personal), e.data.registeredAt,
        );
        return;
      case 'SustainerErased':
        sql(db, "UPDATE sustainers SET status = 'erased', personal = NULL, erased_at = ? WHERE sustainer_id = ?").run(e.data.erasedAt, e.data.sustainerId);
        return;
      default:
        return;
    }
  },
};
