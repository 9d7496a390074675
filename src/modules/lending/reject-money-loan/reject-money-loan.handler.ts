import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '../../../commands/command-context';
import { CommandOutcome } from '../../../commands/command-runner';
import { StreamAppend } from '../../../event-store/event-store.port';
import { LendingReasonDto } from './reject-money-loan.dto';
import { MoneyLoanState, moneyLoanDecider, moneyLoanStream } from '../money-loan/money-loan.decider';
import { LendingWrites, asNew, moneyLoanParties } from '../shared/lending-writes';

export class RejectMoneyLoanCommand {
  constructor(
    readonly context: CommandContext,
    readonly loanId: string,
    readonly request: LendingReasonDto,
  ) {}
}

type Outcome = CommandOutcome<{ loanId: string; status: 'rejected' }>;

/** Rejecting a requested loan releases what it held on the fund. */
@CommandHandler(RejectMoneyLoanCommand)
export class RejectMoneyLoanHandler implements ICommandHandler<RejectMoneyLoanCommand, Outcome> {
  constructor(private readonly writes: LendingWrites) {}

  async execute({ context, loanId, request }: RejectMoneyLoanCommand): Promise<Outcome> {
    const { runner } = this.writes;
    return runner.run(
      context,
      async () => {
        const { state, expected } = await runner.load(moneyLoanStream(loanId), moneyLoanDecider);
        const events = moneyLoanDecider.decide({ type: 'RejectMoneyLoan', reason: request.reason, by: context.actor.id, now: context.now.toISOString() }, state);
        const { lender } = moneyLoanParties(state as Exclude<MoneyLoanState, { status: 'none' }>);
        const appends: StreamAppend[] = [{ streamId: moneyLoanStream(loanId), expected, events: asNew(events) }];
        if (lender.kind === 'fund') appends.push(await this.writes.fundEntry(lender.fundId, { type: 'ReleaseHold', movementId: loanId, reason: 'rejected' }));
        return { appends, response: { loanId, status: 'rejected' as const } };
      },
      { locks: await this.writes.loanLocks(loanId) },
    );
  }
}
