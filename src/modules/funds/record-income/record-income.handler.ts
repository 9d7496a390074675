import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '../../../commands/command-context';
import { CommandOutcome } from '../../../commands/command-runner';
import { newId } from '../../../shared/ids';
import { fundStream, storedInstant } from '../fund/fund.decider';
import { FundsWrites, MovementResponse } from '../funds-writes';

export class RecordIncomeCommand {
  constructor(
    readonly context: CommandContext,
    readonly request: { fundId: string; source: string; category: string; reference?: string; amountMinor: number; currency: string; effectiveAt: string; memo?: string },
  ) {}
}

/** Money from outside, posted into its fund at once. */
@CommandHandler(RecordIncomeCommand)
export class RecordIncomeHandler implements ICommandHandler<RecordIncomeCommand, CommandOutcome<MovementResponse>> {
  constructor(private readonly funds: FundsWrites) {}

  execute({ context, request }: RecordIncomeCommand): Promise<CommandOutcome<MovementResponse>> {
    const movementId = newId();
    const effectiveAt = storedInstant(request.effectiveAt);
    return this.funds.runner.run(context, async () => {
      const { fund, events } = await this.funds.decideNewMovement(request.fundId, effectiveAt, (facts) => ({
        type: 'RecordIncome', movementId, fund: facts, ...request, effectiveAt, by: context.actor.id, now: context.now.toISOString(),
      }));
      return {
        appends: this.funds.postedInto(request.fundId, fund, movementId, events, request.amountMinor, effectiveAt),
        response: { movementId, status: 'posted' as const },
      };
    }, { locks: [fundStream(request.fundId)] });
  }
}
