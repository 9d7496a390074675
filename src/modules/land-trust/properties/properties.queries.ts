import type Database from 'better-sqlite3';
import { sql } from '../../../projections/projection';

/** Queries over the properties read model (properties.projection.ts). */

export interface PropertyView {
  readonly propertyId: string;
  readonly address: string;
  readonly parcelId: string;
  readonly acquiredOn: string;
  readonly status: string;
  readonly registeredAt: string;
  readonly groundLease?: { leaseId: string; householdId: string; startsOn: string; termYears: number };
  readonly resaleCreditMinor: number;
  readonly statusHistory?: { from: string; to: string; reason?: string; changedAt: string }[];
}

interface PropertyRow {
  property_id: string;
  address: string;
  parcel_id: string;
  acquired_on: string;
  status: string;
  registered_at: string;
  lease_id: string | null;
  household_id: string | null;
  lease_starts_on: string | null;
  lease_term_years: number | null;
  resale_credit: number;
}

function toPropertyView(row: PropertyRow): PropertyView {
  return {
    propertyId: row.property_id,
    address: row.address,
    parcelId: row.parcel_id,
    acquiredOn: row.acquired_on,
    status: row.status,
    registeredAt: row.registered_at,
    ...(row.lease_id
      ? { groundLease: { leaseId: row.lease_id, householdId: row.household_id ?? '', startsOn: row.lease_starts_on ?? '', termYears: row.lease_term_years ?? 0 } }
      : {}),
    resaleCreditMinor: row.resale_credit,
  };
}

export function findProperty(db: Database.Database, propertyId: string): PropertyView | undefined {
  const row = sql(db, 'SELECT * FROM properties WHERE property_id = ?').get(propertyId) as PropertyRow | undefined;
  if (!row) return undefined;
  const history = sql(db, 'SELECT from_status, to_status, reason, changed_at FROM property_status_changes WHERE property_id = ? ORDER BY position').all(propertyId) as {
    from_status: string;
    to_status: string;
    reason: string | null;
    changed_at: string;
  }[];
  return {
    ...toPropertyView(row),
    statusHistory: history.map((h) => ({ from: h.from_status, to: h.to_status, ...(h.reason ? { reason: h.reason } : {}), changedAt: h.changed_at })),
  };
}

/** Properties ordered by parcel id, a page at a time: `after` is the last parcel id of the previous page. */
export function listProperties(db: Database.Database, page: { status?: string; after?: string; limit: number }): PropertyView[] {
  const rows = sql(db, 'SELECT * FROM properties WHERE parcel_id > ? AND (? IS NULL OR status = ?) ORDER BY parcel_id LIMIT ?').all(
    page.after ?? '', page.status ?? null, page.status ?? null, page.limit,
  ) as PropertyRow[];
  return rows.map(toPropertyView);
}
