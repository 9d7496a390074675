import type { EventStore } from '../../../event-store/event-store.port';
import type { MetricsRegistry } from '../../../observability/metrics-registry';
import type { SubscriptionRow } from '../subscriptions/subscriptions.projection';
import type { DeliveryStatus, WorkerState } from './webhook-dispatcher';

/** Every delivery state a live subscription can be in, so each series exists (at 0) from the first scrape. */
const STATES: readonly WorkerState[] = ['idle', 'delivering', 'retrying', 'paused', 'disabled', 'standby'];

export interface WebhookMetricsSources {
  readonly store: Pick<EventStore, 'headPosition'>;
  /** The live subscriptions (active and paused). */
  readonly subscriptions: () => readonly SubscriptionRow[];
  readonly status: (subscription: SubscriptionRow) => Promise<DeliveryStatus>;
}

interface Reading {
  readonly byState: Map<WorkerState, number>;
  readonly maxLag: number;
  readonly maxConsecutiveFailures: number;
}

/**
 * The webhooks' figures in `/metrics`, for an alert on a subscriber that stopped receiving: how
 * many live subscriptions are in each delivery state, the largest lag (log head − checkpoint)
 * and the largest run of failed attempts over the active ones. No subscription id is a label
 * (ids never are, README "Metrics"): `GET /v1/webhooks` says which one.
 * One reading per scrape (at most 20 live subscriptions, one checkpoint lookup each), shared by
 * the three gauges: a scrape collects them together, and the reading is dropped once it settles.
 */
export function registerWebhookMetrics(metrics: MetricsRegistry, sources: WebhookMetricsSources): void {
  let inFlight: Promise<Reading> | undefined;
  const reading = (): Promise<Reading> =>
    (inFlight ??= read(sources).finally(() => {
      inFlight = undefined;
    }));
  metrics.gauge({
    name: 'ledger_webhook_subscriptions',
    help: 'Live webhook subscriptions (active or paused) by delivery state on this instance (retrying: the last attempt failed).',
    labelNames: ['state'] as const,
    async collect() {
      const { byState } = await reading();
      for (const state of STATES) this.set({ state }, byState.get(state) ?? 0);
    },
  });
  metrics.gauge({
    name: 'ledger_webhook_lag_events',
    help: 'The largest lag over the active webhook subscriptions: events in the log after a subscriber checkpoint (0 with none).',
    async collect() {
      this.set((await reading()).maxLag);
    },
  });
  metrics.gauge({
    name: 'ledger_webhook_consecutive_failures',
    help: 'The longest run of failed delivery attempts (since the last accepted one) over the active webhook subscriptions.',
    async collect() {
      this.set((await reading()).maxConsecutiveFailures);
    },
  });
}

async function read(sources: WebhookMetricsSources): Promise<Reading> {
  const live = sources.subscriptions();
  const byState = new Map<WorkerState, number>();
  if (live.length === 0) return { byState, maxLag: 0, maxConsecutiveFailures: 0 };
  const head = await sources.store.headPosition();
  let maxLag = 0;
  let maxConsecutiveFailures = 0;
  for (const subscription of live) {
    const status = await sources.status(subscription);
    byState.set(status.state, (byState.get(status.state) ?? 0) + 1);
    if (subscription.status !== 'active') continue;
    maxLag = Math.max(maxLag, head - (status.position ?? subscription.registeredPosition));
    maxConsecutiveFailures = Math.max(maxConsecutiveFailures, status.consecutiveFailures ?? 0);
  }
  return { byState, maxLag, maxConsecutiveFailures };
}
