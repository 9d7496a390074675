import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '../../../commands/command-context';
import { CommandOutcome } from '../../../commands/command-runner';
import { RenewThingDto } from './renew-loan.dto';
import { LendingWrites } from '../shared/lending-writes';
import { decideOnThingLoan } from '../shared/thing-loan-decision';

export class RenewLoanCommand {
  constructor(
    readonly context: CommandContext,
    readonly loanId: string,
    readonly request: RenewThingDto,
  ) {}
}

@CommandHandler(RenewLoanCommand)
export class RenewLoanHandler implements ICommandHandler<RenewLoanCommand, CommandOutcome<{ loanId: string; resourceId: string; renewalId?: string }>> {
  constructor(private readonly writes: LendingWrites) {}

  execute({ context, loanId, request }: RenewLoanCommand) {
    return decideOnThingLoan(this.writes, context, loanId, { type: 'RenewThing', dueOn: request.dueOn, on: request.renewedOn });
  }
}
