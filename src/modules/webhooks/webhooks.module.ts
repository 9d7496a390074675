import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { BeforeApplicationShutdown, Inject, Injectable, Logger, Module, OnApplicationBootstrap, Optional } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { LEDGER_CONFIG } from '../../commands/ledger-core.module';
import type { LedgerConfig } from '../../config';
import { EventStore } from '../../event-store/event-store.port';
import { MetricsRegistry } from '../../observability/metrics-registry';
import { HttpCommonModule } from '../../http/http-common.module';
import { ReadModelDatabase } from '../../projections/read-model-database';
import { ChangeWebhookController } from './change-webhook/change-webhook.controller';
import { ChangeWebhookHandler } from './change-webhook/change-webhook.handler';
import { SharedState } from '../../shared-state/shared-postgres';
import { SingletonLease } from '../../shared-state/singleton-lease';
import { DeliveryState, DeliveryStates, PostgresDeliveryState } from './delivery/delivery-state';
import { WebhookDispatcher } from './delivery/webhook-dispatcher';
import { registerWebhookMetrics } from './delivery/webhook-metrics';
import { WebhookSecrets } from './delivery/webhook-secrets';
import { ReadWebhooksController } from './read-webhooks/read-webhooks.controller';
import { GetWebhookHandler, ListWebhooksHandler } from './read-webhooks/read-webhooks.handler';
import { RegisterWebhookController } from './register-webhook/register-webhook.controller';
import { RegisterWebhookHandler } from './register-webhook/register-webhook.handler';
import { liveSubscriptions } from './subscriptions/subscriptions.projection';
import { isDeliverableType } from './webhooks.events';

/** The injection token of the delivery checkpoints (a file, or PostgreSQL). */
const DELIVERY_STATE = Symbol('DELIVERY_STATE');

/**
 * Delivers while this instance holds the singleton lease (always, on one instance) and
 * LEDGER_WEBHOOK_DELIVERY is on; stops before the store closes.
 */
@Injectable()
class WebhookLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private stopped = false;

  constructor(
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
    private readonly dispatcher: WebhookDispatcher,
    @Inject(DELIVERY_STATE) private readonly state: DeliveryStates,
    private readonly lease: SingletonLease,
    store: EventStore,
    readModels: ReadModelDatabase,
    @Optional() metrics?: MetricsRegistry,
  ) {
    if (metrics) registerWebhookMetrics(metrics, { store, subscriptions: () => liveSubscriptions(readModels.db), status: (s) => dispatcher.status(s) });
  }

  onApplicationBootstrap(): void {
    if (this.config.webhookDelivery === false) return;
    this.dispatcher.standby = !this.lease.held;
    this.lease.onChange(async (held) => {
      this.dispatcher.standby = !held;
      if (held && !this.stopped) this.dispatcher.start();
      else await this.dispatcher.stop();
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.dispatcher.standby = false;
    await this.dispatcher.stop();
    await this.state.close();
  }
}

@Module({
  imports: [CqrsModule, HttpCommonModule],
  controllers: [RegisterWebhookController, ChangeWebhookController, ReadWebhooksController],
  providers: [
    RegisterWebhookHandler,
    ChangeWebhookHandler,
    ListWebhooksHandler,
    GetWebhookHandler,
    {
      provide: WebhookSecrets,
      // Instances sharing a log share the key too (in PostgreSQL, wrapped under the KEK), so any of them signs alike;
      // made from LEDGER_WEBHOOK_KEY_FILE when that is given (the subscribers' secrets stay as they were), else at random.
      useFactory: async (config: LedgerConfig, shared: SharedState) => {
        if (!shared.postgres) return WebhookSecrets.open(config.webhookKeyFile ?? join(config.dataDir, 'webhooks.key'));
        const file = config.webhookKeyFile;
        const initial = file ? () => WebhookSecrets.readKey(file) : undefined;
        return WebhookSecrets.fromKey(await shared.postgres.sharedKey('webhook-signing-key', SharedState.kekOf(config), initial));
      },
      inject: [LEDGER_CONFIG, SharedState],
    },
    {
      provide: DELIVERY_STATE,
      useFactory: (config: LedgerConfig, shared: SharedState): DeliveryStates => {
        if (shared.postgres) return new PostgresDeliveryState(shared.postgres);
        mkdirSync(config.dataDir, { recursive: true });
        return new DeliveryState(join(config.dataDir, 'webhooks.db'));
      },
      inject: [LEDGER_CONFIG, SharedState],
    },
    {
      provide: WebhookDispatcher,
      useFactory: (config: LedgerConfig, store: EventStore, readModels: ReadModelDatabase, state: DeliveryStates, secrets: WebhookSecrets) =>
        new WebhookDispatcher(
          {
            store,
            state,
            secrets,
            subscriptions: () => liveSubscriptions(readModels.db),
            concurrency: config.webhookConcurrency,
            timeoutMs: config.webhookTimeoutMs,
            maxBackoffMs: config.webhookMaxBackoffMs,
            logger: new Logger('Webhooks'),
          },
          isDeliverableType,
        ),
      inject: [LEDGER_CONFIG, EventStore, ReadModelDatabase, DELIVERY_STATE, WebhookSecrets],
    },
    WebhookLifecycle,
  ],
})
export class WebhooksModule {}
