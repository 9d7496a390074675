import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '../../../commands/command-context';
import { CommandOutcome } from '../../../commands/command-runner';
import { ApproveMoneyLoanDto } from './approve-money-loan.dto';
import { moneyLoanDecider, moneyLoanStream } from '../money-loan/money-loan.decider';
import { LendingWrites, asNew } from '../shared/lending-writes';

export class ApproveMoneyLoanCommand {
  constructor(
    readonly context: CommandContext,
    readonly loanId: string,
    readonly request: ApproveMoneyLoanDto,
  ) {}
}

type Outcome = CommandOutcome<{ loanId: string; status: 'active'; disbursedOn: string }>;

/**
 * Another steward's approval disburses a requested loan from a fund: the loan's event and the
 * fund's debit (which consumes the loan's own hold) in one append, on the day asked for or a
 * later business day given with the approval.
 */
@CommandHandler(ApproveMoneyLoanCommand)
export class ApproveMoneyLoanHandler implements ICommandHandler<ApproveMoneyLoanCommand, Outcome> {
  constructor(private readonly writes: LendingWrites) {}

  async execute({ context, loanId, request }: ApproveMoneyLoanCommand): Promise<Outcome> {
    const { runner } = this.writes;
    return runner.run(
      context,
      async () => {
        const { state, expected } = await runner.load(moneyLoanStream(loanId), moneyLoanDecider);
        const events = moneyLoanDecider.decide({ type: 'ApproveMoneyLoan', disbursedOn: request.disbursedOn, by: context.actor.id, now: context.now.toISOString() }, state);
        const event = events[0];
        if (event.type !== 'MoneyLoanDisbursed' || event.data.lender.kind !== 'fund') throw new Error('an approval disburses a loan from a fund');
        await this.writes.requireOpenPeriod(event.data.disbursedOn, 'disbursedOn');
        const fund = await this.writes.fundEntry(event.data.lender.fundId, {
          type: 'PostEntry',
          movementId: loanId,
          deltaMinor: -event.data.amountMinor,
          effectiveAt: event.data.effectiveAt,
        });
        return {
          appends: [{ streamId: moneyLoanStream(loanId), expected, events: asNew(events) }, fund],
          response: { loanId, status: 'active' as const, disbursedOn: event.data.disbursedOn },
        };
      },
      { locks: await this.writes.loanLocks(loanId) },
    );
  }
}
