import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BeforeApplicationShutdown, DynamicModule, Inject, Injectable, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { DEFAULT_KAFKA_CLIENT_ID, DEFAULT_KAFKA_TOPIC, LedgerConfig } from '../../config';
import { EventStore } from '../../event-store/event-store.port';
import { SharedState } from '../../shared-state/shared-postgres';
import { SingletonLease } from '../../shared-state/singleton-lease';
import { LogRelay } from '../log-relay';
import { KafkaRelay } from './kafka-relay';
import { PostgresRelayCheckpoint, RelayCheckpoint, RelayCheckpoints } from './relay-checkpoint';

/** The injection token of the relay's checkpoint (a file, or PostgreSQL). */
const RELAY_CHECKPOINT = Symbol('RELAY_CHECKPOINT');

/**
 * Runs the relay while this instance holds the singleton lease (always, on one instance), and
 * stops it before the store closes (shutdown hooks of this kind run before any module's
 * onApplicationShutdown, where the store is closed).
 */
@Injectable()
class KafkaRelayLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private stopped = false;

  constructor(
    private readonly relay: KafkaRelay,
    @Inject(RELAY_CHECKPOINT) private readonly checkpoint: RelayCheckpoints,
    private readonly lease: SingletonLease,
  ) {}

  onApplicationBootstrap(): void {
    this.lease.onChange(async (held) => {
      if (held && !this.stopped) this.relay.start();
      else await this.relay.stop();
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.relay.stop();
    await this.checkpoint.close();
  }
}

/** The Kafka relay, imported by the app only when KAFKA_BROKERS is set. */
@Module({})
export class KafkaRelayModule {
  static forRoot(config: LedgerConfig): DynamicModule {
    const brokers = config.kafkaBrokers;
    if (!brokers || brokers.length === 0) throw new Error('the Kafka relay needs KAFKA_BROKERS');
    return {
      module: KafkaRelayModule,
      providers: [
        {
          provide: RELAY_CHECKPOINT,
          useFactory: (shared: SharedState): RelayCheckpoints => {
            if (shared.postgres) return new PostgresRelayCheckpoint(shared.postgres);
            mkdirSync(config.dataDir, { recursive: true });
            return new RelayCheckpoint(join(config.dataDir, 'relay.db'));
          },
          inject: [SharedState],
        },
        {
          provide: KafkaRelay,
          useFactory: (store: EventStore, checkpoint: RelayCheckpoints) =>
            new KafkaRelay({
              store,
              checkpoint,
              brokers,
              topic: config.kafkaTopic ?? DEFAULT_KAFKA_TOPIC,
              clientId: config.kafkaClientId ?? DEFAULT_KAFKA_CLIENT_ID,
              logger: new Logger('KafkaRelay'),
            }),
          inject: [EventStore, RELAY_CHECKPOINT],
        },
        { provide: LogRelay, useExisting: KafkaRelay },
        KafkaRelayLifecycle,
      ],
      exports: [LogRelay],
    };
  }
}
