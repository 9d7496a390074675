import { Injectable, Optional } from '@nestjs/common';
import { BackgroundVerifier } from '../audit/verify/background-verifier';
import { EventStore } from '../event-store/event-store.port';
import { isObservableStore } from '../event-store/store-observer';
import { hasWriteFaults } from '../event-store/store-unavailable';
import { ProjectionRunner } from '../projections/projection-runner';
import { LogRelay } from '../relay/log-relay';
import { MetricsRegistry } from './metrics-registry';

/** Group sizes up to the writer's cap of 2048 appends per transaction. */
const GROUP_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048];
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * The ledger's own series: the store's appends and commits (as the store reports them, see
 * store-observer.ts), and, read at each scrape, the log head, each projection's position and lag,
 * the relay's lag, and the background verification. See the README's "Operations" section.
 */
@Injectable()
export class LedgerMetrics {
  constructor(
    metrics: MetricsRegistry,
    store: EventStore,
    runner: ProjectionRunner,
    @Optional() relay?: LogRelay,
    @Optional() verifier?: BackgroundVerifier,
  ) {
    const appendSeconds = metrics.histogram({
      name: 'ledger_store_append_duration_seconds',
      help: 'Time from an append handed to the event store to its answer (durable, or refused), by outcome (ok, conflict, error).',
      labelNames: ['outcome'] as const,
      buckets: LATENCY_BUCKETS,
    });
    const commitSeconds = metrics.histogram({
      name: 'ledger_store_commit_duration_seconds',
      help: 'Time of one write transaction of the SQLite store, from BEGIN to the end of COMMIT (its fsync included).',
      buckets: LATENCY_BUCKETS,
    });
    const groupSize = metrics.histogram({
      name: 'ledger_store_commit_appends',
      help: 'Appends (commands) committed together by one transaction of the SQLite store: the group-commit size.',
      buckets: GROUP_BUCKETS,
    });
    const committedEvents = metrics.counter({
      name: 'ledger_store_committed_events_total',
      help: 'Events written by the transactions of the SQLite store.',
    });
    if (isObservableStore(store)) {
      store.observe({
        appended: (seconds, outcome) => appendSeconds.observe({ outcome }, seconds),
        committed: ({ appends, events, seconds }) => {
          commitSeconds.observe(seconds);
          groupSize.observe(appends);
          committedEvents.inc(events);
        },
      });
    }

    // Read at each scrape by each gauge that needs it (one indexed lookup): the gauges of a
    // scrape are collected concurrently, so none can rely on another's reading.
    const readHead = async (): Promise<number | undefined> => {
      try {
        return await store.headPosition();
      } catch {
        return undefined;
      }
    };
    // A series without labels cannot be absent once registered: while the store does not answer
    // it is NaN, and ledger_store_up is 0.
    metrics.gauge({
      name: 'ledger_store_up',
      help: '1 when the event store answered this scrape (its head position), else 0.',
      async collect() {
        this.set((await readHead()) === undefined ? 0 : 1);
      },
    });
    metrics.gauge({
      name: 'ledger_store_head_position',
      help: 'Global position of the last event in the log (NaN while the store does not answer).',
      async collect() {
        this.set((await readHead()) ?? Number.NaN);
      },
    });
    metrics.gauge({
      name: 'ledger_store_write_fault',
      help: '1 while the last write failed for a storage fault (disk full, I/O, writer gone) and none succeeded since, else 0.',
      collect() {
        this.set(hasWriteFaults(store) && store.lastWriteFault() ? 1 : 0);
      },
    });
    metrics.gauge({
      name: 'ledger_projection_position',
      help: 'Global position each projection has applied (its checkpoint).',
      labelNames: ['projection'] as const,
      collect() {
        this.reset();
        for (const p of runner.status().projections) this.set({ projection: p.name }, p.position);
      },
    });
    metrics.gauge({
      name: 'ledger_projection_lag_events',
      help: 'Events in the log a projection has not applied yet (log head minus its position).',
      labelNames: ['projection'] as const,
      async collect() {
        this.reset();
        const position = await readHead();
        if (position === undefined) return;
        for (const p of runner.status().projections) this.set({ projection: p.name }, Math.max(0, position - p.position));
      },
    });
    metrics.gauge({
      name: 'ledger_projection_stuck',
      help: '1 for a projection stuck at an event it cannot apply (see /health), else 0.',
      labelNames: ['projection'] as const,
      collect() {
        this.reset();
        for (const p of runner.status().projections) this.set({ projection: p.name }, p.stuck ? 1 : 0);
      },
    });
    metrics.gauge({
      name: 'ledger_projections_running',
      help: '1 while the projection runner follows the log, else 0.',
      collect() {
        this.set(runner.status().running ? 1 : 0);
      },
    });
    if (relay) {
      metrics.gauge({
        name: 'ledger_relay_position',
        help: 'Global position of the last event the Kafka broker acknowledged (the relay checkpoint).',
        collect() {
          this.set(relay.status().position);
        },
      });
      metrics.gauge({
        name: 'ledger_relay_lag_events',
        help: 'Events in the log the Kafka relay has not published yet (log head minus its position; NaN while the store does not answer).',
        async collect() {
          const position = await readHead();
          this.set(position === undefined ? Number.NaN : Math.max(0, position - relay.status().position));
        },
      });
      metrics.gauge({
        name: 'ledger_relay_up',
        help: '1 while the relay is running (following the log), else 0 (starting, waiting for the broker, retrying, stopped).',
        collect() {
          this.set(relay.status().state === 'running' ? 1 : 0);
        },
      });
    }
    if (verifier) {
      metrics.gauge({
        name: 'ledger_verification_failed',
        help: '1 when the background verification found a broken event (see /health), else 0.',
        collect() {
          this.set(verifier.status().status === 'failed' ? 1 : 0);
        },
      });
    }
  }
}
