import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { toInstant } from '../../../shared/calendar';
import { CommandContext } from '../../../commands/command-context';
import { CommandOutcome } from '../../../commands/command-runner';
import { newId } from '../../../shared/ids';
import { PledgeFacts } from '../../funds/funds.domain';
import { MovementResponse, FundsWrites as MovementWriter } from '../../funds';
import { pledgeDecider, pledgeStream } from '../pledge/pledge.decider';
import { requireActiveSustainer } from '../sustainer/sustainer.decider';
import { PledgeErrors } from '../sustainers.errors';
import { SustainersWrites, asNew } from '../sustainers-writes';
import { RecordDonationDto } from './record-donation.dto';

export class RecordDonationCommand {
  constructor(
    readonly context: CommandContext,
    readonly request: RecordDonationDto,
  ) {}
}

/**
 * A gift is a movement `sustainer:<id>` → `fund:<code>` posted through the funds module's movement
 * writer; this handler supplies the giver and, for a gift against a pledge, the pledge's facts and
 * the gift recorded on the pledge's stream in the same atomic append.
 */
@CommandHandler(RecordDonationCommand)
export class RecordDonationHandler implements ICommandHandler<RecordDonationCommand, CommandOutcome<MovementResponse>> {
  constructor(
    private readonly writes: SustainersWrites,
    private readonly movements: MovementWriter,
  ) {}

  execute({ context, request }: RecordDonationCommand): Promise<CommandOutcome<MovementResponse>> {
    const effectiveAt = toInstant(request.effectiveAt);
    const movementId = newId();
    return this.movements.recordDonation(
      context,
      { movementId, fundId: request.fundId, method: request.method, goodsServicesMinor: request.goodsServicesMinor ?? 0, amountMinor: request.amountMinor, currency: request.currency, effectiveAt },
      async () => {
        const { state } = await this.writes.loadSustainer(request.sustainerId);
        const sustainer = { sustainerId: request.sustainerId, status: state.status };
        // The giver is answered for before the fund's currency, with the movement decider's codes.
        requireActiveSustainer(state, request.sustainerId);
        if (!request.pledgeId) {
          await this.writes.requireFundCurrency(request.fundId, request.currency);
          return { sustainer };
        }
        const { state: pledge, expected } = await this.writes.runner.load(pledgeStream(request.pledgeId), pledgeDecider);
        // An unknown pledge is answered before the fund it would have designated is missed.
        if (pledge.status === 'none') throw PledgeErrors.notFound(request.pledgeId);
        const facts: PledgeFacts = {
          pledgeId: request.pledgeId,
          sustainerId: pledge.made.sustainerId,
          fundId: pledge.made.fundId,
          currency: pledge.made.currency,
          status: pledge.status,
        };
        // The pledge decider records the gift on the pledge's stream (refusing it on a cancelled or
        // written-off pledge, or another currency or sustainer, with the same codes as the movement
        // decider); that stream's expected revision guards against a cancellation racing this gift.
        const events = pledgeDecider.decide(
          {
            type: 'ReceiveGift',
            sustainer: state,
            sustainerId: request.sustainerId,
            donationId: movementId,
            amountMinor: request.amountMinor,
            currency: request.currency,
            receivedOn: effectiveAt.slice(0, 10),
          },
          pledge,
        );
        await this.writes.requireFundCurrency(request.fundId ?? pledge.made.fundId, request.currency);
        return {
          sustainer,
          pledge: facts,
          alsoAppend: [{ streamId: pledgeStream(request.pledgeId), expected, events: asNew(events) }],
        };
      },
    );
  }
}
