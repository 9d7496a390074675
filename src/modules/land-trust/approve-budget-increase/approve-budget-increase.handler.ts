import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '../../../commands/command-context';
import { CommandOutcome } from '../../../commands/command-runner';
import { improvementDecider, improvementStream } from '../improvement/improvement.decider';
import { ApproveDto } from '../land-trust.dto';
import { LandTrustWrites, asNew, optionalInstant } from '../land-trust-writes';

export type BudgetIncreaseApproved = { improvementId: string; increaseId: string; status: 'approved' };

export class ApproveBudgetIncreaseCommand {
  constructor(
    readonly context: CommandContext,
    readonly improvementId: string,
    readonly increaseId: string,
    readonly request: ApproveDto = {},
  ) {}
}

/** Approving an increase holds its lines on their funds, from the approval's date; the pending lines' funds are locked too. */
@CommandHandler(ApproveBudgetIncreaseCommand)
export class ApproveBudgetIncreaseHandler implements ICommandHandler<ApproveBudgetIncreaseCommand, CommandOutcome<BudgetIncreaseApproved>> {
  constructor(private readonly writes: LandTrustWrites) {}

  async execute({ context, improvementId, increaseId, request }: ApproveBudgetIncreaseCommand): Promise<CommandOutcome<BudgetIncreaseApproved>> {
    const effectiveAt = optionalInstant(request.effectiveAt);
    const { state } = await this.writes.runner.load(improvementStream(improvementId), improvementDecider);
    const pendingFunds = state.status === 'none' ? [] : (state.pendingIncreases.get(increaseId)?.lines ?? []).map((l) => l.fundId);
    return this.writes.runner.run(
      context,
      async () => {
        const { project, expected } = await this.writes.project(improvementId);
        await this.writes.ledger.requireOpenPeriod(effectiveAt ?? context.now.toISOString());
        const events = improvementDecider.decide(
          { type: 'ApproveBudgetIncrease', increaseId, ...(effectiveAt === undefined ? {} : { effectiveAt }), by: context.actor.id, now: context.now.toISOString() },
          project,
        );
        return {
          appends: [{ streamId: improvementStream(improvementId), expected, events: asNew(events, effectiveAt) }, ...(await this.writes.holdsFor(events, effectiveAt))],
          response: { improvementId, increaseId, status: 'approved' as const },
        };
      },
      { locks: await this.writes.fundLocks(improvementId, pendingFunds) },
    );
  }
}
