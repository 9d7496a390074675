import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '../../../commands/command-context';
import { CommandOutcome } from '../../../commands/command-runner';
import { FundsWrites, MovementResponse, asNew, businessDate } from '../funds-writes';
import { movementStream } from '../movement/movement.decider';

export class ApproveMovementCommand {
  constructor(
    readonly context: CommandContext,
    readonly movementId: string,
    readonly effectiveAt?: string,
  ) {}
}

/**
 * Approval posts the movement: each touched fund gets its entry, and a transfer's hold is
 * consumed. The postings keep the movement's own business date; the approval may be dated
 * after the fact (`effectiveAt`), in an open period like the movement itself.
 */
@CommandHandler(ApproveMovementCommand)
export class ApproveMovementHandler implements ICommandHandler<ApproveMovementCommand, CommandOutcome<MovementResponse>> {
  constructor(private readonly funds: FundsWrites) {}

  async execute({ context, movementId, effectiveAt }: ApproveMovementCommand): Promise<CommandOutcome<MovementResponse>> {
    const when = businessDate(context, effectiveAt);
    return this.funds.runner.run(context, async () => {
      const decided = await this.funds.decideMovement(movementId, {
        type: 'ApproveMovement',
        by: context.actor.id,
        effectiveAt: when,
        now: context.now.toISOString(),
      });
      await this.funds.ledger.requireOpenPeriod(decided.effectiveAt);
      await this.funds.ledger.requireOpenPeriod(when);
      const funds = await this.funds.applyEffects(movementId, decided.effects, decided.effectiveAt);
      return {
        appends: [{ streamId: movementStream(movementId), expected: decided.expected, events: asNew(decided.events, when) }, ...funds],
        response: { movementId, status: 'posted' as const },
      };
    }, { locks: await this.funds.locksOf(movementId) });
  }
}
