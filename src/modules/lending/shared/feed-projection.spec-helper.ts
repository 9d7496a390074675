import Database from 'better-sqlite3';
import type { RecordedEvent } from '../../../event-store/envelope';
import type { Projection } from '../../../projections/projection';

/**
 * For projection specs: a fresh in-memory read-model database with the given projections set up,
 * and `feed` applying events to them in log order as the runner would (positions from 1).
 */
export function projectionSpec(...projections: Projection[]) {
  const db = new Database(':memory:');
  for (const projection of projections) projection.setup(db);
  let position = 0;
  const feed = (...events: { type: string; data: unknown }[]) => {
    for (const { type, data } of events) {
      position += 1;
      const event: RecordedEvent = {
        eventId: `00000000-0000-7000-8000-${String(position).padStart(12, '0')}`,
        type,
        schemaVersion: 1,
        streamId: 'spec',
        streamVersion: position - 1,
        recordedAt: '2026-03-01T12:00:00.000Z',
        effectiveAt: '2026-03-01T12:00:00.000Z',
        data,
        metadata: { actorId: 'steward:spec', actorRole: 'steward', correlationId: 'spec', causationId: 'spec' },
        prevHash: '0'.repeat(64),
        globalPosition: position,
        hash: '0'.repeat(64),
      };
      for (const projection of projections) projection.apply(db, event);
    }
  };
  const rows = (query: string, ...params: unknown[]) => db.prepare(query).all(...params);
  return { db, feed, rows };
}
