import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '../../../commands/command-context';
import { newId } from '../../../shared/ids';
import { RepayMoneyLoanDto } from './repay-money-loan.dto';
import { LendingWrites } from '../shared/lending-writes';
import { MoneyLoanEntryOutcome, recordMoneyLoanEntry } from '../shared/money-loan-entry';

export class RepayMoneyLoanCommand {
  constructor(
    readonly context: CommandContext,
    readonly loanId: string,
    readonly request: RepayMoneyLoanDto,
  ) {}
}

@CommandHandler(RepayMoneyLoanCommand)
export class RepayMoneyLoanHandler implements ICommandHandler<RepayMoneyLoanCommand, MoneyLoanEntryOutcome> {
  constructor(private readonly writes: LendingWrites) {}

  execute({ context, loanId, request }: RepayMoneyLoanCommand): Promise<MoneyLoanEntryOutcome> {
    return recordMoneyLoanEntry(this.writes, context, loanId, { type: 'RepayMoneyLoan', repaymentId: newId(), ...request, by: context.actor.id, now: context.now.toISOString() });
  }
}
