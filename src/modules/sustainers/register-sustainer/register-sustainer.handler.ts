import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '../../../commands/command-context';
import { CommandOutcome, CommandRunner } from '../../../commands/command-runner';
import { newId } from '../../../shared/ids';
import { PersonalData, seal } from '../personal-data/personal-data';
import { SustainerKeys } from '../sustainer-keys';
import { sustainerDecider, sustainerStream } from '../sustainer/sustainer.decider';
import { asNew } from '../sustainers-writes';
import { RegisterSustainerDto } from './register-sustainer.dto';

export class RegisterSustainerCommand {
  constructor(
    readonly context: CommandContext,
    readonly request: RegisterSustainerDto,
  ) {}
}

/** The key is made durable first; if the registration is then not written, the orphan key is removed. */
@CommandHandler(RegisterSustainerCommand)
export class RegisterSustainerHandler implements ICommandHandler<RegisterSustainerCommand, CommandOutcome<{ sustainerId: string }>> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly keys: SustainerKeys,
  ) {}

  async execute({ context, request }: RegisterSustainerCommand): Promise<CommandOutcome<{ sustainerId: string }>> {
    const sustainerId = newId();
    const key = await this.keys.create(sustainerId);
    const personal: PersonalData = {
      displayName: request.displayName,
      ...(request.email ? { email: request.email } : {}),
      ...(request.postalAddress ? { postalAddress: request.postalAddress } : {}),
    };
    try {
      const outcome = await this.runner.run(context, async () => {
        const events = sustainerDecider.decide(
          { type: 'RegisterSustainer', sustainerId, anonymous: request.anonymous, personal: seal(key, sustainerId, personal), by: context.actor.id, now: context.now.toISOString() },
          sustainerDecider.initialState(),
        );
        // The answer (kept in the log with the idempotency key) must not carry personal data.
        return { appends: [{ streamId: sustainerStream(sustainerId), expected: 'no_stream', events: asNew(events) }], response: { sustainerId } };
      });
      // A replay of an earlier request answers that request's sustainer: the key made now is an orphan.
      if (outcome.response.sustainerId !== sustainerId) await this.keys.destroy(sustainerId, { scrub: false });
      return outcome;
    } catch (error) {
      // The answer is the command's error; a key that could not be removed now opens nothing (no event names it).
      await this.keys.destroy(sustainerId, { scrub: false }).catch(() => undefined);
      throw error;
    }
  }
}
