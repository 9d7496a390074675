import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '../../../commands/command-context';
import { ForgiveMoneyLoanDto } from './forgive-money-loan.dto';
import { LendingWrites } from '../shared/lending-writes';
import { MoneyLoanEntryOutcome, recordMoneyLoanEntry } from '../shared/money-loan-entry';

export class ForgiveMoneyLoanCommand {
  constructor(
    readonly context: CommandContext,
    readonly loanId: string,
    readonly request: ForgiveMoneyLoanDto,
  ) {}
}

@CommandHandler(ForgiveMoneyLoanCommand)
export class ForgiveMoneyLoanHandler implements ICommandHandler<ForgiveMoneyLoanCommand, MoneyLoanEntryOutcome> {
  constructor(private readonly writes: LendingWrites) {}

  execute({ context, loanId, request }: ForgiveMoneyLoanCommand): Promise<MoneyLoanEntryOutcome> {
    return recordMoneyLoanEntry(this.writes, context, loanId, { type: 'ForgiveMoneyLoan', ...request, by: context.actor.id, now: context.now.toISOString() });
  }
}
