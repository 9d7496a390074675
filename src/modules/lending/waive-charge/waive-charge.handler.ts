import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '../../../commands/command-context';
import { CommandOutcome } from '../../../commands/command-runner';
import { WaiveChargeDto } from './waive-charge.dto';
import { LendingWrites } from '../shared/lending-writes';
import { decideOnThingLoan } from '../shared/thing-loan-decision';

export class WaiveChargeCommand {
  constructor(
    readonly context: CommandContext,
    readonly loanId: string,
    readonly request: WaiveChargeDto,
  ) {}
}

@CommandHandler(WaiveChargeCommand)
export class WaiveChargeHandler implements ICommandHandler<WaiveChargeCommand, CommandOutcome<{ loanId: string; resourceId: string; renewalId?: string }>> {
  constructor(private readonly writes: LendingWrites) {}

  execute({ context, loanId, request }: WaiveChargeCommand) {
    return decideOnThingLoan(this.writes, context, loanId, { type: 'WaiveCharge', ...request });
  }
}
