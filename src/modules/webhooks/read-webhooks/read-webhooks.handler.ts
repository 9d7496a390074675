import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EventStore } from '../../../event-store/event-store.port';
import { DEFAULT_PAGE_SIZE } from '../../../http/query.dto';
import { ReadModelDatabase } from '../../../projections/read-model-database';
import { WebhookDispatcher } from '../delivery/webhook-dispatcher';
import { SubscriptionRow, findSubscription, listSubscriptions } from '../subscriptions/subscriptions.projection';
import { WebhookErrors } from '../webhooks.errors';
import type { WebhookDto, WebhookListDto } from '../webhooks.responses';
import { ListWebhooksQueryDto } from './read-webhooks.dto';

export class ListWebhooksQuery {
  constructor(readonly query: ListWebhooksQueryDto) {}
}

export class GetWebhookQuery {
  constructor(readonly subscriptionId: string) {}
}

async function withDelivery(rows: readonly SubscriptionRow[], dispatcher: WebhookDispatcher, store: EventStore): Promise<WebhookDto[]> {
  const head = await store.headPosition();
  return Promise.all(rows.map(async (row) => {
    const delivery = await dispatcher.status(row);
    const position = delivery.position ?? row.registeredPosition;
    return {
      ...row,
      delivery: {
        state: delivery.state,
        position,
        lag: Math.max(0, head - position),
        delivered: delivery.delivered ?? 0,
        failedAttempts: delivery.failedAttempts ?? 0,
        consecutiveFailures: delivery.consecutiveFailures ?? 0,
        ...(delivery.lastDeliveredAt ? { lastDeliveredAt: delivery.lastDeliveredAt } : {}),
        ...(delivery.lastAttemptAt ? { lastAttemptAt: delivery.lastAttemptAt } : {}),
        ...(delivery.lastError ? { lastError: delivery.lastError } : {}),
        ...(delivery.nextAttemptAt && delivery.consecutiveFailures ? { nextAttemptAt: delivery.nextAttemptAt } : {}),
      },
    };
  }));
}

@QueryHandler(ListWebhooksQuery)
export class ListWebhooksHandler implements IQueryHandler<ListWebhooksQuery, WebhookListDto> {
  constructor(
    private readonly readModels: ReadModelDatabase,
    private readonly dispatcher: WebhookDispatcher,
    private readonly store: EventStore,
  ) {}

  async execute({ query }: ListWebhooksQuery): Promise<WebhookListDto> {
    const page = listSubscriptions(this.readModels.db, { status: query.status, after: query.after, limit: query.limit ?? DEFAULT_PAGE_SIZE });
    return { items: await withDelivery(page.items, this.dispatcher, this.store), ...(page.next ? { next: page.next } : {}) };
  }
}

@QueryHandler(GetWebhookQuery)
export class GetWebhookHandler implements IQueryHandler<GetWebhookQuery, WebhookDto> {
  constructor(
    private readonly readModels: ReadModelDatabase,
    private readonly dispatcher: WebhookDispatcher,
    private readonly store: EventStore,
  ) {}

  async execute({ subscriptionId }: GetWebhookQuery): Promise<WebhookDto> {
    const row = findSubscription(this.readModels.db, subscriptionId);
    if (!row) throw WebhookErrors.notFound(subscriptionId);
    return (await withDelivery([row], this.dispatcher, this.store))[0];
  }
}
