import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '../../../commands/command-context';
import { CommandOutcome } from '../../../commands/command-runner';
import { newId } from '../../../shared/ids';
import { RegisterResourceDto } from './register-resource.dto';
import { resourceDecider, resourceStream } from '../resource/resource.decider';
import { LendingWrites, asNew, requireActingFor } from '../shared/lending-writes';

export class RegisterResourceCommand {
  constructor(
    readonly context: CommandContext,
    readonly request: RegisterResourceDto,
  ) {}
}

/** A cooperative registers only its own resources; a steward any member's. */
@CommandHandler(RegisterResourceCommand)
export class RegisterResourceHandler implements ICommandHandler<RegisterResourceCommand, CommandOutcome<{ resourceId: string }>> {
  constructor(private readonly writes: LendingWrites) {}

  execute({ context, request: body }: RegisterResourceCommand): Promise<CommandOutcome<{ resourceId: string }>> {
    const request = { ...body, status: body.status ?? 'available' };
    requireActingFor(context.actor, [request.ownerId]);
    const resourceId = newId();
    return this.writes.runner.run(context, async () => {
      await this.writes.cooperative(request.ownerId);
      const events = resourceDecider.decide({ type: 'RegisterResource', resourceId, ...request, now: context.now.toISOString() }, resourceDecider.initialState());
      return { appends: [{ streamId: resourceStream(resourceId), expected: 'no_stream', events: asNew(events) }], response: { resourceId } };
    });
  }
}
