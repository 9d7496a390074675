import Database from 'better-sqlite3';

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
  position: number;
  delivered: number;
  failed_attempts: number;
  consecutive_failures: number;
  last_delivered_at: string | null;
  last_attempt_at: string | null;
  last_error: string | null;
  next_attempt_at: string | null;
}

/**
 * The webhook checkpoints, in their own file (`webhooks.db`) for the reason the Kafka relay keeps
 * `relay.db`: read models are disposable, but losing a subscriber's position would send it the
 * whole log again. One row per subscription; the position never moves back.
 */
export class DeliveryState {
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

function toRow(r: Raw): DeliveryRow {
  return {
    subscriptionId: r.subscription_id,
    position: r.position,
    delivered: r.delivered,
    failedAttempts: r.failed_attempts,
    consecutiveFailures: r.consecutive_failures,
    ...(r.last_delivered_at ? { lastDeliveredAt: r.last_delivered_at } : {}),
    ...(r.last_attempt_at ? { lastAttemptAt: r.last_attempt_at } : {}),
    ...(r.last_error ? { lastError: r.last_error } : {}),
    ...(r.next_attempt_at ? { nextAttemptAt: r.next_attempt_at } : {}),
  };
}
