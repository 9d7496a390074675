import type { RecordedEvent } from '../../event-store/envelope';
import type Database from 'better-sqlite3';
import { Projection, sql } from '../../projections/projection';
import type { CooperativeEvent } from './cooperative/cooperative.decider';

/** Cooperatives of the lending network. */
export const lendingProjection: Projection = {
  name: 'lending',
  version: 1,
  tables: ['cooperatives'],
  setup(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS cooperatives (
        cooperative_id TEXT PRIMARY KEY, name TEXT NOT NULL, sector TEXT NOT NULL, contact TEXT NOT NULL,
        registered_at TEXT NOT NULL, position INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS cooperatives_by_name ON cooperatives (name);
    `);
  },
  apply(db, event: RecordedEvent) {
    const c = event as unknown as CooperativeEvent;
    if (c.type === 'CooperativeRegistered') {
      const d = c.data;
      sql(db, 'INSERT INTO cooperatives (cooperative_id, name, sector, contact, registered_at, position) VALUES (?, ?, ?, ?, ?, ?)').run(
        d.cooperativeId, d.name, d.sector, d.contact, d.registeredAt, event.globalPosition,
      );
    }
  },
};

export interface CooperativeView {
  readonly cooperativeId: string;
  readonly name: string;
  readonly sector: string;
  readonly contact: string;
  readonly registeredAt: string;
}

interface CooperativeRow {
  cooperative_id: string;
  name: string;
  sector: string;
  contact: string;
  registered_at: string;
}

const toCooperative = (r: CooperativeRow): CooperativeView => ({
  cooperativeId: r.cooperative_id,
  name: r.name,
  sector: r.sector,
  contact: r.contact,
  registeredAt: r.registered_at,
});

export function listCooperatives(db: Database.Database, options: { only?: string; after?: string; limit: number }): CooperativeView[] {
  const rows = sql(
    db,
    `SELECT * FROM cooperatives WHERE (? IS NULL OR cooperative_id = ?) AND (? IS NULL OR name > ?) ORDER BY name LIMIT ?`,
  ).all(options.only ?? null, options.only ?? null, options.after ?? null, options.after ?? null, options.limit) as CooperativeRow[];
  return rows.map(toCooperative);
}

export function findCooperative(db: Database.Database, cooperativeId: string): CooperativeView | undefined {
  const row = sql(db, 'SELECT * FROM cooperatives WHERE cooperative_id = ?').get(cooperativeId) as CooperativeRow | undefined;
  return row ? toCooperative(row) : undefined;
}
