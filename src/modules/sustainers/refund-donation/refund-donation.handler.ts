import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { toInstant } from '../../../shared/calendar';
import { CommandContext } from '../../../commands/command-context';
import { CommandOutcome, CommandRunner } from '../../../commands/command-runner';
import { movementDecider, movementStream } from '../../funds/funds.domain';
import { MovementResponse, FundsWrites as MovementWriter } from '../../funds';
import { DonationErrors } from '../sustainers.errors';
import { RefundDonationDto } from './refund-donation.dto';

export class RefundDonationCommand {
  constructor(
    readonly context: CommandContext,
    readonly donationId: string,
    readonly request: RefundDonationDto,
  ) {}
}

/** A refund is the reversal of the donation's movement: the same path as POST /v1/movements/{id}/reverse. */
@CommandHandler(RefundDonationCommand)
export class RefundDonationHandler implements ICommandHandler<RefundDonationCommand, CommandOutcome<MovementResponse>> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly movements: MovementWriter,
  ) {}

  async execute({ context, donationId, request }: RefundDonationCommand): Promise<CommandOutcome<MovementResponse>> {
    const { state } = await this.runner.load(movementStream(donationId), movementDecider);
    if (state.status === 'none' || state.request.kind !== 'donation') throw DonationErrors.notFound(donationId);
    const when = toInstant(request.effectiveAt ?? context.now.toISOString());
    const receivedOn = state.request.effectiveAt.slice(0, 10);
    if (when.slice(0, 10) < receivedOn) throw DonationErrors.refundBeforeGift(receivedOn);
    return this.movements.reverse(context, donationId, request.reason, when);
  }
}
