import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '../../../commands/command-context';
import { CommandOutcome } from '../../../commands/command-runner';
import { newId } from '../../../shared/ids';
import { fundStream } from '../fund/fund.decider';
import { FundsWrites, MovementResponse, businessDate, newMovement } from '../funds-writes';
import { movementDecider } from '../movement/movement.decider';

export class RequestTransferCommand {
  constructor(
    readonly context: CommandContext,
    readonly request: { fromFundId: string; toFundId: string; amountMinor: number; currency: string; effectiveAt?: string; memo?: string },
  ) {}
}

/** A transfer holds its amount on the source fund until another steward approves it or it expires. */
@CommandHandler(RequestTransferCommand)
export class RequestTransferHandler implements ICommandHandler<RequestTransferCommand, CommandOutcome<MovementResponse>> {
  constructor(private readonly funds: FundsWrites) {}

  execute({ context, request }: RequestTransferCommand): Promise<CommandOutcome<MovementResponse>> {
    const movementId = newId();
    const now = context.now.toISOString();
    const effectiveAt = businessDate(context, request.effectiveAt);
    return this.funds.runner.run(context, async () => {
      await this.funds.ledger.requireOpenPeriod(effectiveAt);
      const [from, to] = await Promise.all([this.funds.ledger.loadFund(request.fromFundId), this.funds.ledger.loadFund(request.toFundId)]);
      const events = movementDecider.decide(
        {
          type: 'RequestTransfer',
          movementId,
          from: from.facts,
          to: to.facts,
          amountMinor: request.amountMinor,
          currency: request.currency,
          effectiveAt,
          memo: request.memo,
          by: context.actor.id,
          now,
          expiresAt: new Date(context.now.getTime() + this.funds.config.transferTtlMs).toISOString(),
        },
        movementDecider.initialState(),
      );
      const hold = this.funds.ledger.fundAppend(request.fromFundId, from, { type: 'PlaceHold', movementId, amountMinor: request.amountMinor });
      return {
        appends: [newMovement(movementId, events), ...(hold ? [hold] : [])],
        response: { movementId, status: 'requested' as const },
      };
    }, { locks: [fundStream(request.fromFundId)] });
  }
}
