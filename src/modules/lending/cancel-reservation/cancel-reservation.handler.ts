import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '../../../commands/command-context';
import { CommandOutcome } from '../../../commands/command-runner';
import { CancelReservationDto } from './cancel-reservation.dto';
import { LendingWrites } from '../shared/lending-writes';
import { decideOnThingLoan } from '../shared/thing-loan-decision';

export class CancelReservationCommand {
  constructor(
    readonly context: CommandContext,
    readonly loanId: string,
    readonly request: CancelReservationDto,
  ) {}
}

@CommandHandler(CancelReservationCommand)
export class CancelReservationHandler implements ICommandHandler<CancelReservationCommand, CommandOutcome<{ loanId: string; resourceId: string; renewalId?: string }>> {
  constructor(private readonly writes: LendingWrites) {}

  execute({ context, loanId, request }: CancelReservationCommand) {
    return decideOnThingLoan(this.writes, context, loanId, { type: 'CancelReservation', reason: request.reason });
  }
}
