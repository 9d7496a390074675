import Database from 'better-sqlite3';
import type { SharedPostgres } from '../../../shared-state/shared-postgres';

/** What the delivery of one subscription has reached, durable (the checkpoint) and for /v1/webhooks. */
export interface DeliveryRow {
  readonly subscriptionId: string;
  /** Global position of the last event handled: delivered, or not of the subscriber's types. */
  readonly position: number;
  readonly delivered: number;
  readonly failedAttempts: number;
  readonly consecutiveFailures: number;
  readonly lastDeliveredAt?: string;
  readonly lastAttemptAt?: string;
  readonly lastError?: string;
  readonly nextAttemptAt?: string;
}

interface Raw {
  subscription_id: string;
  position: number | string;
  delivered: number | string;
  failed_attempts: number | string;
  consecutive_failures: number | string;
  last_delivered_at: string | null;
  last_attempt_at: string | null;
  last_error: string | null;
  next_attempt_at: string | null;
}

/**
 * Where the webhook checkpoints live: `webhooks.db` (DeliveryState) on one instance, PostgreSQL
 * (PostgresDeliveryState) when instances share a log, so that whichever holds the singleton lease
 * resumes each subscriber where the last holder's acknowledged deliveries stopped.
 */
export interface DeliveryStates {
  get(subscriptionId: string): Promise<DeliveryRow | undefined> | DeliveryRow | undefined;
  /** The first time a subscription is seen: it starts after the event that registered it (a row that exists is kept). */
  start(subscriptionId: string, position: number): Promise<DeliveryRow> | DeliveryRow;
  /** A batch acknowledged with a 2xx (or `count` 0: events passed over): the checkpoint moves (never back), failures reset. */
  delivered(subscriptionId: string, position: number, count: number, at: Date): Promise<void> | void;
  failed(subscriptionId: string, error: string, at: Date, nextAttemptAt: Date): Promise<void> | void;
  close(): Promise<void> | void;
}

/**
 * The webhook checkpoints, in their own file (`webhooks.db`) for the reason the Kafka relay keeps
 * `relay.db`: read models are disposable, but losing a subscriber's position would send it the
 * whole log again. One row per subscription; the position never moves back.
 */
export class DeliveryState implements DeliveryStates {
  private readonly db: Database.Database;

