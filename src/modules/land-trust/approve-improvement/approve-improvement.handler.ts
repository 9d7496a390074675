import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '../../../commands/command-context';
import { CommandOutcome } from '../../../commands/command-runner';
import { improvementDecider, improvementStream } from '../improvement/improvement.decider';
import { ApproveDto } from '../land-trust.dto';
import { LandTrustWrites, asNew, optionalInstant } from '../land-trust-writes';

export type ImprovementApproved = { improvementId: string; status: 'approved' };

export class ApproveImprovementCommand {
  constructor(
    readonly context: CommandContext,
    readonly improvementId: string,
    readonly request: ApproveDto = {},
  ) {}
}

/**
 * Approval commits the money: each funding line becomes a hold on its fund. An approval
 * recorded after the fact carries its business date, and its holds count from that date.
 */
@CommandHandler(ApproveImprovementCommand)
export class ApproveImprovementHandler implements ICommandHandler<ApproveImprovementCommand, CommandOutcome<ImprovementApproved>> {
  constructor(private readonly writes: LandTrustWrites) {}

  async execute({ context, improvementId, request }: ApproveImprovementCommand): Promise<CommandOutcome<ImprovementApproved>> {
    const effectiveAt = optionalInstant(request.effectiveAt);
    return this.writes.runner.run(
      context,
      async () => {
        const { project, expected } = await this.writes.project(improvementId);
        await this.writes.ledger.requireOpenPeriod(effectiveAt ?? context.now.toISOString());
        const events = improvementDecider.decide(
          { type: 'ApproveImprovement', ...(effectiveAt === undefined ? {} : { effectiveAt }), by: context.actor.id, now: context.now.toISOString() },
          project,
        );
        return {
          appends: [{ streamId: improvementStream(improvementId), expected, events: asNew(events, effectiveAt) }, ...(await this.writes.holdsFor(events, effectiveAt))],
          response: { improvementId, status: 'approved' as const },
        };
      },
      { locks: await this.writes.fundLocks(improvementId) },
    );
  }
}
