import Database from 'better-sqlite3';
import type { RecordedEvent } from '../event-store/envelope';

/**
 * A read model derived from the global log. `apply` runs inside the runner's transaction, which
 * also moves the projection's checkpoint, so each event is applied exactly once. It must be
 * deterministic (no clock, no randomness): `ledger replay` rebuilds every projection into a
 * fresh database and expects the very same rows.
 */
export interface Projection {
  readonly name: string;
  /** Bumped when the projection's tables or logic change; a new version is rebuilt from position 0. */
  readonly version: number;
  /** Tables this projection owns; dropped on rebuild and compared by `ledger replay`. */
  readonly tables: readonly string[];
  /** Creates the tables (IF NOT EXISTS). */
  setup(db: Database.Database): void;
  /**
   * Optional: indexes only the read side's queries use, never `apply` (which must not read
   * through them). Tables built from position 0 get them once the catch-up has reached the log's
   * head (see ReadModelDatabase.createDeferredIndexes): an index built once over a full table is
   * sorted in one pass, where kept up row by row it costs a random B-tree insert per row.
   */
  readonly queryIndexes?: readonly QueryIndex[];
  apply(db: Database.Database, event: RecordedEvent): void;
  /**
   * Optional: the runner opens a batch before it applies a batch of events and ends it after the
   * last one, inside the projection's savepoint, so the projection may add up the batch's updates
   * in memory and write each row once (`end`); `abandon` drops them when the savepoint is rolled
   * back. Outside a batch, `apply` writes through, so feeding events to `apply` alone is enough.
   */
  readonly batch?: {
    begin(db: Database.Database): void;
    end(db: Database.Database): void;
    abandon(db: Database.Database): void;
  };
}

/** An index of a projection's table: `CREATE INDEX IF NOT EXISTS <name> ON <on>`. */
export interface QueryIndex {
  readonly name: string;
  /** The table and its columns, e.g. `donations (fund_id, received_on)`. */
  readonly on: string;
}

/** Where a projection stopped: the event it could not apply, which it has not applied. */
export interface StuckAt {
  readonly position: number;
  readonly eventId: string;
  readonly type: string;
  readonly error: string;
  /** When it got stuck (server clock), for the operator. */
  readonly since: string;
}

const statementCache = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/** A prepared statement, cached per connection: projections run the same few statements very often. */
export function sql(db: Database.Database, text: string): Database.Statement {
  let cache = statementCache.get(db);
  if (!cache) {
    cache = new Map();
    statementCache.set(db, cache);
  }
  let statement = cache.get(text);
  if (!statement) {
    statement = db.prepare(text);
    cache.set(text, statement);
  }
  return statement;
}
