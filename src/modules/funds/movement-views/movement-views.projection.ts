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
  batch: {
    begin: (db) => batches.set(db, new Map()),
    end: (db) => {
      const batch = batches.get(db);
      batches.delete(db);
      for (const [movementId, { row, inserted }] of batch ?? []) {
        if (inserted) insertRow(db, movementId, row);
        else updateRow(db, movementId, row.status, row.body);
      }
    },
    abandon: (db) => batches.delete(db),
  },
  apply(db, event: RecordedEvent) {
    const e = event as unknown as MovementEvent;
    switch (e.type) {
      case 'MovementRequested': {
        const row = { kind: e.data.kind, status: 'requested', expiresAt: e.data.expiresAt ?? null, requestedAt: e.data.requestedAt,
          body: { ...e.data, status: 'requested', reversed: false } };
        const batch = batches.get(db);
        if (!batch) return insertRow(db, e.data.movementId, row);
        // A movement requested twice fails here, on its own event, as the INSERT would.
        if (batch.has(e.data.movementId) || sql(db, 'SELECT 1 FROM movements WHERE movement_id = ?').get(e.data.movementId)) {
          throw new Error('UNIQUE constraint failed: movements.movement_id');
        }
        batch.set(e.data.movementId, { row, inserted: true });
        return;
      }
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

/** A movement's row as the batch holds it: its body as an object, written as JSON at the batch's end. */
interface Row {
  readonly kind: string;
  readonly status: string;
  readonly expiresAt: string | null;
  readonly requestedAt: string;
  readonly body: Record<string, unknown>;
}

/**
 * What a batch of events does to movements (see Projection.batch): each movement's latest row,
 * written once at the end, so a gift's request and posting (one append, one batch) write one row,
 * and a rebuild reads and rewrites each body once a batch instead of once an event. The body is
 * the same JSON as applying each event alone gives: JSON.stringify of the same merges, in the
 * same order, which the spec holds batches of any size to.
 */
const batches = new WeakMap<Database.Database, Map<string, { row: Row; readonly inserted: boolean }>>();

function insertRow(db: Database.Database, movementId: string, row: Row): void {
  sql(db, 'INSERT INTO movements (movement_id, kind, status, expires_at, requested_at, body) VALUES (?, ?, ?, ?, ?, ?)').run(
    movementId, row.kind, row.status, row.expiresAt, row.requestedAt, JSON.stringify(row.body),
  );
}

function updateRow(db: Database.Database, movementId: string, status: string, body: Record<string, unknown>): void {
  sql(db, 'UPDATE movements SET status = ?, body = ? WHERE movement_id = ?').run(status, JSON.stringify(body), movementId);
}

function update(db: Database.Database, movementId: string, status: MovementStatus | undefined, changes: Record<string, unknown>): void {
  const batch = batches.get(db);
  const held = batch?.get(movementId);
  if (held) {
    const next = status ?? held.row.status;
    held.row = { ...held.row, status: next, body: { ...held.row.body, ...changes, status: next } };
    return;
  }
  const stored = sql(db, 'SELECT kind, status, expires_at, requested_at, body FROM movements WHERE movement_id = ?').get(movementId) as
    | { kind: string; status: string; expires_at: string | null; requested_at: string; body: string }
    | undefined;
  // An event for a movement never requested fails on its own event, as before the batches.
  if (!stored) throw new TypeError(`no movement ${movementId} to update`);
  const next = status ?? stored.status;
  const body = { ...(JSON.parse(stored.body) as Record<string, unknown>), ...changes, status: next };
  if (!batch) return updateRow(db, movementId, next, body);
  batch.set(movementId, { row: { kind: stored.kind, status: next, expiresAt: stored.expires_at, requestedAt: stored.requested_at, body }, inserted: false });
}
