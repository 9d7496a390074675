import { assertNever } from '../../../shared/domain-error';
import { Decider } from '../../../shared/decider';
import { PageErrors } from '../pages.errors';

export type LinkRole = 'sustainer' | 'cooperative';
export type SubjectStatus = 'unknown' | 'active' | 'erased';

export type SignInLinkEvent =
  | {
      readonly type: 'SignInLinkIssued';
      readonly data: {
        readonly linkId: string;
        readonly role: LinkRole;
        readonly subject: string;
        /** SHA-256 of the link's secret; the secret is only in the link handed to the person. */
        readonly tokenHash: string;
        readonly expiresAt: string;
        readonly issuedAt: string;
        readonly issuedBy: string;
      };
    }
  | {
      readonly type: 'SignInLinkRedeemed';
      readonly data: { readonly linkId: string; readonly sessionHash: string; readonly sessionExpiresAt: string; readonly redeemedAt: string };
    }
  | { readonly type: 'SignInSessionEnded'; readonly data: { readonly linkId: string; readonly reason: 'signed-out'; readonly endedAt: string } };

export type SignInLinkCommand =
  | {
      readonly type: 'IssueSignInLink';
      readonly linkId: string;
      readonly role: LinkRole;
      readonly subject: string;
      /** What the subject's own stream says, read by the handler before deciding. */
      readonly subjectStatus: SubjectStatus;
      readonly tokenHash: string;
      readonly expiresAt: string;
      readonly by: string;
      readonly now: string;
    }
  | {
      readonly type: 'RedeemSignInLink';
      readonly subjectStatus: SubjectStatus;
      readonly sessionHash: string;
      readonly sessionExpiresAt: string;
      readonly now: string;
    }
  | { readonly type: 'EndSignInSession'; readonly now: string };

export type SignInLinkState =
  | { readonly status: 'none' }
  | { readonly status: 'issued'; readonly linkId: string; readonly role: LinkRole; readonly subject: string; readonly expiresAt: string }
  | { readonly status: 'redeemed'; readonly linkId: string; readonly role: LinkRole; readonly subject: string; readonly sessionExpiresAt: string }
  | { readonly status: 'ended'; readonly linkId: string };

/**
 * A sign-in link: issued for one sustainer or cooperative, redeemed at most once before it
 * expires (the stream's revision makes a second redemption lose, even racing), which opens one
 * session, which ends when the person signs out or at its expiry.
 */
export const signInLinkDecider: Decider<SignInLinkCommand, SignInLinkEvent, SignInLinkState> = {
  initialState: () => ({ status: 'none' }),

  evolve(state, event) {
    switch (event.type) {
      case 'SignInLinkIssued':
        return { status: 'issued', linkId: event.data.linkId, role: event.data.role, subject: event.data.subject, expiresAt: event.data.expiresAt };
      case 'SignInLinkRedeemed':
        return state.status === 'issued'
          ? { status: 'redeemed', linkId: state.linkId, role: state.role, subject: state.subject, sessionExpiresAt: event.data.sessionExpiresAt }
          : state;
      case 'SignInSessionEnded':
        return state.status === 'none' ? state : { status: 'ended', linkId: state.linkId };
      default:
        return assertNever(event);
    }
  },

  decide(command, state) {
    switch (command.type) {
      case 'IssueSignInLink': {
        if (state.status !== 'none') throw PageErrors.linkExists();
        if (command.subjectStatus === 'erased') throw PageErrors.subjectErased(command.subject);
        if (command.subjectStatus !== 'active') throw PageErrors.subjectNotFound(command.role, command.subject);
        return [
          {
            type: 'SignInLinkIssued',
            data: {
              linkId: command.linkId,
              role: command.role,
              subject: command.subject,
              tokenHash: command.tokenHash,
              expiresAt: command.expiresAt,
              issuedAt: command.now,
              issuedBy: command.by,
            },
          },
        ];
      }
      case 'RedeemSignInLink':
        // One answer for every reason, so the page tells a guesser nothing.
        if (state.status !== 'issued' || state.expiresAt <= command.now || command.subjectStatus !== 'active') throw PageErrors.linkInvalid();
        return [
          {
            type: 'SignInLinkRedeemed',
            data: { linkId: state.linkId, sessionHash: command.sessionHash, sessionExpiresAt: command.sessionExpiresAt, redeemedAt: command.now },
          },
        ];
      case 'EndSignInSession':
        if (state.status !== 'redeemed') throw PageErrors.sessionEnded();
        return [{ type: 'SignInSessionEnded', data: { linkId: state.linkId, reason: 'signed-out', endedAt: command.now } }];
      default:
        return assertNever(command);
    }
  },
};

export const signInLinkStream = (linkId: string): string => `sign-in-link-${linkId}`;
