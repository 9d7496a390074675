import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '../../../commands/command-context';
import { CommandOutcome } from '../../../commands/command-runner';
import { CheckOutThingDto } from './check-out-thing.dto';
import { LendingWrites } from '../shared/lending-writes';
import { decideOnThingLoan } from '../shared/thing-loan-decision';

export class CheckOutThingCommand {
  constructor(
    readonly context: CommandContext,
    readonly loanId: string,
    readonly request: CheckOutThingDto,
  ) {}
}

@CommandHandler(CheckOutThingCommand)
export class CheckOutThingHandler implements ICommandHandler<CheckOutThingCommand, CommandOutcome<{ loanId: string; resourceId: string; renewalId?: string }>> {
  constructor(private readonly writes: LendingWrites) {}

  execute({ context, loanId, request }: CheckOutThingCommand) {
    return decideOnThingLoan(this.writes, context, loanId, { type: 'CheckOutThing', on: request.checkedOutOn });
  }
}
