import type Database from 'better-sqlite3';
import { sql } from '../../../projections/projection';
import type { FundRow, FundView } from './fund-views.projection';

function toView(row: FundRow): FundView {
  return {
    fundId: row.fund_id,
    code: row.code,
    name: row.name,
    currency: row.currency,
    restriction: {
      class: row.restriction_class,
      ...(row.purpose ? { purpose: row.purpose } : {}),
      ...(row.restricted_until ? { restrictedUntil: row.restricted_until } : {}),
    },
    ...(row.description ? { description: row.description } : {}),
    status: row.status,
    openedAt: row.opened_at,
  };
}

export function findFund(db: Database.Database, fundId: string): FundView | undefined {
  const row = sql(db, 'SELECT * FROM funds WHERE fund_id = ?').get(fundId) as FundRow | undefined;
  return row ? toView(row) : undefined;
}

/** Funds ordered by code, a page at a time: `after` is the last code of the previous page. */
export function listFunds(db: Database.Database, page: { after?: string; limit: number }): FundView[] {
  const rows = sql(db, 'SELECT * FROM funds WHERE code > ? ORDER BY code LIMIT ?').all(page.after ?? '', page.limit) as FundRow[];
  return rows.map(toView);
}
