import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '../../../commands/command-context';
import { CommandOutcome } from '../../../commands/command-runner';
import { newId } from '../../../shared/ids';
import { ReserveThingDto } from './reserve-thing.dto';
import { LendingErrors } from '../lending.errors';
import { resourceDecider, resourceStream, thingLoanStream } from '../resource/resource.decider';
import { LendingWrites, asNew, requireActingFor } from '../shared/lending-writes';

export class ReserveThingCommand {
  constructor(
    readonly context: CommandContext,
    readonly request: ReserveThingDto,
  ) {}
}

type Outcome = CommandOutcome<{ loanId: string; resourceId: string; status: 'reserved' }>;

/** Reserves a resource for a borrower (the borrower's own token or a steward); the loan's index stream finds its resource later. */
@CommandHandler(ReserveThingCommand)
export class ReserveThingHandler implements ICommandHandler<ReserveThingCommand, Outcome> {
  constructor(private readonly writes: LendingWrites) {}

  execute({ context, request }: ReserveThingCommand): Promise<Outcome> {
    requireActingFor(context.actor, [request.borrowerId]);
    const charged = request.depositMinor !== undefined || request.feeMinor !== undefined;
    if (charged !== (request.currency !== undefined)) throw LendingErrors.chargesInvalid();
    const charges = charged ? { currency: request.currency as string, depositMinor: request.depositMinor ?? 0, feeMinor: request.feeMinor ?? 0 } : undefined;
    const loanId = newId();
    const { runner } = this.writes;
    return runner.run(context, async () => {
      await this.writes.cooperative(request.borrowerId);
      const { state, expected } = await runner.load(resourceStream(request.resourceId), resourceDecider);
      const events = resourceDecider.decide(
        {
          type: 'ReserveThing',
          loanId,
          borrowerId: request.borrowerId,
          startOn: request.startOn,
          dueOn: request.dueOn,
          ...(charges ? { charges } : {}),
          by: context.actor.id,
          now: context.now.toISOString(),
        },
        state,
      );
      return {
        appends: [
          { streamId: resourceStream(request.resourceId), expected, events: asNew(events) },
          { streamId: thingLoanStream(loanId), expected: 'no_stream', events: asNew([{ type: 'ThingLoanIndexed', data: { loanId, resourceId: request.resourceId } }]) },
        ],
        response: { loanId, resourceId: request.resourceId, status: 'reserved' as const },
      };
    });
  }
}
