import type Database from 'better-sqlite3';
import { sql } from '../../../projections/projection';

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

/** Cooperatives by name after the cursor `after` (a name); `next` when more follow. */
export function listCooperatives(db: Database.Database, options: { only?: string; after?: string; limit: number }): { items: CooperativeView[]; next?: string } {
  const rows = sql(
    db,
    `SELECT * FROM cooperatives WHERE (? IS NULL OR cooperative_id = ?) AND (? IS NULL OR name > ?) ORDER BY name LIMIT ?`,
  ).all(options.only ?? null, options.only ?? null, options.after ?? null, options.after ?? null, options.limit + 1) as CooperativeRow[];
  const items = rows.slice(0, options.limit).map(toCooperative);
  return { items, ...(rows.length > options.limit ? { next: items[items.length - 1].name } : {}) };
}

export function findCooperative(db: Database.Database, cooperativeId: string): CooperativeView | undefined {
  const row = sql(db, 'SELECT * FROM cooperatives WHERE cooperative_id = ?').get(cooperativeId) as CooperativeRow | undefined;
  return row ? toCooperative(row) : undefined;
}
