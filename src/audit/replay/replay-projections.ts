import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import type { EventStore } from '../../event-store/event-store.port';
import type { Projection } from '../../projections/projection';
import { ProjectionRunner } from '../../projections/projection-runner';
import { ReadModelDatabase } from '../../projections/read-model-database';
import type { EventCatalogue } from '../../event-store/event-catalogue';

export interface TableDifference {
  readonly projection: string;
  readonly table: string;
  readonly liveRows: number;
  readonly rebuiltRows: number;
  /** The first row (in key order) that differs, as JSON, from each side. */
  readonly firstLive?: string;
  readonly firstRebuilt?: string;
}

/** A projection that threw while being rebuilt: a bug in it, at this event. */
export interface StuckProjection {
  readonly projection: string;
  readonly position: number;
  readonly eventId: string;
  readonly type: string;
  readonly error: string;
}

export interface ReplayReport {
  readonly ok: boolean;
  readonly position: number;
  readonly tablesCompared: number;
  readonly rowsCompared: number;
  readonly differences: readonly TableDifference[];
  /** Projections that could not be rebuilt past an event; their tables are not compared. */
  readonly stuck: readonly StuckProjection[];
}

/**
 * Rebuilds every projection from position 0 into a fresh database, up to the position the live
 * read models have reached, and compares the two table by table. The live database is read
 * inside one transaction, so a running service may go on writing meanwhile.
 */
export async function replayAndCompare(options: {
  readonly store: EventStore;
  readonly projections: readonly Projection[];
  /** Projections read events upcast to their current version, as in the service. */
  readonly catalogue: EventCatalogue;
  readonly liveFile: string;
  readonly freshFile: string;
  readonly onProgress?: (position: number, target: number) => void;
}): Promise<ReplayReport> {
  const live = new Database(options.liveFile, { readonly: true, fileMustExist: true });
  const fresh = new ReadModelDatabase(options.freshFile, options.projections);
  try {
    live.exec('BEGIN');
    const checkpoints = live.prepare('SELECT name, position FROM projection_checkpoints').all() as Array<{
      name: string;
      position: number;
    }>;
    const livePositions = new Map(checkpoints.map((c) => [c.name, c.position]));
    const missing = options.projections.filter((p) => !livePositions.has(p.name)).map((p) => p.name);
    if (missing.length > 0) throw new Error(`the live read models lack projections: ${missing.join(', ')}`);
    const positions = new Set(options.projections.map((p) => livePositions.get(p.name) ?? 0));
    if (positions.size !== 1) {
      const detail = options.projections.map((p) => `${p.name} at ${livePositions.get(p.name) ?? 0}`).join(', ');
      throw new Error(
        `the live projections are at different positions (${detail}); let the service catch up and try again, ` +
          'or, if one stays behind, it is stuck: see /health and "When a projection is stuck" in the README',
      );
    }
    const [target] = [...positions];

    const runner = new ProjectionRunner(options.store, fresh, undefined, undefined, (event) => options.catalogue.upcast(event));
    const progress = setInterval(() => options.onProgress?.(runner.status().position, target), 250);
    try {
      await runner.catchUp(target);
    } finally {
      clearInterval(progress);
    }
    options.onProgress?.(target, target);

    const stuck = [...runner.stuckProjections()].map(([projection, at]) => ({
      projection,
      position: at.position,
      eventId: at.eventId,
      type: at.type,
      error: at.error,
    }));
    const differences: TableDifference[] = [];
    let rowsCompared = 0;
    let tablesCompared = 0;
    for (const projection of options.projections) {
      if (runner.stuckProjections().has(projection.name)) continue;
      for (const table of projection.tables) {
        tablesCompared += 1;
        const a = tableDigest(live, table);
        const b = tableDigest(fresh.db, table);
        rowsCompared += a.rows;
        if (a.digest !== b.digest) {
          const firstDiff = firstDifferentRow(live, fresh.db, table);
          differences.push({ projection: projection.name, table, liveRows: a.rows, rebuiltRows: b.rows, ...firstDiff });
        }
      }
    }
    live.exec('COMMIT');
    return { ok: differences.length === 0 && stuck.length === 0, position: target, tablesCompared, rowsCompared, differences, stuck };
  } finally {
    live.close();
    fresh.close();
  }
}

function orderedRows(db: Database.Database, table: string): IterableIterator<unknown> {
  const columns = (db.prepare(`PRAGMA table_info("${table}")`).all() as Array<{ name: string }>).map((c) => `"${c.name}"`);
  return db.prepare(`SELECT * FROM "${table}" ORDER BY ${columns.join(', ')}`).iterate();
}

function tableDigest(db: Database.Database, table: string): { digest: string; rows: number } {
  const hash = createHash('sha256');
  let rows = 0;
  for (const row of orderedRows(db, table)) {
    hash.update(JSON.stringify(row));
    hash.update('\n');
    rows += 1;
  }
  return { digest: hash.digest('hex'), rows };
}

function firstDifferentRow(
  live: Database.Database,
  fresh: Database.Database,
  table: string,
): { firstLive?: string; firstRebuilt?: string } {
  const a = orderedRows(live, table);
  const b = orderedRows(fresh, table);
  for (;;) {
    const x = a.next();
    const y = b.next();
    if (x.done && y.done) return {};
    const left = x.done ? undefined : JSON.stringify(x.value);
    const right = y.done ? undefined : JSON.stringify(y.value);
    if (left !== right) {
      a.return?.();
      b.return?.();
      return { firstLive: left, firstRebuilt: right };
    }
  }
}
