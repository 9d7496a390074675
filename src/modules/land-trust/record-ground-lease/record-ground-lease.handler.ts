import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '../../../commands/command-context';
import { CommandOutcome } from '../../../commands/command-runner';
import { newId } from '../../../shared/ids';
import { LandTrustWrites, asNew } from '../land-trust-writes';
import { propertyDecider, propertyStream } from '../property/property.decider';
import { GroundLeaseDto } from './record-ground-lease.dto';

export type PropertyWritten = { propertyId: string };

export class RecordGroundLeaseCommand {
  constructor(
    readonly context: CommandContext,
    readonly propertyId: string,
    readonly request: GroundLeaseDto,
  ) {}
}

/** A lease is dated when it is recorded: that day must be in an open period. */
@CommandHandler(RecordGroundLeaseCommand)
export class RecordGroundLeaseHandler implements ICommandHandler<RecordGroundLeaseCommand, CommandOutcome<PropertyWritten>> {
  constructor(private readonly writes: LandTrustWrites) {}

  execute({ context, propertyId, request }: RecordGroundLeaseCommand): Promise<CommandOutcome<PropertyWritten>> {
    const now = context.now.toISOString();
    const lease = { leaseId: newId(), householdId: request.householdId, startsOn: request.startsOn, termYears: request.termYears };
    return this.writes.runner.run(context, async () => {
      await this.writes.ledger.requireOpenPeriod(now);
      const { state, expected } = await this.writes.runner.load(propertyStream(propertyId), propertyDecider);
      const events = propertyDecider.decide({ type: 'RecordGroundLease', lease, now }, state);
      return { appends: [{ streamId: propertyStream(propertyId), expected, events: asNew(events) }], response: { propertyId } };
    });
  }
}
