import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '../../../commands/command-context';
import { CommandOutcome } from '../../../commands/command-runner';
import { labourExchangeDecider, labourExchangeStream } from '../labour/labour-exchange.decider';
import { LendingErrors } from '../lending.errors';
import { LendingWrites, asNew, requireParty } from '../shared/lending-writes';

export class ConfirmLabourExchangeCommand {
  constructor(
    readonly context: CommandContext,
    readonly exchangeId: string,
  ) {}
}

type Outcome = CommandOutcome<{ exchangeId: string; status: 'confirmed' }>;

/** The counterpart's confirmation posts the minutes. */
@CommandHandler(ConfirmLabourExchangeCommand)
export class ConfirmLabourExchangeHandler implements ICommandHandler<ConfirmLabourExchangeCommand, Outcome> {
  constructor(private readonly writes: LendingWrites) {}

  execute({ context, exchangeId }: ConfirmLabourExchangeCommand): Promise<Outcome> {
    const { runner } = this.writes;
    return runner.run(context, async () => {
      const { state, expected } = await runner.load(labourExchangeStream(exchangeId), labourExchangeDecider);
      if (state.status === 'none') throw LendingErrors.labourExchangeNotFound(exchangeId);
      requireParty(context.actor, [state.terms.workerId, state.terms.receiverId], () => LendingErrors.labourExchangeNotFound(exchangeId));
      // The minutes post on the day worked: a closed month's balances never change after its close.
      await this.writes.requireOpenPeriod(state.terms.workedOn, 'workedOn');
      const events = labourExchangeDecider.decide({ type: 'ConfirmHours', forCooperative: context.actor.subject ?? '', by: context.actor.id, now: context.now.toISOString() }, state);
      return { appends: [{ streamId: labourExchangeStream(exchangeId), expected, events: asNew(events) }], response: { exchangeId, status: 'confirmed' as const } };
    });
  }
}
