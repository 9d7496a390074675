import type Database from 'better-sqlite3';
import type { RecordedEvent } from '../../event-store/envelope';
import type { Projection } from '../projection';

/**
 * Applies `events` to a projection that takes batches (Projection.batch) the way the runner
 * does: in consecutive batches of the given sizes, repeated as needed. For the specs that hold a
 * projection's batches to the rows its events give applied one at a time.
 */
export function applyInBatches(projection: Projection, db: Database.Database, events: readonly RecordedEvent[], sizes: readonly number[]): void {
  const batch = projection.batch;
  if (!batch) throw new Error(`${projection.name} does not take batches`);
  for (let at = 0, k = 0; at < events.length; k += 1) {
    const slice = events.slice(at, at + Math.max(1, sizes[k % sizes.length]));
    batch.begin(db);
    for (const event of slice) projection.apply(db, event);
    batch.end(db);
    at += slice.length;
  }
}
