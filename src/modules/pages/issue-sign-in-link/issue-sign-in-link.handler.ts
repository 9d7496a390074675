import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '../../../commands/command-context';
import { CommandOutcome } from '../../../commands/command-runner';
import { newId } from '../../../shared/ids';
import { LinkRole, signInLinkDecider, signInLinkStream } from '../sign-in-link/sign-in-link.decider';
import { SignInLinkWrites, asNew } from '../sign-in-link/sign-in-link-writes';

export class IssueSignInLinkCommand {
  constructor(
    readonly context: CommandContext,
    readonly role: LinkRole,
    readonly subjectId: string,
    /** SHA-256 of the secret the caller made: the secret itself never reaches the log, not even in an idempotent answer. */
    readonly tokenHash: string,
    readonly lifetimeMs: number,
  ) {}
}

export type IssuedLink = { linkId: string; role: LinkRole; subjectId: string; expiresAt: string };

@CommandHandler(IssueSignInLinkCommand)
export class IssueSignInLinkHandler implements ICommandHandler<IssueSignInLinkCommand, CommandOutcome<IssuedLink>> {
  constructor(private readonly writes: SignInLinkWrites) {}

  execute({ context, role, subjectId, tokenHash, lifetimeMs }: IssueSignInLinkCommand): Promise<CommandOutcome<IssuedLink>> {
    const linkId = newId();
    const now = context.now.toISOString();
    const expiresAt = new Date(context.now.getTime() + lifetimeMs).toISOString();
    return this.writes.runner.run(context, async () => {
      const subjectStatus = await this.writes.subjectStatus(role, subjectId);
      const { state, expected } = await this.writes.runner.load(signInLinkStream(linkId), signInLinkDecider);
      const events = signInLinkDecider.decide(
        { type: 'IssueSignInLink', linkId, role, subject: subjectId, subjectStatus, tokenHash, expiresAt, by: context.actor.id, now },
        state,
      );
      return {
        appends: [{ streamId: signInLinkStream(linkId), expected, events: asNew(events) }],
        response: { linkId, role, subjectId, expiresAt },
      };
    });
  }
}
