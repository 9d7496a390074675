import { DomainError, assertNever } from '../../../shared/domain-error';
import { Decider, Role } from '../../../shared/decider';

export type ApiTokenEvent =
  | {
      readonly type: 'ApiTokenIssued';
      readonly data: {
        readonly tokenId: string;
        readonly name: string;
        readonly role: Role;
        readonly subject?: string;
        /** SHA-256 of the secret; the secret itself is shown once and never stored. */
        readonly tokenHash: string;
        readonly issuedAt: string;
      };
    }
  | { readonly type: 'ApiTokenRevoked'; readonly data: { readonly tokenId: string; readonly reason: string; readonly revokedAt: string } };

export type ApiTokenCommand =
  | {
      readonly type: 'IssueApiToken';
      readonly tokenId: string;
      readonly name: string;
      readonly role: Role;
      readonly subject?: string;
      /**
       * What the subject's own stream says about it, read by the caller before deciding: a token
       * may only be bound to a cooperative or sustainer that exists (and, for a sustainer, was not
       * erased). Absent means not looked up, which is refused like an unknown subject.
       */
      readonly subjectStatus?: SubjectStatus;
      readonly tokenHash: string;
      readonly now: string;
    }
  | { readonly type: 'RevokeApiToken'; readonly tokenId: string; readonly reason: string; readonly now: string };

export type SubjectStatus = 'unknown' | 'active' | 'erased';

export type ApiTokenState =
  | { readonly status: 'none' }
  | { readonly status: 'active' | 'revoked'; readonly tokenId: string; readonly role: Role };

const ROLES_WITH_SUBJECT: readonly Role[] = ['sustainer', 'cooperative'];

export const apiTokenDecider: Decider<ApiTokenCommand, ApiTokenEvent, ApiTokenState> = {
  initialState: () => ({ status: 'none' }),

  evolve(state, event) {
    switch (event.type) {
      case 'ApiTokenIssued':
        return { status: 'active', tokenId: event.data.tokenId, role: event.data.role };
      case 'ApiTokenRevoked':
        return state.status === 'none' ? state : { ...state, status: 'revoked' };
      default:
        return assertNever(event);
    }
  },

  decide(command, state) {
    switch (command.type) {
      case 'IssueApiToken': {
        if (state.status !== 'none') throw new DomainError('TOKEN.ALREADY_EXISTS', 'This token id is taken.', 409);
        const needsSubject = ROLES_WITH_SUBJECT.includes(command.role);
        if (needsSubject && !command.subject) {
          throw new DomainError('TOKEN.SUBJECT_REQUIRED', `A ${command.role} token must be bound to a subject.`, 400);
        }
        if (!needsSubject && command.subject) {
          throw new DomainError('TOKEN.SUBJECT_NOT_ALLOWED', `A ${command.role} token cannot be bound to a subject.`, 400);
        }
        if (needsSubject && command.subjectStatus === 'erased') {
          throw new DomainError('TOKEN.SUBJECT_ERASED', `The ${command.role} ${command.subject} was erased; no token can act for them.`, 409, {
            subject: command.subject,
          });
        }
        if (needsSubject && command.subjectStatus !== 'active') {
          throw new DomainError('TOKEN.SUBJECT_NOT_FOUND', `There is no ${command.role} ${command.subject}.`, 404, { subject: command.subject });
        }
        return [
          {
            type: 'ApiTokenIssued',
            data: {
              tokenId: command.tokenId,
              name: command.name,
              role: command.role,
              ...(command.subject ? { subject: command.subject } : {}),
              tokenHash: command.tokenHash,
              issuedAt: command.now,
            },
          },
        ];
      }
      case 'RevokeApiToken':
        if (state.status === 'none') throw new DomainError('TOKEN.NOT_FOUND', 'No such token.', 404);
        if (state.status === 'revoked') throw new DomainError('TOKEN.ALREADY_REVOKED', 'The token is already revoked.', 409);
        return [{ type: 'ApiTokenRevoked', data: { tokenId: command.tokenId, reason: command.reason, revokedAt: command.now } }];
      default:
        return assertNever(command);
    }
  },
};

export const apiTokenStream = (tokenId: string): string => `api-token-${tokenId}`;
