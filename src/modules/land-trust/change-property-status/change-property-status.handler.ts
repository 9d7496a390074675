import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '../../../commands/command-context';
import { CommandOutcome } from '../../../commands/command-runner';
import { LandTrustWrites, asNew } from '../land-trust-writes';
import { propertyDecider, propertyStream } from '../property/property.decider';
import { ChangePropertyStatusDto } from './change-property-status.dto';

export type PropertyWritten = { propertyId: string };

export class ChangePropertyStatusCommand {
  constructor(
    readonly context: CommandContext,
    readonly propertyId: string,
    readonly request: ChangePropertyStatusDto,
  ) {}
}

/** A status change is dated when it is recorded: that day must be in an open period. */
@CommandHandler(ChangePropertyStatusCommand)
export class ChangePropertyStatusHandler implements ICommandHandler<ChangePropertyStatusCommand, CommandOutcome<PropertyWritten>> {
  constructor(private readonly writes: LandTrustWrites) {}

  execute({ context, propertyId, request }: ChangePropertyStatusCommand): Promise<CommandOutcome<PropertyWritten>> {
    const now = context.now.toISOString();
    return this.writes.runner.run(context, async () => {
      await this.writes.ledger.requireOpenPeriod(now);
      const { state, expected } = await this.writes.runner.load(propertyStream(propertyId), propertyDecider);
      const events = propertyDecider.decide({ type: 'ChangePropertyStatus', status: request.status, reason: request.reason, now }, state);
      return { appends: [{ streamId: propertyStream(propertyId), expected, events: asNew(events) }], response: { propertyId } };
    });
  }
}
