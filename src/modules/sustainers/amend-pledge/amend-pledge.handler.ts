import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '../../../commands/command-context';
import { CommandOutcome } from '../../../commands/command-runner';
import { SustainersWrites } from '../sustainers-writes';
import { AmendPledgeDto } from './amend-pledge.dto';

export class AmendPledgeCommand {
  constructor(
    readonly context: CommandContext,
    readonly pledgeId: string,
    readonly request: AmendPledgeDto,
  ) {}
}

@CommandHandler(AmendPledgeCommand)
export class AmendPledgeHandler implements ICommandHandler<AmendPledgeCommand, CommandOutcome<{ pledgeId: string; status: string }>> {
  constructor(private readonly writes: SustainersWrites) {}

  execute({ context, pledgeId, request }: AmendPledgeCommand): Promise<CommandOutcome<{ pledgeId: string; status: string }>> {
    const by = context.actor.id;
    return this.writes.changePledge(context, pledgeId, request.from, (pledge, sustainer) => ({ type: 'AmendPledge', sustainer, from: request.from, amountMinor: request.amountMinor, interval: request.interval ?? pledge.terms.at(-1)!.interval, by }));
  }
}
