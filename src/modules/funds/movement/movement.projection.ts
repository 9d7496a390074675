import type Database from 'better-sqlite3';
import type { RecordedEvent } from '../../../event-store/envelope';
import { Projection, sql } from '../../../projections/projection';
import { storedInstant } from '../fund/fund.decider';
import type { MovementEvent, MovementKind, MovementRequestedData } from './movement.decider';

export type MovementStatus = 'requested' | 'posted' | 'rejected' | 'expired';

export interface MovementView extends MovementRequestedData {
  readonly status: MovementStatus;
  readonly approvedBy?: string;
  readonly decidedBy?: string;
  /** Business date of the approval or rejection: the event's own `effectiveAt`. */
  readonly decidedAt?: string;
  readonly reversed: boolean;
  readonly reversal?: { readonly reason: string; readonly reversedBy: string; readonly effectiveAt: string };
  readonly restrictionRelease?: { readonly fundId: string; readonly purpose: string; readonly amountMinor: number };
}

/** Every movement with its current status, for reading back and for finding expired requests. */
export const movementsProjection: Projection = {
  name: 'movements',
  // 2: decisions carry their business date (`decidedAt`).
  version: 2,
  tables: ['movements'],
  setup(db) {
    db.exec(`CREATE TABLE IF NOT EXISTS movements (
      movement_id TEXT PRIMARY KEY, kind TEXT NOT NULL, status TEXT NOT NULL, expires_at TEXT,
      requested_at TEXT NOT NULL, body TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS movements_pending ON movements (status, expires_at);`);
  },
  apply(db, event: RecordedEvent) {
    const e = event as unknown as MovementEvent;
    switch (e.type) {
      case 'MovementRequested':
        sql(db, 'INSERT INTO movements (movement_id, kind, status, expires_at, requested_at, body) VALUES (?, ?, ?, ?, ?, ?)').run(
          e.data.movementId, e.data.kind, 'requested', e.data.expiresAt ?? null, e.data.requestedAt,
          JSON.stringify({ ...e.data, status: 'requested', reversed: false }),
        );
        return;
      case 'MovementPosted':
        update(db, e.data.movementId, 'posted', {
          ...(e.data.approvedBy ? { approvedBy: e.data.approvedBy, decidedAt: event.effectiveAt } : {}),
          ...(e.data.restrictionRelease ? { restrictionRelease: e.data.restrictionRelease } : {}),
        });
        return;
      case 'MovementRejected':
        update(db, e.data.movementId, 'rejected', { decidedBy: e.data.rejectedBy, decidedAt: event.effectiveAt, rejectionReason: e.data.reason });
        return;
      case 'MovementExpired':
        update(db, e.data.movementId, 'expired', { expiredAt: e.data.expiredAt });
        return;
      case 'MovementReversed':
        update(db, e.data.movementId, undefined, {
          reversed: true,
          reversal: { reason: e.data.reason, reversedBy: e.data.reversedBy, effectiveAt: e.data.effectiveAt },
        });
        return;
      default:
        return;
    }
  },
};

function update(db: Database.Database, movementId: string, status: MovementStatus | undefined, changes: Record<string, unknown>): void {
  const row = sql(db, 'SELECT status, body FROM movements WHERE movement_id = ?').get(movementId) as { status: string; body: string };
  const next = status ?? row.status;
  sql(db, 'UPDATE movements SET status = ?, body = ? WHERE movement_id = ?').run(
    next,
    JSON.stringify({ ...JSON.parse(row.body), ...changes, status: next }),
    movementId,
  );
}

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
