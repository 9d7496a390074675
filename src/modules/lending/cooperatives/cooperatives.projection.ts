import type { RecordedEvent } from '../../../event-store/envelope';
import { Projection, sql } from '../../../projections/projection';
import type { CooperativeEvent } from '../cooperative/cooperative.decider';

/**
 * The cooperatives of the lending network with the labour limit each agreed; the labour
 * balances read the limit here (the balances themselves come from the ledger's postings).
 */
export const cooperativesProjection: Projection = {
  name: 'lending-cooperatives',
  version: 1,
  tables: ['cooperatives'],
  setup(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS cooperatives (
        cooperative_id TEXT PRIMARY KEY, name TEXT NOT NULL, sector TEXT NOT NULL, contact TEXT NOT NULL,
        registered_at TEXT NOT NULL, position INTEGER NOT NULL, labour_limit INTEGER);
      CREATE INDEX IF NOT EXISTS cooperatives_by_name ON cooperatives (name);
    `);
  },
  apply(db, event: RecordedEvent) {
    const c = event as unknown as CooperativeEvent | { type: 'CooperativeLabourLimitSet'; data: { cooperativeId: string; limitMinutes: number } };
    switch (c.type) {
      case 'CooperativeRegistered': {
        const d = c.data;
        sql(db, 'INSERT INTO cooperatives (cooperative_id, name, sector, contact, registered_at, position) VALUES (?, ?, ?, ?, ?, ?)').run(
          d.cooperativeId, d.name, d.sector, d.contact, d.registeredAt, event.globalPosition,
        );
        return;
      }
      case 'CooperativeLabourLimitSet':
        sql(db, 'UPDATE cooperatives SET labour_limit = ? WHERE cooperative_id = ?').run(c.data.limitMinutes, c.data.cooperativeId);
        return;
    }
  },
};
