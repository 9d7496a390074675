import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '../../../commands/command-context';
import { CommandOutcome } from '../../../commands/command-runner';
import { improvementDecider, improvementStream } from '../improvement/improvement.decider';
import { LandTrustWrites, asNew } from '../land-trust-writes';
import { ResaleCreditDto } from './record-resale-credit.dto';

export type ResaleCreditRecorded = { improvementId: string; resaleCreditMinor: number };

export class RecordResaleCreditCommand {
  constructor(
    readonly context: CommandContext,
    readonly improvementId: string,
    readonly request: ResaleCreditDto,
  ) {}
}

/** The credit touches only the project's stream; it is dated when recorded, in an open period. */
@CommandHandler(RecordResaleCreditCommand)
export class RecordResaleCreditHandler implements ICommandHandler<RecordResaleCreditCommand, CommandOutcome<ResaleCreditRecorded>> {
  constructor(private readonly writes: LandTrustWrites) {}

  execute({ context, improvementId, request }: RecordResaleCreditCommand): Promise<CommandOutcome<ResaleCreditRecorded>> {
    const now = context.now.toISOString();
    const { amountMinor, description } = request;
    return this.writes.runner.run(context, async () => {
      const { project, expected } = await this.writes.project(improvementId);
      await this.writes.ledger.requireOpenPeriod(now);
      const events = improvementDecider.decide({ type: 'RecordResaleCredit', amountMinor, description, now }, project);
      return { appends: [{ streamId: improvementStream(improvementId), expected, events: asNew(events) }], response: { improvementId, resaleCreditMinor: amountMinor } };
    });
  }
}
