import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '../../../commands/command-context';
import { CommandOutcome } from '../../../commands/command-runner';
import { newId } from '../../../shared/ids';
import { storedInstant } from '../fund/fund.decider';
import { FundsWrites, MovementResponse, newMovement } from '../funds-writes';

export class RequestDisbursementCommand {
  constructor(
    readonly context: CommandContext,
    readonly request: {
      fundId: string;
      payee: string;
      category: string;
      invoiceReference: string;
      purpose?: string;
      amountMinor: number;
      currency: string;
      effectiveAt: string;
      memo?: string;
    },
  ) {}
}

/** A spending request: nothing moves until another steward approves it. */
@CommandHandler(RequestDisbursementCommand)
export class RequestDisbursementHandler implements ICommandHandler<RequestDisbursementCommand, CommandOutcome<MovementResponse>> {
  constructor(private readonly funds: FundsWrites) {}

  execute({ context, request }: RequestDisbursementCommand): Promise<CommandOutcome<MovementResponse>> {
    const movementId = newId();
    const effectiveAt = storedInstant(request.effectiveAt);
    return this.funds.runner.run(context, async () => {
      const { events } = await this.funds.decideNewMovement(request.fundId, effectiveAt, (facts) => ({
        type: 'RequestDisbursement', movementId, fund: facts, ...request, effectiveAt, by: context.actor.id, now: context.now.toISOString(),
      }));
      return { appends: [newMovement(movementId, events)], response: { movementId, status: 'requested' as const } };
    });
  }
}
