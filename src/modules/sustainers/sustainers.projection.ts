import type Database from 'better-sqlite3';
import type { RecordedEvent } from '../../event-store/envelope';
import { Projection, sql } from '../../projections/projection';
import type { MovementEvent, MovementRequestedData } from '../funds/movement/movement.decider';
import { PledgeEvent, PledgeState, pledgeDecider } from './pledge/pledge.decider';
import type { SealedPersonalData, SustainerEvent } from './sustainer/sustainer.decider';

/**
 * Sustainers, pledges and donations as read models. Personal data is kept only as the sealed
 * blob from the log and opened at query time with the key store; on erasure the blob is dropped
 * here too. Both are functions of the log alone, so `ledger replay` rebuilds the same rows.
 */
export const sustainersProjection: Projection = {
  name: 'sustainers',
  version: 1,
  tables: ['sustainers', 'pledges', 'donations'],
  setup(db) {
    db.exec(`CREATE TABLE IF NOT EXISTS sustainers (
        sustainer_id TEXT PRIMARY KEY, anonymous INTEGER NOT NULL, status TEXT NOT NULL, personal TEXT,
        registered_at TEXT NOT NULL, erased_at TEXT);
      CREATE TABLE IF NOT EXISTS pledges (
        pledge_id TEXT PRIMARY KEY, sustainer_id TEXT NOT NULL, fund_id TEXT NOT NULL, status TEXT NOT NULL, state TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS pledges_by_sustainer ON pledges (sustainer_id, pledge_id);
      CREATE INDEX IF NOT EXISTS pledges_by_fund ON pledges (fund_id);
      CREATE TABLE IF NOT EXISTS donations (
        donation_id TEXT PRIMARY KEY, sustainer_id TEXT NOT NULL, pledge_id TEXT, fund_id TEXT NOT NULL,
        amount_minor INTEGER NOT NULL, currency TEXT NOT NULL, method TEXT NOT NULL, goods_minor INTEGER NOT NULL,
        received_on TEXT NOT NULL, restriction TEXT NOT NULL, refunded_on TEXT, refund_reason TEXT);
      CREATE INDEX IF NOT EXISTS donations_by_sustainer ON donations (sustainer_id, received_on);
      CREATE INDEX IF NOT EXISTS donations_by_pledge ON donations (pledge_id);
      CREATE INDEX IF NOT EXISTS donations_by_fund ON donations (fund_id, received_on);`);
  },
  apply(db, event: RecordedEvent) {
    const e = event as unknown as SustainerEvent | PledgeEvent | MovementEvent;
    switch (e.type) {
      case 'SustainerRegistered':
        sql(db, 'INSERT INTO sustainers (sustainer_id, anonymous, status, personal, registered_at) VALUES (?, ?, ?, ?, ?)').run(
          e.data.sustainerId, e.data.anonymous ? 1 : 0, 'active', JSON.stringify(e.data.personal), e.data.registeredAt,
        );
        return;
      case 'SustainerErased':
        sql(db, "UPDATE sustainers SET status = 'erased', personal = NULL, erased_at = ? WHERE sustainer_id = ?").run(e.data.erasedAt, e.data.sustainerId);
        return;
      case 'PledgeMade':
      case 'PledgeAmended':
      case 'PledgePaused':
      case 'PledgeResumed':
      case 'PledgeCancelled':
      case 'PledgeWrittenOff': {
        // The read model keeps the pledge folded by the decider's own evolve: one truth about what the events mean.
        const before = findPledgeState(db, e.data.pledgeId) ?? pledgeDecider.initialState();
        const after = pledgeDecider.evolve(before, e);
        if (after.status === 'none') return;
        sql(
          db,
          `INSERT INTO pledges (pledge_id, sustainer_id, fund_id, status, state) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (pledge_id) DO UPDATE SET status = excluded.status, state = excluded.state`,
        ).run(after.made.pledgeId, after.made.sustainerId, after.made.fundId, after.status, JSON.stringify(after));
        return;
      }
      case 'MovementRequested': {
        if (e.data.kind !== 'donation') return;
        const d = e.data as MovementRequestedData & Required<Pick<MovementRequestedData, 'sustainerId' | 'fundId' | 'method'>>;
        sql(
          db,
          `INSERT INTO donations (donation_id, sustainer_id, pledge_id, fund_id, amount_minor, currency, method, goods_minor, received_on, restriction)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          d.movementId, d.sustainerId, d.pledgeId ?? null, d.fundId, d.amountMinor, d.currency, d.method, d.goodsServicesMinor ?? 0,
          d.effectiveAt.slice(0, 10), JSON.stringify(d.restriction ?? { class: 'unrestricted' }),
        );
        return;
      }
      case 'MovementReversed':
        if (e.data.kind !== 'donation') return;
        sql(db, 'UPDATE donations SET refunded_on = ?, refund_reason = ? WHERE donation_id = ?').run(e.data.effectiveAt.slice(0, 10), e.data.reason, e.data.movementId);
        return;
      default:
        return;
    }
  },
};

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

export interface DonationRow {
  readonly donation_id: string;
  readonly sustainer_id: string;
  readonly pledge_id: string | null;
  readonly fund_id: string;
  readonly amount_minor: number;
  readonly currency: string;
  readonly method: string;
  readonly goods_minor: number;
  readonly received_on: string;
  readonly restriction: string;
  readonly refunded_on: string | null;
  readonly refund_reason: string | null;
}

export function donationRows(
  db: Database.Database,
  filter: {
    sustainerId?: string;
    pledgeId?: string;
    fundId?: string;
    from?: string;
    to?: string;
    donationId?: string;
    /** Keyset paging in listing order: after the donation `after` (looked up within the same filter), at most `limit`. */
    page?: { after?: string; limit: number };
  },
): DonationRow[] {
  // The cursor is looked up under the same sustainer filter, so a scoped reader cannot probe
  // where someone else's donation id would fall in its own listing.
  return sql(
    db,
    `SELECT * FROM donations WHERE (@sustainerId IS NULL OR sustainer_id = @sustainerId) AND (@pledgeId IS NULL OR pledge_id = @pledgeId)
       AND (@fundId IS NULL OR fund_id = @fundId) AND (@from IS NULL OR received_on >= @from) AND (@to IS NULL OR received_on < @to)
       AND (@donationId IS NULL OR donation_id = @donationId)
       AND (@after IS NULL OR (received_on, donation_id) > (
         SELECT received_on, donation_id FROM donations WHERE donation_id = @after AND (@sustainerId IS NULL OR sustainer_id = @sustainerId)))
     ORDER BY received_on, donation_id LIMIT @limit`,
  ).all({
    after: filter.page?.after ?? null,
    limit: filter.page?.limit ?? -1,
    sustainerId: filter.sustainerId ?? null,
    pledgeId: filter.pledgeId ?? null,
    fundId: filter.fundId ?? null,
    from: filter.from ?? null,
    to: filter.to ?? null,
    donationId: filter.donationId ?? null,
  }) as DonationRow[];
}

/**
 * Money raised per fund and period: gifts by the day received, refunds by the day refunded (a
 * refund is a later correction, it does not rewrite the month the gift arrived in).
 */
export function raisedRows(
  db: Database.Database,
  from: string,
  to: string,
): Array<{ fund_id: string; day: string; currency: string; received: number; refunded: number }> {
  return sql(
    db,
    `SELECT fund_id, received_on AS day, currency, amount_minor AS received, 0 AS refunded FROM donations WHERE received_on >= @from AND received_on < @to
     UNION ALL
     SELECT fund_id, refunded_on AS day, currency, 0 AS received, amount_minor AS refunded FROM donations
       WHERE refunded_on IS NOT NULL AND refunded_on >= @from AND refunded_on < @to`,
  ).all({ from, to }) as Array<{ fund_id: string; day: string; currency: string; received: number; refunded: number }>;
}