  constructor(readonly file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // NORMAL, not FULL: in WAL mode a checkpoint survives a crash of the process, and one lost to
    // a power cut only means its batch is sent again, which at-least-once delivery allows. FULL
    // would add an fsync per delivered batch to the disk the log itself commits to.
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`CREATE TABLE IF NOT EXISTS webhook_deliveries (
      subscription_id TEXT PRIMARY KEY,
      position INTEGER NOT NULL CHECK (position >= 0),
      delivered INTEGER NOT NULL DEFAULT 0,
      failed_attempts INTEGER NOT NULL DEFAULT 0,
      consecutive_failures INTEGER NOT NULL DEFAULT 0,
      last_delivered_at TEXT, last_attempt_at TEXT, last_error TEXT, next_attempt_at TEXT)`);
  }

  get(subscriptionId: string): DeliveryRow | undefined {
    const r = this.db.prepare('SELECT * FROM webhook_deliveries WHERE subscription_id = ?').get(subscriptionId) as Raw | undefined;
    return r && toRow(r);
  }

  /** The first time a subscription is seen: it starts after the event that registered it. */
  start(subscriptionId: string, position: number): DeliveryRow {
    this.db.prepare('INSERT OR IGNORE INTO webhook_deliveries (subscription_id, position) VALUES (?, ?)').run(subscriptionId, position);
    return this.get(subscriptionId)!;
  }

  /** A batch acknowledged with a 2xx (or events passed over): the checkpoint moves, failures reset. */
  delivered(subscriptionId: string, position: number, count: number, at: Date): void {
    this.db
      .prepare(
        `UPDATE webhook_deliveries SET position = MAX(position, ?), delivered = delivered + ?, consecutive_failures = 0,
           last_delivered_at = CASE WHEN ? > 0 THEN ? ELSE last_delivered_at END, last_attempt_at = CASE WHEN ? > 0 THEN ? ELSE last_attempt_at END,
           last_error = CASE WHEN ? > 0 THEN NULL ELSE last_error END, next_attempt_at = NULL
         WHERE subscription_id = ?`,
      )
      .run(position, count, count, at.toISOString(), count, at.toISOString(), count, subscriptionId);
  }

  failed(subscriptionId: string, error: string, at: Date, nextAttemptAt: Date): void {
    this.db
      .prepare(
        `UPDATE webhook_deliveries SET failed_attempts = failed_attempts + 1, consecutive_failures = consecutive_failures + 1,
           last_attempt_at = ?, last_error = ?, next_attempt_at = ? WHERE subscription_id = ?`,
      )
      .run(at.toISOString(), error.slice(0, 300), nextAttemptAt.toISOString(), subscriptionId);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** The same table in PostgreSQL (ledger_webhook_deliveries), the same statements. */
export class PostgresDeliveryState implements DeliveryStates {
  constructor(private readonly db: SharedPostgres) {}

  async get(subscriptionId: string): Promise<DeliveryRow | undefined> {
    const [r] = await this.db.query<Raw>('SELECT * FROM ledger_webhook_deliveries WHERE subscription_id = $1', [subscriptionId]);
    return r && toRow(r);
  }

  async start(subscriptionId: string, position: number): Promise<DeliveryRow> {
    await this.db.query('INSERT INTO ledger_webhook_deliveries (subscription_id, position) VALUES ($1, $2) ON CONFLICT (subscription_id) DO NOTHING', [subscriptionId, position]);
    return (await this.get(subscriptionId))!;
  }

  async delivered(subscriptionId: string, position: number, count: number, at: Date): Promise<void> {
    await this.db.query(
      `UPDATE ledger_webhook_deliveries SET position = GREATEST(position, $1), delivered = delivered + $2, consecutive_failures = 0,
         last_delivered_at = CASE WHEN $2 > 0 THEN $3 ELSE last_delivered_at END, last_attempt_at = CASE WHEN $2 > 0 THEN $3 ELSE last_attempt_at END,
         last_error = CASE WHEN $2 > 0 THEN NULL ELSE last_error END, next_attempt_at = NULL
       WHERE subscription_id = $4`,
      [position, count, at.toISOString(), subscriptionId],
    );
  }

  async failed(subscriptionId: string, error: string, at: Date, nextAttemptAt: Date): Promise<void> {
    await this.db.query(
      `UPDATE ledger_webhook_deliveries SET failed_attempts = failed_attempts + 1, consecutive_failures = consecutive_failures + 1,
         last_attempt_at = $1, last_error = $2, next_attempt_at = $3 WHERE subscription_id = $4`,
      [at.toISOString(), error.slice(0, 300), nextAttemptAt.toISOString(), subscriptionId],
    );
  }

  close(): void {
    // The pool is the shared state's, closed with it.
  }
}

/** A row of either store (PostgreSQL answers bigint columns as strings). */
function toRow(r: Raw): DeliveryRow {
  return {
    subscriptionId: r.subscription_id,
    position: Number(r.position),
    delivered: Number(r.delivered),
    failedAttempts: Number(r.failed_attempts),
    consecutiveFailures: Number(r.consecutive_failures),
    ...(r.last_delivered_at ? { lastDeliveredAt: r.last_delivered_at } : {}),
    ...(r.last_attempt_at ? { lastAttemptAt: r.last_attempt_at } : {}),
    ...(r.last_error ? { lastError: r.last_error } : {}),
    ...(r.next_attempt_at ? { nextAttemptAt: r.next_attempt_at } : {}),
  };
}
