import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '../../../commands/command-context';
import { CommandOutcome } from '../../../commands/command-runner';
import { FundsWrites, MovementResponse, businessDate } from '../funds-writes';

export class RejectMovementCommand {
  constructor(
    readonly context: CommandContext,
    readonly movementId: string,
    readonly reason: string,
    readonly effectiveAt?: string,
  ) {}
}

/** A rejection may be dated after the fact too; it moves no money, but is dated in an open period all the same. */
@CommandHandler(RejectMovementCommand)
export class RejectMovementHandler implements ICommandHandler<RejectMovementCommand, CommandOutcome<MovementResponse>> {
  constructor(private readonly funds: FundsWrites) {}

  execute({ context, movementId, reason, effectiveAt }: RejectMovementCommand): Promise<CommandOutcome<MovementResponse>> {
    const when = businessDate(context, effectiveAt);
    return this.funds.release(
      context,
      movementId,
      { type: 'RejectMovement', by: context.actor.id, reason, effectiveAt: when, now: context.now.toISOString() },
      'rejected',
      when,
    );
  }
}
