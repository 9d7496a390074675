import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '../../../commands/command-context';
import { CommandOutcome } from '../../../commands/command-runner';
import { newId } from '../../../shared/ids';
import { pledgeDecider, pledgeStream } from '../pledge/pledge.decider';
import { ForeignErrors } from '../sustainers.errors';
import { SustainersWrites, asNew } from '../sustainers-writes';
import { MakePledgeDto } from './make-pledge.dto';

export class MakePledgeCommand {
  constructor(
    readonly context: CommandContext,
    readonly request: MakePledgeDto,
  ) {}
}

@CommandHandler(MakePledgeCommand)
export class MakePledgeHandler implements ICommandHandler<MakePledgeCommand, CommandOutcome<{ pledgeId: string }>> {
  constructor(private readonly writes: SustainersWrites) {}

  execute({ context, request }: MakePledgeCommand): Promise<CommandOutcome<{ pledgeId: string }>> {
    const pledgeId = newId();
    const { runner } = this.writes;
    return runner.run(context, async () => {
      const [{ state: sustainer }, fund] = await Promise.all([this.writes.loadSustainer(request.sustainerId), this.writes.ledger.fundState(request.fundId)]);
      if (fund.state.status === 'none') throw ForeignErrors.fundNotFound(request.fundId);
      // A promise falling due in a closed period would change what that period reports as promised.
      await this.writes.requireOpenPeriod(request.startDate, 'startDate');
      const { code, currency, restriction, status } = fund.state;
      const events = pledgeDecider.decide(
        {
          type: 'MakePledge',
          pledgeId,
          sustainer,
          sustainerId: request.sustainerId,
          fund: { fundId: request.fundId, code, currency, restriction, status },
          amountMinor: request.amountMinor,
          currency: request.currency,
          interval: request.interval,
          startDate: request.startDate,
          ...(request.endDate !== undefined ? { endDate: request.endDate } : {}),
          ...(request.instalments !== undefined ? { instalments: request.instalments } : {}),
          by: context.actor.id,
          now: context.now.toISOString(),
        },
        pledgeDecider.initialState(),
      );
      return { appends: [{ streamId: pledgeStream(pledgeId), expected: 'no_stream', events: asNew(events) }], response: { pledgeId } };
    });
  }
}
