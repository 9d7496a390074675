import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '../../../commands/command-context';
import { CommandOutcome } from '../../../commands/command-runner';
import { newId } from '../../../shared/ids';
import { improvementDecider, improvementStream } from '../improvement/improvement.decider';
import { LandTrustWrites, asNew, optionalInstant } from '../land-trust-writes';
import { BudgetIncreaseDto } from './request-budget-increase.dto';

export type BudgetIncreaseRequested = { improvementId: string; increaseId: string; status: 'requested' };

export class RequestBudgetIncreaseCommand {
  constructor(
    readonly context: CommandContext,
    readonly improvementId: string,
    readonly request: BudgetIncreaseDto,
  ) {}
}

/** A request holds nothing until another steward approves it: it appends to the project's stream only, dated in an open period. */
@CommandHandler(RequestBudgetIncreaseCommand)
export class RequestBudgetIncreaseHandler implements ICommandHandler<RequestBudgetIncreaseCommand, CommandOutcome<BudgetIncreaseRequested>> {
  constructor(private readonly writes: LandTrustWrites) {}

  execute({ context, improvementId, request }: RequestBudgetIncreaseCommand): Promise<CommandOutcome<BudgetIncreaseRequested>> {
    const increaseId = newId();
    const effectiveAt = optionalInstant(request.effectiveAt);
    return this.writes.runner.run(context, async () => {
      const { project, expected } = await this.writes.project(improvementId);
      await this.writes.ledger.requireOpenPeriod(effectiveAt ?? context.now.toISOString());
      const events = improvementDecider.decide(
        {
          type: 'RequestBudgetIncrease',
          increaseId,
          fundingLines: await this.writes.fundLines(request.fundingLines),
          reason: request.reason,
          ...(effectiveAt === undefined ? {} : { effectiveAt }),
          by: context.actor.id,
          now: context.now.toISOString(),
        },
        project,
      );
      return {
        appends: [{ streamId: improvementStream(improvementId), expected, events: asNew(events) }],
        response: { improvementId, increaseId, status: 'requested' as const },
      };
    });
  }
}
