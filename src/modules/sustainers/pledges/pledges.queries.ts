import type Database from 'better-sqlite3';
import { sql } from '../../../projections/projection';
import type { PledgeState } from '../pledge/pledge.decider';

export function findPledgeState(db: Database.Database, pledgeId: string): PledgeState | undefined {
  const row = sql(db, 'SELECT state FROM pledges WHERE pledge_id = ?').get(pledgeId) as { state: string } | undefined;
  return row ? (JSON.parse(row.state) as PledgeState) : undefined;
}

/** Pledges by id; `after` and `limit` page through them (no limit: all). */
export function pledgeStatesOf(db: Database.Database, filter: { sustainerId?: string; fundId?: string; after?: string; limit?: number }): PledgeState[] {
  const rows = sql(
    db,
    `SELECT state FROM pledges WHERE (@sustainerId IS NULL OR sustainer_id = @sustainerId) AND (@fundId IS NULL OR fund_id = @fundId)
       AND pledge_id > @after ORDER BY pledge_id LIMIT @limit`,
  ).all({ sustainerId: filter.sustainerId ?? null, fundId: filter.fundId ?? null, after: filter.after ?? '', limit: filter.limit ?? -1 }) as Array<{ state: string }>;
  return rows.map((r) => JSON.parse(r.state) as PledgeState);
}
