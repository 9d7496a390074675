import Database from 'better-sqlite3';
import { FALLBACK_AUTOCHECKPOINT_PAGES, JOURNAL_SIZE_LIMIT_BYTES, WalCheckpointer } from './wal-checkpointer';
import type { Projection, QueryIndex } from './projection';

export interface Checkpoint {
  readonly name: string;
  readonly version: number;
  readonly position: number;
}

/**
 * The local SQLite database holding read models and their checkpoints. It is derived data: it
 * may be deleted at any time and is rebuilt from the log. `synchronous=NORMAL` is enough here
 * because in WAL mode a crash can only lose the last commits, and a checkpoint always moves in
 * the same transaction as the rows it covers.
 */
export class ReadModelDatabase {
  readonly db: Database.Database;
  private readonly checkpointer?: WalCheckpointer;
  /** Query indexes not made yet (see Projection.queryIndexes and findDeferredIndexes). */
  private deferred: QueryIndex[] = [];

  constructor(
    readonly file: string,
    readonly projections: readonly Projection[],
    options: { readonly?: boolean; checkpointInBackground?: boolean } = {},
  ) {
    this.db = new Database(file, { readonly: options.readonly ?? false });
    if (options.readonly) return;
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    if (options.checkpointInBackground) {
      // The service's read models: checkpoints off the main thread (see WalCheckpointer).
      this.db.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
      this.db.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT_BYTES}`);
      this.checkpointer = new WalCheckpointer(file);
    }
    this.db.exec(`CREATE TABLE IF NOT EXISTS projection_checkpoints (
      name TEXT PRIMARY KEY, version INTEGER NOT NULL, position INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS read_model_origin (
        id INTEGER PRIMARY KEY CHECK (id = 1), position INTEGER NOT NULL, event_id TEXT NOT NULL)`);
    this.prepareProjections();
  }

  /**
   * The last event applied, by position and id: on start it must be the log's event at that
   * position, or these read models were built from another log (a restored, older `events.db`
   * beside a newer `readmodels.db`) and are rebuilt instead of trusted.
   */
  origin(): { position: number; eventId: string } | undefined {
    const row = this.db.prepare('SELECT position, event_id FROM read_model_origin WHERE id = 1').get() as { position: number; event_id: string } | undefined;
    return row && { position: row.position, eventId: row.event_id };
  }

  /** Drops every read model and its checkpoint: they are rebuilt from position 0. */
  resetAll(): void {
    this.db
      .transaction(() => {
        for (const projection of this.projections) {
          for (const table of projection.tables) this.db.exec(`DROP TABLE IF EXISTS "${table}"`);
          projection.setup(this.db);
        }
        this.db.exec('UPDATE projection_checkpoints SET position = 0; DELETE FROM read_model_origin');
      })
      .immediate();
    this.findDeferredIndexes();
  }

  /** Query indexes are still to be made (see Projection.queryIndexes). */
  get indexesDeferred(): boolean {
    return this.deferred.length > 0;
  }

  /**
   * Makes the query indexes not made yet (IF NOT EXISTS: another connection may have made them).
   * The runner calls it inside the transaction that brings the tables to the log's head, so no
   * reader finds them caught up without their indexes, then findDeferredIndexes once it commits.
   */
  createDeferredIndexes(): void {
    for (const { name, on } of this.deferred) this.db.exec(`CREATE INDEX IF NOT EXISTS "${name}" ON ${on}`);
  }

  /**
   * Finds which query indexes are not made: after a rebuild from position 0 (the tables were
   * dropped, their indexes with them), after a stop or crash in the middle of one, or when a
   * projection has a new one. They are made when the tables have caught up with the log.
   */
  findDeferredIndexes(): void {
    const wanted = this.projections.flatMap((projection) => projection.queryIndexes ?? []);
    if (wanted.length === 0 || !this.db.open) return;
    const made = new Set(this.db.prepare("SELECT name FROM sqlite_master WHERE type = 'index'").pluck().all() as string[]);
    this.deferred = wanted.filter(({ name }) => !made.has(name));
  }

  /**
   * Sets up each projection; one whose version changed is dropped and rebuilt from position 0.
   * So is one without a checkpoint: tables under its names were left by a projection it
   * replaces (split or renamed, keeping its table names), and their rows are not its own.
   */
  private prepareProjections(): void {
    const names = new Set<string>();
    for (const projection of this.projections) {
      if (names.has(projection.name)) throw new Error(`duplicate projection ${projection.name}`);
      names.add(projection.name);
    }
    this.db
      .transaction(() => {
        for (const projection of this.projections) {
          const stored = this.checkpoint(projection.name);
          // A projection new under its name (renamed or split) may find its tables left by the one it
          // replaces: they are dropped too, since it rebuilds them from position 0.
          if (!stored || stored.version !== projection.version) {
            for (const table of projection.tables) this.db.exec(`DROP TABLE IF EXISTS "${table}"`);
          }
          projection.setup(this.db);
          if (!stored || stored.version !== projection.version) {
            this.db
              .prepare(
                `INSERT INTO projection_checkpoints (name, version, position) VALUES (?, ?, 0)
                 ON CONFLICT (name) DO UPDATE SET version = excluded.version, position = 0`,
              )
              .run(projection.name, projection.version);
          }
        }
      })
      .immediate();
    this.findDeferredIndexes();
  }

  /**
   * Takes this database's projections whole from `source`, a file the same projections were built
   * in (the scratch file of a rebuild split over two threads), in one transaction: their tables
   * here emptied, the query indexes the source has made here too, each table copied whole, and
   * each checkpoint set to the source's. SQLite copies an empty table from one of the very same
   * schema record by record without decoding them (its transfer optimisation), indexes too. A
   * fault or crash leaves this file as it was.
   */
  adopt(source: string): void {
    const db = this.db;
    db.prepare('ATTACH DATABASE ? AS source').run(source);
    try {
      const made = new Set(db.prepare("SELECT name FROM source.sqlite_master WHERE type = 'index'").pluck().all() as string[]);
      const checkpoint = db.prepare('SELECT position FROM source.projection_checkpoints WHERE name = ?').pluck();
      const save = db.prepare('UPDATE main.projection_checkpoints SET position = ? WHERE name = ?');
      db.transaction(() => {
        for (const projection of this.projections) {
          for (const table of projection.tables) db.exec(`DELETE FROM main."${table}"`);
          for (const { name, on } of projection.queryIndexes ?? []) if (made.has(name)) db.exec(`CREATE INDEX IF NOT EXISTS main."${name}" ON ${on}`);
          for (const table of projection.tables) db.exec(`INSERT INTO main."${table}" SELECT * FROM source."${table}"`);
          save.run((checkpoint.get(projection.name) as number | undefined) ?? 0, projection.name);
        }
      }).immediate();
    } finally {
      db.exec('DETACH DATABASE source');
    }
    this.findDeferredIndexes();
  }

  checkpoint(name: string): Checkpoint | undefined {
    return this.db.prepare('SELECT name, version, position FROM projection_checkpoints WHERE name = ?').get(name) as
      | Checkpoint
      | undefined;
  }

  checkpoints(): Checkpoint[] {
    return this.db.prepare('SELECT name, version, position FROM projection_checkpoints ORDER BY name').all() as Checkpoint[];
  }

  close(): void {
    if (this.db.open) this.db.close();
    void this.checkpointer?.stop();
  }

  /**
   * The service's close: the checkpointer thread first (its connection closed), then this one,
   * which as the last connection checkpoints and removes the WAL, so the files are settled when it resolves.
   */
  async shutdown(): Promise<void> {
    await this.checkpointer?.stop();
    this.close();
  }
}
