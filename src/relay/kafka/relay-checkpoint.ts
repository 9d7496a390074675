import Database from 'better-sqlite3';
import type { SharedPostgres } from '../../shared-state/shared-postgres';

/**
 * Where the relay's position is kept: `relay.db` (RelayCheckpoint) on one instance, PostgreSQL
 * (PostgresRelayCheckpoint) when instances share a log, so that whichever holds the singleton
 * lease resumes where the last holder's broker acknowledgements stopped. It never moves back.
 */
export interface RelayCheckpoints {
  load(topic: string): Promise<number> | number;
  save(topic: string, position: number, at?: Date): Promise<void> | void;
  close(): Promise<void> | void;
}

/**
 * The relay's durable checkpoint: per topic, the global position of the last event the broker
 * acknowledged. It lives in its own file (`relay.db` in the data directory), not in
 * `readmodels.db`: the read models are disposable (delete the file and they are rebuilt), but
 * losing this position would republish the whole log to every consumer.
 *
 * `synchronous=FULL`: a checkpoint written is a checkpoint kept. One small transaction per
 * acknowledged batch, so the cost is one fsync per batch, not per event.
 */
export class RelayCheckpoint implements RelayCheckpoints {
  private readonly db: Database.Database;
  private readonly select: Database.Statement<[string], { position: number }>;
  private readonly upsert: Database.Statement<[string, number, string]>;

  constructor(readonly file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`CREATE TABLE IF NOT EXISTS relay_checkpoints (
      topic TEXT PRIMARY KEY,
      position INTEGER NOT NULL CHECK (position >= 0),
      updated_at TEXT NOT NULL)`);
    this.select = this.db.prepare('SELECT position FROM relay_checkpoints WHERE topic = ?');
    // A checkpoint never moves back, whatever the order of writers.
    this.upsert = this.db.prepare(
      `INSERT INTO relay_checkpoints (topic, position, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (topic) DO UPDATE SET position = MAX(position, excluded.position), updated_at = excluded.updated_at`,
    );
  }

  load(topic: string): number {
    return this.select.get(topic)?.position ?? 0;
  }

  save(topic: string, position: number, at: Date = new Date()): void {
    this.upsert.run(topic, position, at.toISOString());
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** The checkpoint in PostgreSQL (ledger_relay_checkpoints): the greater position wins, whatever the order of writers. */
export class PostgresRelayCheckpoint implements RelayCheckpoints {
  constructor(private readonly db: SharedPostgres) {}

  async load(topic: string): Promise<number> {
    const [row] = await this.db.query<{ position: string }>('SELECT position FROM ledger_relay_checkpoints WHERE topic = $1', [topic]);
    return row ? Number(row.position) : 0;
  }

  async save(topic: string, position: number, at: Date = new Date()): Promise<void> {
    await this.db.query(
      `INSERT INTO ledger_relay_checkpoints (topic, position, updated_at) VALUES ($1, $2, $3)
       ON CONFLICT (topic) DO UPDATE SET position = GREATEST(ledger_relay_checkpoints.position, excluded.position), updated_at = excluded.updated_at`,
      [topic, position, at.toISOString()],
    );
  }

  close(): void {
    // The pool is the shared state's, closed with it.
  }
}
