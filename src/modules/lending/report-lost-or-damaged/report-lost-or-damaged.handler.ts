import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '../../../commands/command-context';
import { CommandOutcome } from '../../../commands/command-runner';
import { LostOrDamagedDto } from './report-lost-or-damaged.dto';
import { LendingWrites } from '../shared/lending-writes';
import { decideOnThingLoan } from '../shared/thing-loan-decision';

export class ReportLostOrDamagedCommand {
  constructor(
    readonly context: CommandContext,
    readonly loanId: string,
    readonly request: LostOrDamagedDto,
  ) {}
}

@CommandHandler(ReportLostOrDamagedCommand)
export class ReportLostOrDamagedHandler implements ICommandHandler<ReportLostOrDamagedCommand, CommandOutcome<{ loanId: string; resourceId: string; renewalId?: string }>> {
  constructor(private readonly writes: LendingWrites) {}

  execute({ context, loanId, request }: ReportLostOrDamagedCommand) {
    return decideOnThingLoan(this.writes, context, loanId, { type: 'ReportLostOrDamaged', outcome: request.outcome, notes: request.notes, on: request.reportedOn });
  }
}
