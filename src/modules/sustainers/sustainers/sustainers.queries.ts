import type Database from 'better-sqlite3';
import { sql } from '../../../projections/projection';
import type { SealedPersonalData } from '../sustainer/sustainer.decider';

export interface SustainerRow {
  readonly sustainer_id: string;
  readonly anonymous: number;
  readonly status: 'active' | 'erased';
  readonly personal: string | null;
  readonly registered_at: string;
  readonly erased_at: string | null;
}

export function findSustainerRow(db: Database.Database, sustainerId: string): SustainerRow | undefined {
  return sql(db, 'SELECT * FROM sustainers WHERE sustainer_id = ?').get(sustainerId) as SustainerRow | undefined;
}

export function listSustainerRows(db: Database.Database, page: { after?: string; limit: number }): SustainerRow[] {
  return sql(db, 'SELECT * FROM sustainers WHERE sustainer_id > ? ORDER BY sustainer_id LIMIT ?').all(page.after ?? '', page.limit) as SustainerRow[];
}

export function sealedOf(row: SustainerRow): SealedPersonalData | null {
  return row.personal ? (JSON.parse(row.personal) as SealedPersonalData) : null;
}
