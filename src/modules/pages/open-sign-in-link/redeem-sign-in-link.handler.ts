import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '../../../commands/command-context';
import { CommandOutcome } from '../../../commands/command-runner';
import { signInLinkDecider, signInLinkStream } from '../sign-in-link/sign-in-link.decider';
import { SignInLinkWrites, asNew } from '../sign-in-link/sign-in-link-writes';
import type { SignInLinkRow } from '../sign-in-link/sign-in-links.projection';

export class RedeemSignInLinkCommand {
  constructor(
    readonly context: CommandContext,
    /** The link the secret named in the read model; its own stream decides whether it may still be used. */
    readonly link: Pick<SignInLinkRow, 'link_id' | 'role' | 'subject'>,
    readonly sessionHash: string,
    readonly sessionLifetimeMs: number,
  ) {}
}

/**
 * Uses the link up and opens its session in one append at the link stream's revision: of two
 * redemptions racing, the second meets the first as a stale revision, is decided again and
 * refused (SIGN_IN.LINK_INVALID). The subject is read again, so an erased sustainer's link fails.
 */
@CommandHandler(RedeemSignInLinkCommand)
export class RedeemSignInLinkHandler implements ICommandHandler<RedeemSignInLinkCommand, CommandOutcome<{ linkId: string }>> {
  constructor(private readonly writes: SignInLinkWrites) {}

  execute({ context, link, sessionHash, sessionLifetimeMs }: RedeemSignInLinkCommand): Promise<CommandOutcome<{ linkId: string }>> {
    const now = context.now.toISOString();
    const sessionExpiresAt = new Date(context.now.getTime() + sessionLifetimeMs).toISOString();
    return this.writes.runner.run(context, async () => {
      const subjectStatus = await this.writes.subjectStatus(link.role, link.subject);
      const { state, expected } = await this.writes.runner.load(signInLinkStream(link.link_id), signInLinkDecider);
      const events = signInLinkDecider.decide({ type: 'RedeemSignInLink', subjectStatus, sessionHash, sessionExpiresAt, now }, state);
      return { appends: [{ streamId: signInLinkStream(link.link_id), expected, events: asNew(events) }], response: { linkId: link.link_id } };
    });
  }
}
