import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BeforeApplicationShutdown, DynamicModule, Injectable, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { DEFAULT_KAFKA_CLIENT_ID, DEFAULT_KAFKA_TOPIC, LedgerConfig } from '../../config';
import { EventStore } from '../../event-store/event-store.port';
import { LogRelay } from '../log-relay';
import { KafkaRelay } from './kafka-relay';
import { RelayCheckpoint } from './relay-checkpoint';

/**
 * Starts the relay once the app is up, and stops it before the store closes (shutdown hooks of
 * this kind run before any module's onApplicationShutdown, where the store is closed).
 */
@Injectable()
class KafkaRelayLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly relay: KafkaRelay,
    private readonly checkpoint: RelayCheckpoint,
  ) {}

  onApplicationBootstrap(): void {
    this.relay.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.relay.stop();
    this.checkpoint.close();
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
          provide: RelayCheckpoint,
          useFactory: () => {
            mkdirSync(config.dataDir, { recursive: true });
            return new RelayCheckpoint(join(config.dataDir, 'relay.db'));
          },
        },
        {
          provide: KafkaRelay,
          useFactory: (store: EventStore, checkpoint: RelayCheckpoint) =>
            new KafkaRelay({
              store,
              checkpoint,
              brokers,
              topic: config.kafkaTopic ?? DEFAULT_KAFKA_TOPIC,
              clientId: config.kafkaClientId ?? DEFAULT_KAFKA_CLIENT_ID,
              logger: new Logger('KafkaRelay'),
            }),
          inject: [EventStore, RelayCheckpoint],
        },
        { provide: LogRelay, useExisting: KafkaRelay },
        KafkaRelayLifecycle,
      ],
      exports: [LogRelay],
    };
  }
}
