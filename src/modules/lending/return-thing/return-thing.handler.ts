import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '../../../commands/command-context';
import { CommandOutcome } from '../../../commands/command-runner';
import { ReturnThingDto } from './return-thing.dto';
import { LendingWrites } from '../shared/lending-writes';
import { decideOnThingLoan } from '../shared/thing-loan-decision';

export class ReturnThingCommand {
  constructor(
    readonly context: CommandContext,
    readonly loanId: string,
    readonly request: ReturnThingDto,
  ) {}
}

@CommandHandler(ReturnThingCommand)
export class ReturnThingHandler implements ICommandHandler<ReturnThingCommand, CommandOutcome<{ loanId: string; resourceId: string; renewalId?: string }>> {
  constructor(private readonly writes: LendingWrites) {}

  execute({ context, loanId, request }: ReturnThingCommand) {
    return decideOnThingLoan(this.writes, context, loanId, { type: 'ReturnThing', condition: request.condition, on: request.returnedOn });
  }
}
