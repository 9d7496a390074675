import { join } from 'node:path';
import { DynamicModule, Global, Inject, Injectable, Logger, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { LedgerConfig, prepareDataDir } from '../config';
import { EventStore } from '../event-store/event-store.port';
import { KurrentDbEventStore } from '../event-store/kurrentdb/kurrentdb-event-store';
import type * as PostgresAdapter from '../event-store/postgres/postgres-event-store';
import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store';
import { ProjectionRunner } from '../projections/projection-runner';
import { ReadModelDatabase } from '../projections/read-model-database';
import type { ThreadModules } from '../projections/rebuild-thread';
import { Clock, SystemClock } from '../shared/clock';
import { CommandRunner } from './command-runner';
import type { Projection } from '../projections/projection';
import { EventCatalogue } from '../event-store/event-catalogue';

export const LEDGER_CONFIG = Symbol('LEDGER_CONFIG');
/** Where a thread finds the event catalogue (the wiring's threadModules.catalogue), or null: `GET /v1/audit/verify` runs its rules in verifier threads with it. */
export const THREAD_CATALOGUE = Symbol('THREAD_CATALOGUE');

/**
 * What the composition root (src/composition.ts) hands the infrastructure: every read model to
 * build and the catalogue of every event type. The core never imports a module to find them.
 */
export interface LedgerWiring {
  readonly projections: readonly Projection[];
  readonly catalogue: EventCatalogue;
  /**
   * Where a thread finds the same read models and catalogue: with it, a rebuild far behind runs
   * in a thread of its own (see ProjectionRunner's `rebuildThread`).
   */
  readonly threadModules?: ThreadModules;
}

/** The rebuild threads LEDGER_REBUILD_THREAD asks for: none (`off`), one (`one`: no read models apart), or as wired (`on`). */
function rebuildThreadModules(setting: LedgerConfig['rebuildThread'], modules: ThreadModules | undefined): ThreadModules | undefined {
  if (setting === 'off' || !modules) return undefined;
  return setting === 'one' ? { ...modules, apart: undefined } : modules;
}

export interface LedgerCoreOverrides {
  readonly clock?: Clock;
  readonly store?: EventStore;
}

/** Starts the projection runner once the app is up and closes the stores on shutdown. */
@Injectable()
class LedgerLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Ledger');

  constructor(
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
    private readonly store: EventStore,
    private readonly readModels: ReadModelDatabase,
    private readonly runner: ProjectionRunner,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // The log's head now: until the read models have it, the service says it is rebuilding.
    this.runner.start(await this.store.headPosition().catch(() => undefined));
    this.logger.log(`Event store: ${this.config.store}; data directory: ${this.config.dataDir}`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner.stop();
    await this.store.close();
    await this.readModels.shutdown();
  }
}

export function openEventStore(config: LedgerConfig, clock: Clock): EventStore {
  if (config.store === 'kurrentdb') {
    if (!config.kurrentdbConnectionString) {
      throw new Error('LEDGER_STORE=kurrentdb needs KURRENTDB_CONNECTION_STRING');
    }
    // The log lives on the server; read models (and the relay checkpoint) stay in the data directory.
    return new KurrentDbEventStore({ connectionString: config.kurrentdbConnectionString, clock });
  }
  if (config.store === 'postgres') {
    if (!config.postgresUrl) {
      throw new Error('LEDGER_STORE=postgres needs LEDGER_POSTGRES_URL');
    }
    // The log lives in PostgreSQL; read models (and the relay checkpoint) stay in the data directory.
    // `pg` is loaded only when chosen: it adds a quarter of a second to every start on a busy machine.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { PostgresEventStore } = require('../event-store/postgres/postgres-event-store') as typeof PostgresAdapter;
    return new PostgresEventStore({ connectionString: config.postgresUrl, clock });
  }
  prepareDataDir(config.dataDir);
  return new SqliteEventStore({
    file: join(config.dataDir, 'events.db'),
    clock,
    synchronous: config.sqliteSynchronous,
  });
}

export function openReadModels(config: LedgerConfig, projections: readonly Projection[], options: { checkpointInBackground?: boolean } = {}): ReadModelDatabase {
  prepareDataDir(config.dataDir);
  return new ReadModelDatabase(join(config.dataDir, 'readmodels.db'), projections, options);
}

/** The event store, read models, projection runner and command runner, shared by every slice. */
@Global()
@Module({})
export class LedgerCoreModule {
  static forRoot(config: LedgerConfig, wiring: LedgerWiring, overrides: LedgerCoreOverrides = {}): DynamicModule {
    const { catalogue } = wiring;
    return {
      module: LedgerCoreModule,
      providers: [
        { provide: LEDGER_CONFIG, useValue: config },
        { provide: Clock, useValue: overrides.clock ?? new SystemClock() },
        {
          provide: EventStore,
          useFactory: async (clock: Clock) => {
            const store = overrides.store ?? openEventStore(config, clock);
            // A log in PostgreSQL that cannot be reached, or its schema not created, stops the start here.
            const schema = (store as Partial<Pick<PostgresAdapter.PostgresEventStore, 'whenReady'>>).whenReady;
            if (typeof schema === 'function') await schema.call(store);
            return store;
          },
          inject: [Clock],
        },
        { provide: EventCatalogue, useValue: catalogue },
        { provide: THREAD_CATALOGUE, useValue: wiring.threadModules?.catalogue ?? null },
        { provide: ReadModelDatabase, useFactory: () => openReadModels(config, wiring.projections, { checkpointInBackground: true }) },
        {
          provide: ProjectionRunner,
          useFactory: (store: EventStore, readModels: ReadModelDatabase) => {
            const logger = new Logger('Projections');
            return new ProjectionRunner(
              store,
              readModels,
              (error) => logger.error(error.stack ?? error.message),
              undefined,
              (event) => catalogue.upcast(event),
              { rebuildThread: rebuildThreadModules(config.rebuildThread, wiring.threadModules) },
            );
          },
          inject: [EventStore, ReadModelDatabase],
        },
        { provide: CommandRunner, useFactory: (store: EventStore) => new CommandRunner(store, catalogue), inject: [EventStore] },
        LedgerLifecycle,
      ],
      exports: [LEDGER_CONFIG, THREAD_CATALOGUE, Clock, EventStore, EventCatalogue, ReadModelDatabase, ProjectionRunner, CommandRunner],
    };
  }
}
