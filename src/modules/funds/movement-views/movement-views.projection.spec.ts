import Database from 'better-sqlite3';
import fc from 'fast-check';
import type { RecordedEvent } from '../../../event-store/envelope';
import { applyInBatches } from '../../../projections/testing/batches';
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

  it('writes the same rows when the runner applies events in batches of any size as when each is applied alone', () => {
    // Per movement: its request, then one decision (posted, rejected, expired) and maybe a reversal.
    const movement = fc.record({
      decision: fc.constantFrom('posted', 'rejected', 'expired', 'none'),
      reversed: fc.boolean(),
      approvedBy: fc.option(fc.constantFrom('b', 'c'), { nil: undefined }),
      reason: fc.option(fc.constantFrom('no', 'later'), { nil: undefined }),
    });
    const eventsOf = (m: { decision: string; reversed: boolean; approvedBy?: string; reason?: string }, id: string): MovementEvent[] => {
      const out: MovementEvent[] = [transfer(id)];
      if (m.decision === 'posted') {
        out.push({ type: 'MovementPosted', data: { movementId: id, kind: 'transfer', postings, effectiveAt: '2026-03-01T00:00:00.000Z', ...(m.approvedBy ? { approvedBy: m.approvedBy } : {}) } });
        if (m.reversed) {
          out.push({ type: 'MovementReversed', data: { movementId: id, kind: 'transfer', reversalOf: id, postings, reason: 'error', reversedBy: 'a', effectiveAt: '2026-03-04T00:00:00.000Z' } });
        }
      }
      if (m.decision === 'rejected') out.push({ type: 'MovementRejected', data: { movementId: id, rejectedBy: 'b', ...(m.reason ? { reason: m.reason } : {}) } as never });
      if (m.decision === 'expired') out.push({ type: 'MovementExpired', data: { movementId: id, expiredAt: '2026-03-06T00:00:00.000Z' } });
      return out;
    };
    const dump = (db: Database.Database) => db.prepare('SELECT * FROM movements ORDER BY movement_id').all();
    fc.assert(
      fc.property(
        fc.array(movement, { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 10 }),
        (movements, picks, sizes) => {
          // The movements' events interleaved in log order, each movement's own in its order.
          const queues = movements.map((m, i) => eventsOf(m, `m${i}`));
          const order: MovementEvent[] = [];
          for (let k = 0; queues.some((q) => q.length > 0); k++) {
            const open = queues.filter((q) => q.length > 0);
            order.push(open[(picks[k % Math.max(1, picks.length)] ?? 0) % open.length].shift()!);
          }
          position = 0;
          const events = order.map((e) => recorded(e));
          const alone = project(...events);
          const batched = new Database(':memory:');
          movementsProjection.setup(batched);
          applyInBatches(movementsProjection, batched, events, sizes);
          expect(dump(batched)).toEqual(dump(alone));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('fails on the event itself, in a batch as alone, for a movement requested twice or never requested', () => {
    for (const batched of [false, true]) {
      const db = new Database(':memory:');
      movementsProjection.setup(db);
      if (batched) movementsProjection.batch!.begin(db);
      movementsProjection.apply(db, recorded(transfer('m1')));
      expect(() => movementsProjection.apply(db, recorded(transfer('m1')))).toThrow('UNIQUE constraint failed: movements.movement_id');
      expect(() => movementsProjection.apply(db, recorded({ type: 'MovementExpired', data: { movementId: 'm9', expiredAt: RECORDED } }))).toThrow(TypeError);
      if (batched) movementsProjection.batch!.abandon(db);
    }
    // What an abandoned batch held is not written.
    const db = new Database(':memory:');
    movementsProjection.setup(db);
    movementsProjection.batch!.begin(db);
    movementsProjection.apply(db, recorded(transfer('m1')));
    movementsProjection.batch!.abandon(db);
    expect(findMovement(db, 'm1')).toBeUndefined();
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
