import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '../../../commands/command-context';
import { CommandOutcome } from '../../../commands/command-runner';
import { improvementDecider, improvementStream } from '../improvement/improvement.decider';
import { LandTrustWrites, asNew } from '../land-trust-writes';
import { CompleteImprovementDto } from './complete-improvement.dto';

export type ImprovementEnded = { improvementId: string; status: 'completed' | 'cancelled'; releasedMinor: number };

export class CompleteImprovementCommand {
  constructor(
    readonly context: CommandContext,
    readonly improvementId: string,
    readonly request: CompleteImprovementDto,
  ) {}
}

/**
 * Completion ends the work and gives what was allocated and not spent back to the funds. It is
 * dated on the completion day, which must be in an open period.
 */
@CommandHandler(CompleteImprovementCommand)
export class CompleteImprovementHandler implements ICommandHandler<CompleteImprovementCommand, CommandOutcome<ImprovementEnded>> {
  constructor(private readonly writes: LandTrustWrites) {}

  async execute({ context, improvementId, request }: CompleteImprovementCommand): Promise<CommandOutcome<ImprovementEnded>> {
    const { completedOn, inspection, inspectionNotes } = request;
    return this.writes.runner.run(
      context,
      async () => {
        const { project, expected } = await this.writes.project(improvementId);
        await this.writes.ledger.requireOpenPeriod(completedOn);
        const events = improvementDecider.decide({ type: 'CompleteImprovement', completedOn, inspection, inspectionNotes, now: context.now.toISOString() }, project);
        const released = events.flatMap((e) => (e.type === 'ImprovementCompleted' ? e.data.released : []));
        return {
          appends: [{ streamId: improvementStream(improvementId), expected, events: asNew(events) }, ...(await this.writes.releasesFor(released, 'completed'))],
          response: { improvementId, status: 'completed' as const, releasedMinor: released.reduce((sum, c) => sum + c.amountMinor, 0) },
        };
      },
      { locks: await this.writes.fundLocks(improvementId) },
    );
  }
}
