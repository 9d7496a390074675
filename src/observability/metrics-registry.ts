import { Injectable } from '@nestjs/common';
import {
  Counter,
  CounterConfiguration,
  Gauge,
  GaugeConfiguration,
  Histogram,
  HistogramConfiguration,
  Registry,
  collectDefaultMetrics,
} from 'prom-client';

/**
 * The one registry behind `GET /metrics` (Prometheus text format). Every metric of the service is
 * made through it, so that a feature adds its own series without touching the endpoint: inject
 * `MetricsRegistry` and call `gauge`, `counter` or `histogram` once (at construction, not per
 * request), e.g. the age of the last seal:
 *
 *   metrics.gauge({ name: 'ledger_seal_age_seconds', help: '…', collect() { this.set(ageSeconds()) } });
 *
 * Names start with `ledger_`, are unique (a second registration of a name throws), and labels
 * take a small, fixed set of values (route patterns, projection names; never ids or tokens).
 * Each application has a registry of its own (not prom-client's global one), so that several
 * applications in one process (the tests) do not collide. Node's process metrics (`process_*`,
 * `nodejs_*`) come with it.
 */
@Injectable()
export class MetricsRegistry {
  readonly registry = new Registry();

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  counter<T extends string>(config: Omit<CounterConfiguration<T>, 'registers'>): Counter<T> {
    return new Counter<T>({ ...config, registers: [this.registry] });
  }

  gauge<T extends string>(config: Omit<GaugeConfiguration<T>, 'registers'>): Gauge<T> {
    return new Gauge<T>({ ...config, registers: [this.registry] });
  }

  histogram<T extends string>(config: Omit<HistogramConfiguration<T>, 'registers'>): Histogram<T> {
    return new Histogram<T>({ ...config, registers: [this.registry] });
  }

  /** The Prometheus text exposition of every registered metric. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
