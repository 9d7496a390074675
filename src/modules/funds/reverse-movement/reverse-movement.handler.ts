import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '../../../commands/command-context';
import { CommandOutcome } from '../../../commands/command-runner';
import { FundsWrites, MovementResponse } from '../funds-writes';

export class ReverseMovementCommand {
  constructor(
    readonly context: CommandContext,
    readonly movementId: string,
    readonly reason: string,
    readonly effectiveAt?: string,
  ) {}
}

/** The reversal itself is in `FundsWrites.reverse`: sustainers reverse donations with it too. */
@CommandHandler(ReverseMovementCommand)
export class ReverseMovementHandler implements ICommandHandler<ReverseMovementCommand, CommandOutcome<MovementResponse>> {
  constructor(private readonly funds: FundsWrites) {}

  execute({ context, movementId, reason, effectiveAt }: ReverseMovementCommand): Promise<CommandOutcome<MovementResponse>> {
    return this.funds.reverse(context, movementId, reason, effectiveAt);
  }
}
