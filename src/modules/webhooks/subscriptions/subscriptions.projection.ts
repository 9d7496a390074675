import type Database from 'better-sqlite3';
import type { RecordedEvent } from '../../../event-store/envelope';
import { Projection, sql } from '../../../projections/projection';
import type { WebhookEvent } from '../subscription/subscription.decider';

export interface SubscriptionRow {
  readonly subscriptionId: string;
  readonly url: string;
  readonly eventTypes: string[];
  readonly description?: string;
  readonly status: 'active' | 'paused' | 'deleted';
  readonly registeredBy: string;
  readonly registeredAt: string;
  /** Global position of the registration: delivery starts after it. */
  readonly registeredPosition: number;
  readonly changedAt: string;
}

/** The webhook subscriptions and their status; deleted ones are kept (listed with `status=deleted`). */
export const webhookSubscriptionsProjection: Projection = {
  name: 'webhook-subscriptions',
  version: 1,
  tables: ['webhook_subscriptions'],
  setup(db) {
    db.exec(`CREATE TABLE IF NOT EXISTS webhook_subscriptions (
      subscription_id TEXT PRIMARY KEY, url TEXT NOT NULL, event_types TEXT NOT NULL, description TEXT,
      status TEXT NOT NULL, registered_by TEXT NOT NULL, registered_at TEXT NOT NULL,
      registered_position INTEGER NOT NULL, changed_at TEXT NOT NULL)`);
  },
  apply(db, event: RecordedEvent) {
    const e = event as unknown as WebhookEvent;
    const status = (id: string, value: string, at: string) =>
      sql(db, 'UPDATE webhook_subscriptions SET status = ?, changed_at = ? WHERE subscription_id = ?').run(value, at, id);
    switch (e.type) {
      case 'WebhookRegistered': {
        const d = e.data;
        sql(
          db,
          `INSERT INTO webhook_subscriptions (subscription_id, url, event_types, description, status, registered_by, registered_at, registered_position, changed_at)
           VALUES (?, ?, ?, ?, 'active', ?, ?, ?, ?)`,
        ).run(d.subscriptionId, d.url, JSON.stringify(d.eventTypes), d.description ?? null, d.registeredBy, d.registeredAt, event.globalPosition, d.registeredAt);
        return;
      }
      case 'WebhookPaused':
        status(e.data.subscriptionId, 'paused', e.data.pausedAt);
        return;
      case 'WebhookResumed':
        status(e.data.subscriptionId, 'active', e.data.resumedAt);
        return;
      case 'WebhookDeleted':
        status(e.data.subscriptionId, 'deleted', e.data.deletedAt);
        return;
    }
  },
};

interface Raw {
  subscription_id: string;
  url: string;
  event_types: string;
  description: string | null;
  status: SubscriptionRow['status'];
  registered_by: string;
  registered_at: string;
  registered_position: number;
  changed_at: string;
}

function toRow(r: Raw): SubscriptionRow {
  return {
    subscriptionId: r.subscription_id,
    url: r.url,
    eventTypes: JSON.parse(r.event_types) as string[],
    ...(r.description ? { description: r.description } : {}),
    status: r.status,
    registeredBy: r.registered_by,
    registeredAt: r.registered_at,
    registeredPosition: r.registered_position,
    changedAt: r.changed_at,
  };
}

export function findSubscription(db: Database.Database, subscriptionId: string): SubscriptionRow | undefined {
  const r = sql(db, 'SELECT * FROM webhook_subscriptions WHERE subscription_id = ?').get(subscriptionId) as Raw | undefined;
  return r && toRow(r);
}

/** In registration order (ids are UUIDv7, so by id); `after` is the last id of the previous page. */
export function listSubscriptions(db: Database.Database, options: { status?: string; after?: string; limit: number }): { items: SubscriptionRow[]; next?: string } {
  const rows = sql(
    db,
    `SELECT * FROM webhook_subscriptions WHERE (? IS NULL AND status != 'deleted' OR status = ?) AND subscription_id > ?
     ORDER BY subscription_id LIMIT ?`,
  ).all(options.status ?? null, options.status ?? null, options.after ?? '', options.limit + 1) as Raw[];
  const items = rows.slice(0, options.limit).map(toRow);
  return { items, ...(rows.length > options.limit ? { next: items[items.length - 1].subscriptionId } : {}) };
}

/** Active and paused: what the dispatcher follows, and what counts against the limit. */
export function liveSubscriptions(db: Database.Database): SubscriptionRow[] {
  return (sql(db, "SELECT * FROM webhook_subscriptions WHERE status != 'deleted' ORDER BY subscription_id").all() as Raw[]).map(toRow);
}
