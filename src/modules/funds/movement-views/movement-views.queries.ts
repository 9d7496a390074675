import type Database from 'better-sqlite3';
import { sql } from '../../../projections/projection';
import { storedInstant } from '../fund/fund.decider';
import type { MovementKind } from '../movement/movement.decider';
import type { MovementStatus, MovementView } from './movement-views.projection';

/**
 * A movement as answered: business dates written before they were stored as UTC instants
 * (a client's `2026-03-01` or `+02:00`) are answered in that one form like every other.
 */
function toView(body: string): MovementView {
  const view = JSON.parse(body) as MovementView;
  return {
    ...view,
    effectiveAt: storedInstant(view.effectiveAt),
    ...(view.reversal ? { reversal: { ...view.reversal, effectiveAt: storedInstant(view.reversal.effectiveAt) } } : {}),
  };
}

export function findMovement(db: Database.Database, movementId: string, kind?: MovementKind): MovementView | undefined {
  const row = sql(db, 'SELECT kind, body FROM movements WHERE movement_id = ?').get(movementId) as { kind: string; body: string } | undefined;
  if (!row || (kind && row.kind !== kind)) return undefined;
  return toView(row.body);
}

/** Requests whose approval window has passed, oldest first. */
export function expiredRequests(db: Database.Database, now: string, limit: number): string[] {
  return (
    sql(db, "SELECT movement_id FROM movements WHERE status = 'requested' AND expires_at IS NOT NULL AND expires_at <= ? ORDER BY expires_at LIMIT ?").all(
      now,
      limit,
    ) as Array<{ movement_id: string }>
  ).map((r) => r.movement_id);
}

/** Newest first (ids are time-ordered); `after` is the last id of the previous page. */
export function listMovements(
  db: Database.Database,
  filter: { kind?: MovementKind; status?: MovementStatus; after?: string; limit: number },
): MovementView[] {
  const rows = sql(
    db,
    `SELECT body FROM movements WHERE (? IS NULL OR kind = ?) AND (? IS NULL OR status = ?) AND (? IS NULL OR movement_id < ?)
     ORDER BY movement_id DESC LIMIT ?`,
  ).all(filter.kind ?? null, filter.kind ?? null, filter.status ?? null, filter.status ?? null, filter.after ?? null, filter.after ?? null, filter.limit) as Array<{ body: string }>;
  return rows.map((r) => toView(r.body));
}
