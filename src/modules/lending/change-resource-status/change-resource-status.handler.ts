import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '../../../commands/command-context';
import { CommandOutcome, CommandRunner } from '../../../commands/command-runner';
import { ChangeResourceStatusDto } from './change-resource-status.dto';
import { ResourceBaseStatus, requireResource, resourceDecider, resourceStream } from '../resource/resource.decider';
import { asNew, requireActingFor } from '../shared/lending-writes';

export class ChangeResourceStatusCommand {
  constructor(
    readonly context: CommandContext,
    readonly resourceId: string,
    readonly request: ChangeResourceStatusDto,
  ) {}
}

@CommandHandler(ChangeResourceStatusCommand)
export class ChangeResourceStatusHandler
  implements ICommandHandler<ChangeResourceStatusCommand, CommandOutcome<{ resourceId: string; status: ResourceBaseStatus }>>
{
  constructor(private readonly runner: CommandRunner) {}

  execute({ context, resourceId, request }: ChangeResourceStatusCommand) {
    const { status, reason } = request;
    return this.runner.run(context, async () => {
      const { state, expected } = await this.runner.load(resourceStream(resourceId), resourceDecider);
      requireActingFor(context.actor, [requireResource(state).ownerId]);
      const events = resourceDecider.decide({ type: 'ChangeResourceStatus', status, reason, now: context.now.toISOString() }, state);
      return { appends: [{ streamId: resourceStream(resourceId), expected, events: asNew(events) }], response: { resourceId, status } };
    });
  }
}
