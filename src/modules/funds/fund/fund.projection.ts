import type Database from 'better-sqlite3';
import type { RecordedEvent } from '../../../event-store/envelope';
import { Projection, sql } from '../../../projections/projection';
import type { FundEvent, RestrictionClass } from './fund.decider';

export interface FundView {
  readonly fundId: string;
  readonly code: string;
  readonly name: string;
  readonly currency: string;
  readonly restriction: { class: RestrictionClass; purpose?: string; restrictedUntil?: string };
  readonly description?: string;
  readonly status: 'open' | 'closed';
  readonly openedAt: string;
}

interface FundRow {
  fund_id: string;
  code: string;
  name: string;
  currency: string;
  restriction_class: RestrictionClass;
  purpose: string | null;
  restricted_until: string | null;
  description: string | null;
  status: 'open' | 'closed';
  opened_at: string;
}

export const fundsProjection: Projection = {
  name: 'funds',
  version: 2,
  tables: ['funds'],
  setup(db) {
    db.exec(`CREATE TABLE IF NOT EXISTS funds (
      fund_id TEXT PRIMARY KEY, code TEXT NOT NULL UNIQUE, name TEXT NOT NULL, currency TEXT NOT NULL,
      restriction_class TEXT NOT NULL, purpose TEXT, restricted_until TEXT, description TEXT,
      status TEXT NOT NULL, opened_at TEXT NOT NULL)`);
  },
  apply(db, event: RecordedEvent) {
    const e = event as unknown as FundEvent;
    if (e.type === 'FundClosed') {
      sql(db, "UPDATE funds SET status = 'closed' WHERE fund_id = ?").run(e.data.fundId);
      return;
    }
    if (e.type !== 'FundOpened') return;
    const d = e.data;
    sql(
      db,
      `INSERT INTO funds (fund_id, code, name, currency, restriction_class, purpose, restricted_until, description, status, opened_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', ?)`,
    ).run(
      d.fundId,
      d.code,
      d.name,
      d.currency,
      d.restriction.class,
      d.restriction.purpose ?? null,
      d.restriction.restrictedUntil ?? null,
      d.description ?? null,
      d.openedAt,
    );
  },
};

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
