import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '../../../commands/command-context';
import { CommandOutcome } from '../../../commands/command-runner';
import { newId } from '../../../shared/ids';
import { labourExchangeDecider, labourExchangeStream } from '../labour/labour-exchange.decider';
import { ProposeHoursDto } from './propose-labour-exchange.dto';
import { LendingWrites, asNew, requireActingFor } from '../shared/lending-writes';

export class ProposeLabourExchangeCommand {
  constructor(
    readonly context: CommandContext,
    readonly request: ProposeHoursDto,
  ) {}
}

type Outcome = CommandOutcome<{ exchangeId: string; status: 'proposed' }>;

/** A cooperative proposes hours it gave or received; proposing is its own side's confirmation. */
@CommandHandler(ProposeLabourExchangeCommand)
export class ProposeLabourExchangeHandler implements ICommandHandler<ProposeLabourExchangeCommand, Outcome> {
  constructor(private readonly writes: LendingWrites) {}

  execute({ context, request }: ProposeLabourExchangeCommand): Promise<Outcome> {
    const exchangeId = newId();
    // Refused before any lookup, so a token cannot learn which cooperatives exist.
    requireActingFor(context.actor, [request.workerId, request.receiverId]);
    return this.writes.runner.run(context, async () => {
      await this.writes.cooperative(request.workerId);
      await this.writes.cooperative(request.receiverId);
      await this.writes.requireOpenPeriod(request.workedOn, 'workedOn');
      const events = labourExchangeDecider.decide(
        { type: 'ProposeHours', terms: { exchangeId, ...request }, forCooperative: context.actor.subject ?? '', by: context.actor.id, now: context.now.toISOString() },
        labourExchangeDecider.initialState(),
      );
      return { appends: [{ streamId: labourExchangeStream(exchangeId), expected: 'no_stream', events: asNew(events) }], response: { exchangeId, status: 'proposed' as const } };
    });
  }
}
