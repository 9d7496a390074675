import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '../../../commands/command-context';
import { CommandOutcome } from '../../../commands/command-runner';
import { SustainersWrites } from '../sustainers-writes';
import { EndPledgeDto } from '../pledge-change.dto';

export class WriteOffPledgeCommand {
  constructor(
    readonly context: CommandContext,
    readonly pledgeId: string,
    readonly request: EndPledgeDto,
  ) {}
}

@CommandHandler(WriteOffPledgeCommand)
export class WriteOffPledgeHandler implements ICommandHandler<WriteOffPledgeCommand, CommandOutcome<{ pledgeId: string; status: string }>> {
  constructor(private readonly writes: SustainersWrites) {}

  execute({ context, pledgeId, request }: WriteOffPledgeCommand): Promise<CommandOutcome<{ pledgeId: string; status: string }>> {
    const by = context.actor.id;
    return this.writes.changePledge(context, pledgeId, request.from, (_pledge, sustainer) => ({ type: 'WriteOffPledge', sustainer, from: request.from, reason: request.reason, by }));
  }
}
