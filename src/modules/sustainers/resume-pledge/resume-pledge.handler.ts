import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '../../../commands/command-context';
import { CommandOutcome } from '../../../commands/command-runner';
import { SustainersWrites } from '../sustainers-writes';
import { ResumePledgeDto } from './resume-pledge.dto';

export class ResumePledgeCommand {
  constructor(
    readonly context: CommandContext,
    readonly pledgeId: string,
    readonly request: ResumePledgeDto,
  ) {}
}

@CommandHandler(ResumePledgeCommand)
export class ResumePledgeHandler implements ICommandHandler<ResumePledgeCommand, CommandOutcome<{ pledgeId: string; status: string }>> {
  constructor(private readonly writes: SustainersWrites) {}

  execute({ context, pledgeId, request }: ResumePledgeCommand): Promise<CommandOutcome<{ pledgeId: string; status: string }>> {
    const by = context.actor.id;
    return this.writes.changePledge(context, pledgeId, request.from, (_pledge, sustainer) => ({ type: 'ResumePledge', sustainer, from: request.from, by }));
  }
}
