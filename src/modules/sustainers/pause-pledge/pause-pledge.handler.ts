import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '../../../commands/command-context';
import { CommandOutcome } from '../../../commands/command-runner';
import { SustainersWrites } from '../sustainers-writes';
import { PausePledgeDto } from './pause-pledge.dto';

export class PausePledgeCommand {
  constructor(
    readonly context: CommandContext,
    readonly pledgeId: string,
    readonly request: PausePledgeDto,
  ) {}
}

@CommandHandler(PausePledgeCommand)
export class PausePledgeHandler implements ICommandHandler<PausePledgeCommand, CommandOutcome<{ pledgeId: string; status: string }>> {
  constructor(private readonly writes: SustainersWrites) {}

  execute({ context, pledgeId, request }: PausePledgeCommand): Promise<CommandOutcome<{ pledgeId: string; status: string }>> {
    const by = context.actor.id;
    return this.writes.changePledge(context, pledgeId, request.from, (_pledge, sustainer) => ({ type: 'PausePledge', sustainer, from: request.from, ...(request.reason ? { reason: request.reason } : {}), by }));
  }
}
