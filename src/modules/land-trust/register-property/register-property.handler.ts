import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '../../../commands/command-context';
import { CommandOutcome, CommandRunner } from '../../../commands/command-runner';
import { newId } from '../../../shared/ids';
import { reservation } from '../../ledger';
import { LandTrustErrors } from '../land-trust.errors';
import { asNew } from '../land-trust-writes';
import { parcelStream, propertyDecider, propertyStream } from '../property/property.decider';
import { RegisterPropertyDto } from './register-property.dto';

export class RegisterPropertyCommand {
  constructor(
    readonly context: CommandContext,
    readonly request: RegisterPropertyDto,
  ) {}
}

/** A property and its parcel's reservation are appended together: a parcel id is registered once. */
@CommandHandler(RegisterPropertyCommand)
export class RegisterPropertyHandler implements ICommandHandler<RegisterPropertyCommand, CommandOutcome<{ propertyId: string }>> {
  constructor(private readonly runner: CommandRunner) {}

  execute({ context, request }: RegisterPropertyCommand): Promise<CommandOutcome<{ propertyId: string }>> {
    const propertyId = newId();
    const parcel = reservation(parcelStream(request.parcelId), asNew([{ type: 'ParcelReserved', data: { parcelId: request.parcelId, propertyId } }]), () =>
      LandTrustErrors.parcelTaken(request.parcelId),
    );
    const { address, parcelId, acquiredOn, status } = request;
    return this.runner.run(
      context,
      async () => {
        const events = propertyDecider.decide(
          { type: 'RegisterProperty', propertyId, address, parcelId, acquiredOn, status, now: context.now.toISOString() },
          propertyDecider.initialState(),
        );
        return {
          appends: [
            { streamId: propertyStream(propertyId), expected: 'no_stream', events: asNew(events) },
            parcel.append,
          ],
          response: { propertyId },
        };
      },
      { onConflict: parcel.onConflict },
    );
  }
}
