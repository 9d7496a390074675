import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '../../../commands/command-context';
import { CommandOutcome, CommandRunner } from '../../../commands/command-runner';
import { cooperativeDecider, cooperativeStream, requireCooperative } from '../cooperative/cooperative.decider';
import { LabourLimitDto } from './set-labour-limit.dto';
import { asNew } from '../shared/lending-writes';

export class SetLabourLimitCommand {
  constructor(
    readonly context: CommandContext,
    readonly cooperativeId: string,
    readonly request: LabourLimitDto,
  ) {}
}

@CommandHandler(SetLabourLimitCommand)
export class SetLabourLimitHandler implements ICommandHandler<SetLabourLimitCommand, CommandOutcome<{ cooperativeId: string; limitMinutes: number }>> {
  constructor(private readonly runner: CommandRunner) {}

  execute({ context, cooperativeId, request }: SetLabourLimitCommand) {
    const { limitMinutes } = request;
    return this.runner.run(context, async () => {
      const { state, expected } = await this.runner.load(cooperativeStream(cooperativeId), cooperativeDecider);
      requireCooperative(state, cooperativeId);
      const events = cooperativeDecider.decide({ type: 'SetLabourLimit', limitMinutes, now: context.now.toISOString() }, state);
      return { appends: [{ streamId: cooperativeStream(cooperativeId), expected, events: asNew(events) }], response: { cooperativeId, limitMinutes } };
    });
  }
}
