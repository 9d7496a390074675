import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '../../../commands/command-context';
import { CommandOutcome, CommandRunner } from '../../../commands/command-runner';
import { newEventsOf } from '../../../shared/event-schema';
import { WebhookCommand, webhookDecider, webhookStream } from '../subscription/subscription.decider';
import { WebhookErrors } from '../webhooks.errors';
import { WEBHOOKS_EVENTS } from '../webhooks.events';

const newWebhookEvents = newEventsOf(WEBHOOKS_EVENTS);

export type WebhookChange = { action: 'pause'; reason?: string } | { action: 'resume' } | { action: 'delete' };

export class ChangeWebhookCommand {
  constructor(
    readonly context: CommandContext,
    readonly subscriptionId: string,
    readonly change: WebhookChange,
  ) {}
}

export interface WebhookChanged {
  subscriptionId: string;
  status: 'active' | 'paused' | 'deleted';
}

/** Pause (deliveries hold at the checkpoint), resume (they go on from it), delete (they stop for good). */
@CommandHandler(ChangeWebhookCommand)
export class ChangeWebhookHandler implements ICommandHandler<ChangeWebhookCommand, CommandOutcome<WebhookChanged>> {
  constructor(private readonly runner: CommandRunner) {}

  execute({ context, subscriptionId, change }: ChangeWebhookCommand): Promise<CommandOutcome<WebhookChanged>> {
    const base = { by: context.actor.id, now: context.now.toISOString() };
    const command: WebhookCommand =
      change.action === 'pause'
        ? { type: 'PauseWebhook', ...base, ...(change.reason ? { reason: change.reason } : {}) }
        : change.action === 'resume'
          ? { type: 'ResumeWebhook', ...base }
          : { type: 'DeleteWebhook', ...base };
    return this.runner.run(context, async () => {
      const { state, expected } = await this.runner.load(webhookStream(subscriptionId), webhookDecider);
      if (state.status === 'none') throw WebhookErrors.notFound(subscriptionId);
      const events = webhookDecider.decide(command, state);
      const status = change.action === 'pause' ? 'paused' : change.action === 'resume' ? 'active' : 'deleted';
      return {
        appends: [{ streamId: webhookStream(subscriptionId), expected, events: newWebhookEvents(events) }],
        response: { subscriptionId, status },
      };
    });
  }
}
