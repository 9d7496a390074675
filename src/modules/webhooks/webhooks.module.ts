import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { BeforeApplicationShutdown, Inject, Injectable, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { LEDGER_CONFIG } from '../../commands/ledger-core.module';
import type { LedgerConfig } from '../../config';
import { EventStore } from '../../event-store/event-store.port';
import { HttpCommonModule } from '../../http/http-common.module';
import { ReadModelDatabase } from '../../projections/read-model-database';
import { ChangeWebhookController } from './change-webhook/change-webhook.controller';
import { ChangeWebhookHandler } from './change-webhook/change-webhook.handler';
import { DeliveryState } from './delivery/delivery-state';
import { WebhookDispatcher } from './delivery/webhook-dispatcher';
import { WebhookSecrets } from './delivery/webhook-secrets';
import { ReadWebhooksController } from './read-webhooks/read-webhooks.controller';
import { GetWebhookHandler, ListWebhooksHandler } from './read-webhooks/read-webhooks.handler';
import { RegisterWebhookController } from './register-webhook/register-webhook.controller';
import { RegisterWebhookHandler } from './register-webhook/register-webhook.handler';
import { liveSubscriptions } from './subscriptions/subscriptions.projection';
import { isDeliverableType } from './webhooks.events';

/** Starts delivery once the app is up (where LEDGER_WEBHOOK_DELIVERY is on) and stops it before the store closes. */
@Injectable()
class WebhookLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
    private readonly dispatcher: WebhookDispatcher,
    private readonly state: DeliveryState,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.webhookDelivery !== false) this.dispatcher.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.dispatcher.stop();
    this.state.close();
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
      useFactory: (config: LedgerConfig) => WebhookSecrets.open(config.webhookKeyFile ?? join(config.dataDir, 'webhooks.key')),
      inject: [LEDGER_CONFIG],
    },
    {
      provide: DeliveryState,
      useFactory: (config: LedgerConfig) => {
        mkdirSync(config.dataDir, { recursive: true });
        return new DeliveryState(join(config.dataDir, 'webhooks.db'));
      },
      inject: [LEDGER_CONFIG],
    },
    {
      provide: WebhookDispatcher,
      useFactory: (config: LedgerConfig, store: EventStore, readModels: ReadModelDatabase, state: DeliveryState, secrets: WebhookSecrets) =>
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
      inject: [LEDGER_CONFIG, EventStore, ReadModelDatabase, DeliveryState, WebhookSecrets],
    },
    WebhookLifecycle,
  ],
})
export class WebhooksModule {}
