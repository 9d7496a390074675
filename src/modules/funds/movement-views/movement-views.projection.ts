import type Database from 'better-sqlite3';
import type { RecordedEvent } from '../../../event-store/envelope';
import { Projection, sql } from '../../../projections/projection';
import type { MovementEvent, MovementRequestedData } from '../movement/movement.decider';

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
      requested_at TEXT NOT NULL, body TEXT NOT NULL);`);
  },
  // The expiry sweep's (movement-views.queries.ts).
  queryIndexes: [{ name: 'movements_pending', on: 'movements (status, expires_at)' }],
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
