import Database from 'better-sqlite3';
import type { RecordedEvent } from '../../../event-store/envelope';
import type { MovementEvent, MovementRequestedData } from '../movement/movement.decider';
import { movementsProjection } from './movement-views.projection';
import { expiredRequests, findMovement, listMovements } from './movement-views.queries';

const RECORDED = '2026-03-02T09:00:00.000Z';
let position = 0;

function recorded(event: MovementEvent, effectiveAt = RECORDED): RecordedEvent {
  position += 1;
  return {
    ...event,
    eventId: `e${position}`,
    schemaVersion: 1,
    streamId: `movement-${event.data.movementId}`,
    streamVersion: position,
    recordedAt: RECORDED,
    effectiveAt,
    metadata: { actorId: 'steward', actorRole: 'steward', correlationId: 'c', causationId: 'c' },
    prevHash: '',
    globalPosition: position,
    hash: '',
  };
}

const postings = [{ from: 'fund:general', to: 'fund:water', amountMinor: 500, asset: 'USD' }];

function transfer(movementId: string, expiresAt = '2026-03-05T09:00:00.000Z'): MovementEvent {
  const data: MovementRequestedData = {
    movementId,
    kind: 'transfer',
    amountMinor: 500,
    currency: 'USD',
    effectiveAt: '2026-03-01T00:00:00.000Z',
    requestedBy: 'a',
    requestedAt: RECORDED,
    fromFundId: 'f1',
    toFundId: 'f2',
    expiresAt,
    postings,
    effects: [
      { fundId: 'f1', deltaMinor: -500 },
      { fundId: 'f2', deltaMinor: 500 },
    ],
  };
  return { type: 'MovementRequested', data };
}

function project(...events: Array<RecordedEvent>): Database.Database {
  const db = new Database(':memory:');
  movementsProjection.setup(db);
  for (const event of events) movementsProjection.apply(db, event);
  return db;
}

const row = (db: Database.Database, movementId: string) =>
  db.prepare('SELECT kind, status, expires_at AS expiresAt FROM movements WHERE movement_id = ?').get(movementId);

describe('the movements read model', () => {
  it('records a request as requested, with its expiry', () => {
    const db = project(recorded(transfer('m1')));
    expect(row(db, 'm1')).toEqual({ kind: 'transfer', status: 'requested', expiresAt: '2026-03-05T09:00:00.000Z' });
    expect(findMovement(db, 'm1')).toMatchObject({ movementId: 'm1', status: 'requested', reversed: false, fromFundId: 'f1' });
  });

  it('posts an approved request, dated by the approval event', () => {
    const db = project(
      recorded(transfer('m1')),
      recorded(
        { type: 'MovementPosted', data: { movementId: 'm1', kind: 'transfer', postings, effectiveAt: '2026-03-01T00:00:00.000Z', approvedBy: 'b' } },
        '2026-03-03T00:00:00.000Z',
      ),
    );
    expect(row(db, 'm1')).toMatchObject({ status: 'posted' });
    expect(findMovement(db, 'm1')).toMatchObject({ status: 'posted', approvedBy: 'b', decidedAt: '2026-03-03T00:00:00.000Z' });
  });

  it('records rejections, expiries and reversals', () => {
    const db = project(
      recorded(transfer('m1')),
      recorded(transfer('m2')),
      recorded(transfer('m3')),
      recorded({ type: 'MovementRejected', data: { movementId: 'm1', rejectedBy: 'b', reason: 'no' } }),
      recorded({ type: 'MovementExpired', data: { movementId: 'm2', expiredAt: '2026-03-06T00:00:00.000Z' } }),
      recorded({ type: 'MovementPosted', data: { movementId: 'm3', kind: 'transfer', postings, effectiveAt: '2026-03-01T00:00:00.000Z', approvedBy: 'b' } }),
      recorded({
        type: 'MovementReversed',
        data: { movementId: 'm3', kind: 'transfer', reversalOf: 'm3', postings, reason: 'error', reversedBy: 'a', effectiveAt: '2026-03-04T00:00:00.000Z' },
      }),
    );
    expect(findMovement(db, 'm1')).toMatchObject({ status: 'rejected', decidedBy: 'b', rejectionReason: 'no' });
    expect(findMovement(db, 'm2')).toMatchObject({ status: 'expired', expiredAt: '2026-03-06T00:00:00.000Z' });
    expect(findMovement(db, 'm3')).toMatchObject({
      status: 'posted',
      reversed: true,
      reversal: { reason: 'error', reversedBy: 'a', effectiveAt: '2026-03-04T00:00:00.000Z' },
    });
  });

  it('answers a movement only as its own kind', () => {
    const db = project(recorded(transfer('m1')));
    expect(findMovement(db, 'm1', 'transfer')).toBeDefined();
    expect(findMovement(db, 'm1', 'disbursement')).toBeUndefined();
  });

  it('lists newest first by status, and finds the requests whose window has passed', () => {
    const db = project(recorded(transfer('m1', '2026-03-03T00:00:00.000Z')), recorded(transfer('m2', '2026-03-09T00:00:00.000Z')));
    expect(listMovements(db, { kind: 'transfer', limit: 10 }).map((m) => m.movementId)).toEqual(['m2', 'm1']);
    expect(listMovements(db, { kind: 'transfer', status: 'posted', limit: 10 })).toEqual([]);
    expect(listMovements(db, { kind: 'transfer', after: 'm2', limit: 10 }).map((m) => m.movementId)).toEqual(['m1']);
    expect(expiredRequests(db, '2026-03-04T00:00:00.000Z', 10)).toEqual(['m1']);
  });
});
