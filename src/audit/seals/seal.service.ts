import { join } from 'node:path';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import { MetricsRegistry } from '../../observability/metrics-registry';
import { LEDGER_CONFIG } from '../../commands/ledger-core.module';
import { DEFAULT_SEAL_EVERY_EVENTS, LedgerConfig, prepareDataDir } from '../../config';
import { EventCatalogue } from '../../event-store/event-catalogue';
import { EventStore } from '../../event-store/event-store.port';
import { MerkleStore } from './merkle-store';
import { SealKeyStore } from './seal-keys';
import { SealStatus, Sealer } from './sealer';

/** How often the follower looks for new events and decides whether a seal is due. */
const TICK_MS = 1000;

/** Opens the follower's files in a data directory: merkle.db (derived) and seal-keys.db (not derived). */
export function openSealer(config: LedgerConfig, store: EventStore, catalogue?: EventCatalogue): Sealer {
  prepareDataDir(config.dataDir);
  return new Sealer(
    store,
    new MerkleStore(join(config.dataDir, 'merkle.db')),
    new SealKeyStore(join(config.dataDir, 'seal-keys.db')),
    { everyEvents: config.sealEveryEvents ?? DEFAULT_SEAL_EVERY_EVENTS, intervalMs: (config.sealIntervalSeconds ?? 0) * 1000 },
    catalogue,
  );
}

/**
 * The Merkle follower and sealer inside the service: a timer, never the request path. Sealing is
 * on when LEDGER_SEAL_INTERVAL_SECONDS is above 0 (the default); the tree is followed either
 * way, so proofs can be answered. `sealAgeSeconds()` is for metrics.
 */
@Injectable()
export class SealService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Seals');
  readonly sealer: Sealer;
  private readonly sealing: boolean;
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopped = false;
  private lastError?: string;

  constructor(store: EventStore, @Inject(LEDGER_CONFIG) config: LedgerConfig, catalogue: EventCatalogue, @Optional() metrics?: MetricsRegistry) {
    this.sealer = openSealer(config, store, catalogue);
    this.sealing = (config.sealIntervalSeconds ?? 0) > 0;
    const age = () => this.sealAgeSeconds();
    metrics?.gauge({
      name: 'ledger_seal_age_seconds',
      help: 'Seconds since the last seal (signed tree head) was made; absent before the first.',
      collect() {
        const seconds = age();
        if (seconds === undefined) this.reset();
        else this.set(seconds);
      },
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.sealing) await this.sealer.started();
    this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
    try {
      if (this.sealing) await this.sealer.shutdown();
    } catch (error) {
      this.logger.error(`sealing at shutdown failed: ${(error as Error).message}`);
    }
    this.sealer.close();
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.tick().finally(() => this.schedule(TICK_MS));
    }, delayMs);
    this.timer.unref();
  }

  /** One step of the follower: catch the tree up, and seal if a seal is due. */
  tick(force = false): Promise<unknown> {
    this.running ??= (async () => {
      try {
        const before = this.sealer.status().problem;
        if (this.sealing || force) await this.sealer.maybeSeal(force);
        else await this.sealer.catchUp();
        const problem = this.sealer.status().problem;
        if (problem && problem !== before) this.logger.error(`seals: ${problem.kind}: ${problem.detail}`);
        this.lastError = undefined;
      } catch (error) {
        const message = (error as Error).message;
        if (message !== this.lastError) this.logger.warn(`the Merkle follower will try again: ${message}`);
        this.lastError = message;
      }
    })().finally(() => (this.running = undefined));
    return this.running;
  }

  status(): SealStatus & { readonly sealing: boolean; readonly error?: string } {
    return { ...this.sealer.status(), sealing: this.sealing, ...(this.lastError ? { error: this.lastError } : {}) };
  }

  /** Seconds since the last seal was made (undefined before the first): a metric for /metrics. */
  sealAgeSeconds(): number | undefined {
    return this.sealer.sealAgeSeconds();
  }
}
