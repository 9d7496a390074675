import type { RecordedEvent } from '../../../event-store/envelope';
import { Projection, sql } from '../../../projections/projection';
import type { FundEvent, RestrictionClass } from '../fund/fund.decider';

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

export interface FundRow {
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
