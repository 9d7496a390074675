import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '../../../commands/command-context';
import { CommandOutcome, CommandRunner } from '../../../commands/command-runner';
import { EventCatalogue } from '../../../event-store/event-catalogue';
import { ReadModelDatabase } from '../../../projections/read-model-database';
import { newEventsOf } from '../../../shared/event-schema';
import { newId } from '../../../shared/ids';
import { webhookDecider, webhookStream } from '../subscription/subscription.decider';
import { liveSubscriptions } from '../subscriptions/subscriptions.projection';
import { WebhookErrors } from '../webhooks.errors';
import { WEBHOOKS_EVENTS, isDeliverableType } from '../webhooks.events';
import { RegisterWebhookDto } from './register-webhook.dto';

const newWebhookEvents = newEventsOf(WEBHOOKS_EVENTS);
/** Each subscriber has a worker reading the log; keep their number small. */
export const MAX_LIVE_SUBSCRIPTIONS = 20;

export class RegisterWebhookCommand {
  constructor(
    readonly context: CommandContext,
    readonly request: RegisterWebhookDto,
  ) {}
}

/**
 * No secret in here: with an Idempotency-Key the response is recorded in the log. The controller
 * adds the secret, derived from the subscription id, to the answer it sends.
 */
export interface WebhookRegistered {
  subscriptionId: string;
  url: string;
  eventTypes: string[];
  status: 'active';
}

@CommandHandler(RegisterWebhookCommand)
export class RegisterWebhookHandler implements ICommandHandler<RegisterWebhookCommand, CommandOutcome<WebhookRegistered>> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly catalogue: EventCatalogue,
    private readonly readModels: ReadModelDatabase,
  ) {}

  execute({ context, request }: RegisterWebhookCommand): Promise<CommandOutcome<WebhookRegistered>> {
    const subscriptionId = newId();
    const deliverable = new Set(this.catalogue.types.filter(isDeliverableType));
    return this.runner.run(context, async () => {
      // Read from the read model, so two registrations racing may pass the limit by one: it bounds work, not money.
      if (liveSubscriptions(this.readModels.db).length >= MAX_LIVE_SUBSCRIPTIONS) throw WebhookErrors.limitReached(MAX_LIVE_SUBSCRIPTIONS);
      const events = webhookDecider.decide(
        { type: 'RegisterWebhook', subscriptionId, ...request, deliverable, by: context.actor.id, now: context.now.toISOString() },
        webhookDecider.initialState(),
      );
      const registered = events[0];
      if (registered.type !== 'WebhookRegistered') throw new Error('Invariant violated: a registration answers WebhookRegistered');
      return {
        appends: [{ streamId: webhookStream(subscriptionId), expected: 'no_stream' as const, events: newWebhookEvents(events) }],
        response: {
          subscriptionId,
          url: registered.data.url,
          eventTypes: [...registered.data.eventTypes],
          status: 'active' as const,
        },
      };
    });
  }
}
