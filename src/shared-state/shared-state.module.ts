import { DynamicModule, Global, Injectable, Logger, Module, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import { DEFAULT_LEASE_RETRY_SECONDS, LedgerConfig } from '../config';
import { MetricsRegistry } from '../observability/metrics-registry';
import { SharedState } from './shared-postgres';
import { LocalLease, PostgresLease, SingletonLease } from './singleton-lease';

/**
 * Starts the lease once every module is up (global modules bootstrap first, so the duties'
 * listeners may register before or after: they are called either way), and releases it and
 * closes the shared pool last (global modules shut down after the others, whose duties stop first).
 */
@Injectable()
class SharedStateLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly lease: SingletonLease,
    private readonly shared: SharedState,
    @Optional() metrics?: MetricsRegistry,
  ) {
    metrics?.gauge({
      name: 'ledger_singleton_lease_held',
      help: 'Whether this instance holds the singleton lease (1) and so seals, relays to Kafka and delivers webhooks, or not (0).',
      collect() {
        this.set(lease.held ? 1 : 0);
      },
    });
  }

  onApplicationBootstrap(): void {
    this.lease.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.lease.stop();
    await this.shared.close();
  }
}

/** The shared state (PostgreSQL, when instances share a log) and the singleton lease, for every module. */
@Global()
@Module({})
export class SharedStateModule {
  static forRoot(config: LedgerConfig): DynamicModule {
    return {
      module: SharedStateModule,
      providers: [
        {
          provide: SharedState,
          // The tables are made before anything uses them; a server that cannot be reached stops the start.
          useFactory: async () => {
            const shared = SharedState.open(config);
            await shared.postgres?.ready();
            return shared;
          },
        },
        {
          provide: SingletonLease,
          useFactory: () =>
            config.sharedStateUrl
              ? new PostgresLease({ url: config.sharedStateUrl, retryMs: (config.leaseRetrySeconds ?? DEFAULT_LEASE_RETRY_SECONDS) * 1000, logger: new Logger('Singletons') })
              : new LocalLease(new Logger('Singletons')),
        },
        SharedStateLifecycle,
      ],
      exports: [SharedState, SingletonLease],
    };
  }
}
