import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '../../../commands/command-context';
import { CommandOutcome } from '../../../commands/command-runner';
import { improvementDecider, improvementStream } from '../improvement/improvement.decider';
import { LandTrustWrites, asNew } from '../land-trust-writes';
import { CancelImprovementDto } from './cancel-improvement.dto';

export type ImprovementEnded = { improvementId: string; status: 'completed' | 'cancelled'; releasedMinor: number };

export class CancelImprovementCommand {
  constructor(
    readonly context: CommandContext,
    readonly improvementId: string,
    readonly request: CancelImprovementDto,
  ) {}
}

/**
 * Cancelling ends the work and gives what was allocated and not spent back to the funds. It is
 * dated when it is recorded, which must be in an open period.
 */
@CommandHandler(CancelImprovementCommand)
export class CancelImprovementHandler implements ICommandHandler<CancelImprovementCommand, CommandOutcome<ImprovementEnded>> {
  constructor(private readonly writes: LandTrustWrites) {}

  async execute({ context, improvementId, request }: CancelImprovementCommand): Promise<CommandOutcome<ImprovementEnded>> {
    const now = context.now.toISOString();
    return this.writes.runner.run(
      context,
      async () => {
        const { project, expected } = await this.writes.project(improvementId);
        await this.writes.ledger.requireOpenPeriod(now);
        const events = improvementDecider.decide({ type: 'CancelImprovement', reason: request.reason, now }, project);
        const released = events.flatMap((e) => (e.type === 'ImprovementCancelled' ? e.data.released : []));
        return {
          appends: [{ streamId: improvementStream(improvementId), expected, events: asNew(events) }, ...(await this.writes.releasesFor(released, 'cancelled'))],
          response: { improvementId, status: 'cancelled' as const, releasedMinor: released.reduce((sum, c) => sum + c.amountMinor, 0) },
        };
      },
      { locks: await this.writes.fundLocks(improvementId) },
    );
  }
}
