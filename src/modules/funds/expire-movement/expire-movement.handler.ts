import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '../../../commands/command-context';
import { CommandOutcome } from '../../../commands/command-runner';
import { FundsWrites, MovementResponse } from '../funds-writes';

/** Sent by the expiry sweep (`funds-lifecycle.ts`), not over HTTP. */
export class ExpireMovementCommand {
  constructor(
    readonly context: CommandContext,
    readonly movementId: string,
  ) {}
}

@CommandHandler(ExpireMovementCommand)
export class ExpireMovementHandler implements ICommandHandler<ExpireMovementCommand, CommandOutcome<MovementResponse>> {
  constructor(private readonly funds: FundsWrites) {}

  execute({ context, movementId }: ExpireMovementCommand): Promise<CommandOutcome<MovementResponse>> {
    return this.funds.release(context, movementId, { type: 'ExpireMovement', now: context.now.toISOString() }, 'expired');
  }
}
