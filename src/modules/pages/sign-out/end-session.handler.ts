import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '../../../commands/command-context';
import { CommandOutcome } from '../../../commands/command-runner';
import { signInLinkDecider, signInLinkStream } from '../sign-in-link/sign-in-link.decider';
import { SignInLinkWrites, asNew } from '../sign-in-link/sign-in-link-writes';

export class EndSessionCommand {
  constructor(
    readonly context: CommandContext,
    readonly linkId: string,
  ) {}
}

/** Signing out ends the session in the log, so it stops working on every instance and after a restart. */
@CommandHandler(EndSessionCommand)
export class EndSessionHandler implements ICommandHandler<EndSessionCommand, CommandOutcome<{ linkId: string }>> {
  constructor(private readonly writes: SignInLinkWrites) {}

  execute({ context, linkId }: EndSessionCommand): Promise<CommandOutcome<{ linkId: string }>> {
    return this.writes.runner.run(context, async () => {
      const { state, expected } = await this.writes.runner.load(signInLinkStream(linkId), signInLinkDecider);
      const events = signInLinkDecider.decide({ type: 'EndSignInSession', now: context.now.toISOString() }, state);
      return { appends: [{ streamId: signInLinkStream(linkId), expected, events: asNew(events) }], response: { linkId } };
    });
  }
}
