import { EventStore } from '../event-store/event-store.port';
import type { StoreObserver } from '../event-store/store-observer';
import type { ProjectionRunner, RunnerStatus } from '../projections/projection-runner';
import type { LogRelay, RelayStatus } from '../relay/log-relay';
import type { BackgroundVerifier } from '../audit/verify/background-verifier';
import { LedgerMetrics } from './ledger-metrics';
import { MetricsRegistry } from './metrics-registry';

/** The value of one series in the exposition text, or undefined when it is absent. */
function valueOf(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

function fakes(head: number | Error) {
  let observer: StoreObserver | undefined;
  let fault: object | undefined;
  const store = {
    headPosition: async () => {
      if (head instanceof Error) throw head;
      return head;
    },
    observe: (o: StoreObserver) => (observer = o),
    lastWriteFault: () => fault,
  } as unknown as EventStore;
  let runner: RunnerStatus = {
    running: true,
    position: 90,
    projections: [
      { name: 'funds', version: 1, position: 100 },
      { name: 'balances', version: 2, position: 90, stuck: { position: 91, eventId: 'e', type: 'MovementPosted', error: 'boom', since: '2026-01-01T00:00:00Z' } },
    ],
  } as unknown as RunnerStatus;
  let relay: RelayStatus = { state: 'running', topic: 'ledger.events', position: 40, published: 40 };
  let verification = 'ok';
  return {
    store,
    runner: { status: () => runner } as unknown as ProjectionRunner,
    relay: { status: () => relay } as unknown as LogRelay,
    verifier: { status: () => ({ status: verification }) } as unknown as BackgroundVerifier,
    observer: () => observer!,
    setFault: (f: object | undefined) => (fault = f),
    setRunner: (r: Partial<RunnerStatus>) => (runner = { ...runner, ...r }),
    setRelay: (r: Partial<RelayStatus>) => (relay = { ...relay, ...r }),
    setVerification: (v: string) => (verification = v),
  };
}

describe('LedgerMetrics', () => {
  it('reports projection and relay lag against the log head, stuck projections, faults and verification', async () => {
    const f = fakes(100);
    const metrics = new MetricsRegistry();
    new LedgerMetrics(metrics, f.store, f.runner, f.relay, f.verifier);
    let text = await metrics.text();
    expect(valueOf(text, 'ledger_store_up')).toBe(1);
    expect(valueOf(text, 'ledger_store_head_position')).toBe(100);
    expect(valueOf(text, 'ledger_projection_lag_events{projection="funds"}')).toBe(0);
    expect(valueOf(text, 'ledger_projection_lag_events{projection="balances"}')).toBe(10);
    expect(valueOf(text, 'ledger_projection_stuck{projection="balances"}')).toBe(1);
    expect(valueOf(text, 'ledger_projection_stuck{projection="funds"}')).toBe(0);
    expect(valueOf(text, 'ledger_relay_lag_events')).toBe(60);
    expect(valueOf(text, 'ledger_relay_position')).toBe(40);
    expect(valueOf(text, 'ledger_relay_up')).toBe(1);
    expect(valueOf(text, 'ledger_store_write_fault')).toBe(0);
    expect(valueOf(text, 'ledger_verification_failed')).toBe(0);

    f.setFault({ kind: 'SQLITE_FULL', message: 'full', at: '2026-01-01T00:00:00Z' });
    f.setRelay({ state: 'waiting-for-broker', position: 70 });
    f.setRunner({ running: false });
    f.setVerification('failed');
    text = await metrics.text();
    expect(valueOf(text, 'ledger_store_write_fault')).toBe(1);
    expect(valueOf(text, 'ledger_relay_lag_events')).toBe(30);
    expect(valueOf(text, 'ledger_relay_up')).toBe(0);
    expect(valueOf(text, 'ledger_projections_running')).toBe(0);
    expect(valueOf(text, 'ledger_verification_failed')).toBe(1);
  });

  it('records appends by outcome, commit durations and group-commit sizes as the store reports them', async () => {
    const f = fakes(5);
    const metrics = new MetricsRegistry();
    new LedgerMetrics(metrics, f.store, f.runner);
    f.observer().appended(0.002, 'ok');
    f.observer().appended(0.003, 'ok');
    f.observer().appended(0.001, 'conflict');
    f.observer().committed({ appends: 3, events: 5, seconds: 0.004 });
    f.observer().committed({ appends: 40, events: 40, seconds: 0.02 });
    const text = await metrics.text();
    expect(valueOf(text, 'ledger_store_append_duration_seconds_count{outcome="ok"}')).toBe(2);
    expect(valueOf(text, 'ledger_store_append_duration_seconds_count{outcome="conflict"}')).toBe(1);
    expect(valueOf(text, 'ledger_store_commit_duration_seconds_count')).toBe(2);
    expect(valueOf(text, 'ledger_store_commit_appends_sum')).toBe(43);
    expect(valueOf(text, 'ledger_store_commit_appends_bucket{le="4"}')).toBe(1);
    expect(valueOf(text, 'ledger_store_commit_appends_bucket{le="64"}')).toBe(2);
    expect(valueOf(text, 'ledger_store_committed_events_total')).toBe(45);
    // Without a relay or a verifier, their series are absent rather than zero.
    expect(text).not.toContain('ledger_relay_');
    expect(text).not.toContain('ledger_verification_failed');
  });

  it('leaves the head and lag out of a scrape while the store does not answer', async () => {
    const f = fakes(new Error('disk gone'));
    const metrics = new MetricsRegistry();
    new LedgerMetrics(metrics, f.store, f.runner, f.relay);
    const text = await metrics.text();
    expect(valueOf(text, 'ledger_store_up')).toBe(0);
    expect(valueOf(text, 'ledger_store_head_position')).toBeNaN();
    expect(valueOf(text, 'ledger_projection_lag_events{projection="funds"}')).toBeUndefined();
    expect(valueOf(text, 'ledger_relay_lag_events')).toBeNaN();
    // What does not need the head is still there.
    expect(valueOf(text, 'ledger_projection_position{projection="funds"}')).toBe(100);
  });

  it('lets another feature add its own series through the registry, once per name', async () => {
    const metrics = new MetricsRegistry();
    metrics.gauge({ name: 'ledger_seal_age_seconds', help: 'Seconds since the last seal.', collect() { this.set(42); } });
    expect(valueOf(await metrics.text(), 'ledger_seal_age_seconds')).toBe(42);
    expect(() => metrics.gauge({ name: 'ledger_seal_age_seconds', help: 'again' })).toThrow();
  });
});
