import { MetricsRegistry } from '../../../observability/metrics-registry';
import type { SubscriptionRow } from '../subscriptions/subscriptions.projection';
import type { DeliveryStatus } from './webhook-dispatcher';
import { registerWebhookMetrics } from './webhook-metrics';

function valueOf(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const subscription = (id: string, status: 'active' | 'paused', registeredPosition = 10) =>
  ({ subscriptionId: id, status, registeredPosition, eventTypes: ['*'] }) as unknown as SubscriptionRow;

describe('webhook metrics', () => {
  it('count live subscriptions by delivery state and report the largest lag and run of failures over the active ones, with no id as a label', async () => {
    const metrics = new MetricsRegistry();
    let head = 100;
    let live: SubscriptionRow[] = [];
    const statuses = new Map<string, DeliveryStatus>();
    registerWebhookMetrics(metrics, {
      store: { headPosition: async () => head },
      subscriptions: () => live,
      status: async (s) => statuses.get(s.subscriptionId)!,
    });

    // None yet: every state at 0, no lag.
    let text = await metrics.text();
    expect(valueOf(text, 'ledger_webhook_subscriptions{state="retrying"}')).toBe(0);
    expect(valueOf(text, 'ledger_webhook_subscriptions{state="idle"}')).toBe(0);
    expect(valueOf(text, 'ledger_webhook_lag_events')).toBe(0);
    expect(valueOf(text, 'ledger_webhook_consecutive_failures')).toBe(0);

    live = [subscription('a', 'active'), subscription('b', 'active'), subscription('c', 'paused', 5), subscription('d', 'active', 90)];
    statuses.set('a', { state: 'idle', position: 100, consecutiveFailures: 0 });
    statuses.set('b', { state: 'retrying', position: 40, consecutiveFailures: 7 });
    statuses.set('c', { state: 'paused', position: 5, consecutiveFailures: 0 }); // paused: its lag is a steward's choice, not a fault
    statuses.set('d', { state: 'idle' }); // no checkpoint yet: from its registration
    text = await metrics.text();
    expect(valueOf(text, 'ledger_webhook_subscriptions{state="idle"}')).toBe(2);
    expect(valueOf(text, 'ledger_webhook_subscriptions{state="retrying"}')).toBe(1);
    expect(valueOf(text, 'ledger_webhook_subscriptions{state="paused"}')).toBe(1);
    expect(valueOf(text, 'ledger_webhook_lag_events')).toBe(60);
    expect(valueOf(text, 'ledger_webhook_consecutive_failures')).toBe(7);
    expect(text).not.toMatch(/ledger_webhook[^\n]*"(a|b|c|d)"/);

    // The receiver recovers and the log moves on.
    head = 120;
    statuses.set('b', { state: 'idle', position: 120, consecutiveFailures: 0 });
    statuses.set('a', { state: 'delivering', position: 110, consecutiveFailures: 0 });
    statuses.set('d', { state: 'idle', position: 120, consecutiveFailures: 0 });
    text = await metrics.text();
    expect(valueOf(text, 'ledger_webhook_subscriptions{state="retrying"}')).toBe(0);
    expect(valueOf(text, 'ledger_webhook_subscriptions{state="delivering"}')).toBe(1);
    expect(valueOf(text, 'ledger_webhook_lag_events')).toBe(10);
    expect(valueOf(text, 'ledger_webhook_consecutive_failures')).toBe(0);
  });
});
