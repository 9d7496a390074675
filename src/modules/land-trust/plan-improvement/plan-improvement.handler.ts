import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '../../../commands/command-context';
import { CommandOutcome } from '../../../commands/command-runner';
import { newId } from '../../../shared/ids';
import { improvementDecider, improvementStream } from '../improvement/improvement.decider';
import { LandTrustWrites, asNew, optionalInstant } from '../land-trust-writes';
import { propertyDecider, propertyStream } from '../property/property.decider';
import { PlanImprovementDto } from './plan-improvement.dto';

export type ImprovementPlanned = { improvementId: string; status: 'planned' };

export class PlanImprovementCommand {
  constructor(
    readonly context: CommandContext,
    readonly request: PlanImprovementDto,
  ) {}
}

/** A plan holds nothing yet: it reads the property's status and each named fund's facts, and appends to the new project only. */
@CommandHandler(PlanImprovementCommand)
export class PlanImprovementHandler implements ICommandHandler<PlanImprovementCommand, CommandOutcome<ImprovementPlanned>> {
  constructor(private readonly writes: LandTrustWrites) {}

  execute({ context, request }: PlanImprovementCommand): Promise<CommandOutcome<ImprovementPlanned>> {
    const improvementId = newId();
    const effectiveAt = optionalInstant(request.effectiveAt);
    return this.writes.runner.run(context, async () => {
      await this.writes.ledger.requireOpenPeriod(effectiveAt ?? context.now.toISOString());
      const { state: property } = await this.writes.runner.load(propertyStream(request.propertyId), propertyDecider);
      const events = improvementDecider.decide(
        {
          type: 'PlanImprovement',
          improvementId,
          property: { propertyId: request.propertyId, status: property.status },
          description: request.description,
          phase: request.phase,
          estimateMinor: request.estimateMinor,
          currency: request.currency,
          fundingLines: await this.writes.fundLines(request.fundingLines),
          ...(effectiveAt === undefined ? {} : { effectiveAt }),
          by: context.actor.id,
          now: context.now.toISOString(),
        },
        improvementDecider.initialState(),
      );
      return { appends: [{ streamId: improvementStream(improvementId), expected: 'no_stream', events: asNew(events) }], response: { improvementId, status: 'planned' as const } };
    });
  }
}
