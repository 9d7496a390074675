import { join } from 'node:path';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import { MetricsRegistry } from '../../observability/metrics-registry';
import { LEDGER_CONFIG } from '../../commands/ledger-core.module';
import { DEFAULT_SEAL_EVERY_EVENTS, LedgerConfig, prepareDataDir } from '../../config';
import { EventCatalogue } from '../../event-store/event-catalogue';
import { EventStore } from '../../event-store/event-store.port';
import { SharedPostgres, SharedState } from '../../shared-state/shared-postgres';
import { SingletonLease } from '../../shared-state/singleton-lease';
import { MerkleStore } from './merkle-store';
import { PostgresSealKeys } from './postgres-seal-keys';
import { SealKeyStore, SealKeys } from './seal-keys';
import { SealStatus, Sealer } from './sealer';

/** How often the follower looks for new events and decides whether a seal is due. */
const TICK_MS = 1000;

/**
 * The seal keys of a configuration: seal-keys.db in the data directory, or, when instances share
 * a log, PostgreSQL (`shared`, or a pool of its own that the keys close with themselves).
 */
export function openSealKeys(config: LedgerConfig, shared?: SharedPostgres): SealKeys {
  if (!config.sharedStateUrl) return new SealKeyStore(join(config.dataDir, 'seal-keys.db'));
  return new PostgresSealKeys(shared ?? new SharedPostgres(config.sharedStateUrl), () => SharedState.kekOf(config), !shared);
}

/** Opens the follower's files in a data directory: merkle.db (derived) and the seal keys (not derived; see openSealKeys). */
export function openSealer(config: LedgerConfig, store: EventStore, catalogue?: EventCatalogue, shared?: SharedPostgres): Sealer {
  prepareDataDir(config.dataDir);
  return new Sealer(
    store,
    new MerkleStore(join(config.dataDir, 'merkle.db')),
    openSealKeys(config, shared),
    { everyEvents: config.sealEveryEvents ?? DEFAULT_SEAL_EVERY_EVENTS, intervalMs: (config.sealIntervalSeconds ?? 0) * 1000 },
    catalogue,
  );
}

/**
 * The Merkle follower and sealer inside the service: a timer, never the request path. Sealing is
 * on when LEDGER_SEAL_INTERVAL_SECONDS is above 0 (the default) and this instance holds the
 * singleton lease (always, on one instance); the tree is followed either way, on every instance,
 * so each answers proofs and checks the log against the signer's record. `sealAgeSeconds()` is for metrics.
 */
@Injectable()
export class SealService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Seals');
  readonly sealer: Sealer;
  /** Sealing is configured (LEDGER_SEAL_INTERVAL_SECONDS > 0); it runs only while the lease is held. */
  private readonly sealingConfigured: boolean;
  /** Instances share the log: no clean-shutdown promise (the others keep writing). */
  private readonly shared: boolean;
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopped = false;
  private lastError?: string;

  constructor(
    store: EventStore,
    @Inject(LEDGER_CONFIG) config: LedgerConfig,
    catalogue: EventCatalogue,
    private readonly lease: SingletonLease,
    shared: SharedState,
    @Optional() metrics?: MetricsRegistry,
  ) {
    this.sealer = openSealer(config, store, catalogue, shared.postgres);
    this.sealingConfigured = (config.sealIntervalSeconds ?? 0) > 0;
    this.shared = shared.postgres !== undefined;
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

  /** Whether this instance seals now. */
  private get sealing(): boolean {
    return this.sealingConfigured && this.lease.held;
  }

  async onApplicationBootstrap(): Promise<void> {
    // On taking the lease: the record no longer promises a sealed tail (a no-op where instances share the log).
    if (this.lease.status().mode === 'local') {
      // One instance alone: a failure here stops the start, as it always has.
      if (this.sealingConfigured) await this.sealer.started();
    } else {
      this.lease.onChange(async (held) => {
        if (held && this.sealingConfigured && !this.stopped) await this.sealer.started();
      });
    }
    await this.lease.settled();
    this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
    try {
      if (this.sealing) await this.sealer.shutdown(!this.shared);
    } catch (error) {
      this.logger.error(`sealing at shutdown failed: ${(error as Error).message}`);
    }
    await this.sealer.close();
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
