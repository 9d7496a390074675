import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '../../../commands/command-context';
import { CommandOutcome } from '../../../commands/command-runner';
import { SustainersWrites } from '../sustainers-writes';
import { EndPledgeDto } from '../pledge-change.dto';

export class CancelPledgeCommand {
  constructor(
    readonly context: CommandContext,
    readonly pledgeId: string,
    readonly request: EndPledgeDto,
  ) {}
}

@CommandHandler(CancelPledgeCommand)
export class CancelPledgeHandler implements ICommandHandler<CancelPledgeCommand, CommandOutcome<{ pledgeId: string; status: string }>> {
  constructor(private readonly writes: SustainersWrites) {}

  execute({ context, pledgeId, request }: CancelPledgeCommand): Promise<CommandOutcome<{ pledgeId: string; status: string }>> {
    const by = context.actor.id;
    return this.writes.changePledge(context, pledgeId, request.from, (_pledge, sustainer) => ({ type: 'CancelPledge', sustainer, from: request.from, reason: request.reason, by }));
  }
}
