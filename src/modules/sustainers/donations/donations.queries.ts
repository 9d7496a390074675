import type Database from 'better-sqlite3';
import { sql } from '../../../projections/projection';

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
