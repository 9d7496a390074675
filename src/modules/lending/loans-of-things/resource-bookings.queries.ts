import type Database from 'better-sqlite3';
import { sql } from '../../../projections/projection';

/** A span of days a resource is taken, without saying by whom: what any member may know to find when it is free. */
export interface ResourceBooking {
  readonly resourceId: string;
  readonly startOn: string;
  /** The due date; a loan still out after it stays taken until it is returned. */
  readonly dueOn: string;
  readonly out: boolean;
}

/**
 * Every booking of the network's resources that still holds days from `today` on: reservations
 * not yet due (a reservation never checked out keeps its days until its due date) and loans out,
 * overdue ones included. Cancelled, returned, lost and renewed loans hold nothing.
 */
export function currentBookings(db: Database.Database, today: string): ResourceBooking[] {
  const rows = sql(
    db,
    `SELECT resource_id AS resourceId, start_on AS startOn, due_on AS dueOn, checked_out_on IS NOT NULL AS out
       FROM thing_loans
      WHERE ended_on IS NULL AND (due_on >= ? OR checked_out_on IS NOT NULL)
      ORDER BY resource_id, start_on`,
  ).all(today) as Array<Omit<ResourceBooking, 'out'> & { out: number }>;
  return rows.map((r) => ({ ...r, out: r.out === 1 }));
}
