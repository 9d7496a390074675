import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '../../../commands/command-context';
import { CommandOutcome, CommandRunner } from '../../../commands/command-runner';
import { DomainError } from '../../../shared/domain-error';
import { SustainerKeys } from '../sustainer-keys';
import { sustainerDecider, sustainerStream } from '../sustainer/sustainer.decider';
import { SustainerErrors } from '../sustainers.errors';
import { asNew } from '../sustainers-writes';

export type SustainerErased = { sustainerId: string; status: 'erased' };

export class EraseSustainerCommand {
  constructor(
    readonly context: CommandContext,
    readonly sustainerId: string,
  ) {}
}

/** Appends the erasure, then destroys the key; erasing again repairs a key left behind by a crash in between. */
@CommandHandler(EraseSustainerCommand)
export class EraseSustainerHandler implements ICommandHandler<EraseSustainerCommand, CommandOutcome<SustainerErased>> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly keys: SustainerKeys,
  ) {}

  async execute({ context, sustainerId }: EraseSustainerCommand): Promise<CommandOutcome<SustainerErased>> {
    try {
      const outcome = await this.runner.run(context, async () => {
        const { state, expected } = await this.runner.load(sustainerStream(sustainerId), sustainerDecider);
        const events = sustainerDecider.decide({ type: 'EraseSustainer', sustainerId, by: context.actor.id, now: context.now.toISOString() }, state);
        return { appends: [{ streamId: sustainerStream(sustainerId), expected, events: asNew(events) }], response: { sustainerId, status: 'erased' as const } };
      });
      await this.keys.destroy(sustainerId);
      return outcome;
    } catch (error) {
      if (error instanceof DomainError && error.code === SustainerErrors.ERASED) await this.keys.destroy(sustainerId);
      throw error;
    }
  }
}
