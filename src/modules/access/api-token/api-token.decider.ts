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
        /** When it stops working; absent only on tokens issued before tokens expired. */
        readonly expiresAt?: string;
        /** Issued by rotating this token (revoked in the same append). */
        readonly rotatedFrom?: string;
      };
    }
  | {
      readonly type: 'ApiTokenRevoked';
      readonly data: { readonly tokenId: string; readonly reason: string; readonly revokedAt: string; readonly replacedBy?: string };
    };

/** How long a token may live at most, whatever is asked: ten years. */
export const MAX_TOKEN_LIFETIME_DAYS = 3650;
const DAY_MS = 86_400_000;

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
      /** When the token stops working: after `now`, at most MAX_TOKEN_LIFETIME_DAYS ahead. */
      readonly expiresAt?: string;
      readonly rotatedFrom?: string;
      readonly now: string;
    }
  | { readonly type: 'RevokeApiToken'; readonly tokenId: string; readonly reason: string; readonly now: string }
  /**
   * Rotation, as seen from the token rotated: it is revoked, pointing at its successor. The
   * successor's `ApiTokenIssued` is decided with IssueApiToken on its own stream (`rotatedFrom`),
   * and both are appended at once (manage-tokens.ts).
   */
  | { readonly type: 'RotateApiToken'; readonly tokenId: string; readonly replacementId: string; readonly now: string };

export type SubjectStatus = 'unknown' | 'active' | 'erased';

export type ApiTokenState =
  | { readonly status: 'none' }
  | {
      readonly status: 'active' | 'revoked';
      readonly tokenId: string;
      readonly role: Role;
      readonly name: string;
      readonly subject?: string;
      readonly expiresAt?: string;
    };

const ROLES_WITH_SUBJECT: readonly Role[] = ['sustainer', 'cooperative'];

function expiryProblem(expiresAt: string | undefined, now: string): string | undefined {
  if (expiresAt === undefined) return undefined;
  const at = Date.parse(expiresAt);
  const from = Date.parse(now);
  if (!(at > from)) return 'expiresAt must be in the future';
  if (at - from > MAX_TOKEN_LIFETIME_DAYS * DAY_MS) return `expiresAt must be at most ${MAX_TOKEN_LIFETIME_DAYS} days ahead`;
  return undefined;
}

export const apiTokenDecider: Decider<ApiTokenCommand, ApiTokenEvent, ApiTokenState> = {
  initialState: () => ({ status: 'none' }),

  evolve(state, event) {
    switch (event.type) {
      case 'ApiTokenIssued': {
        const { tokenId, role, name, subject, expiresAt } = event.data;
        return { status: 'active', tokenId, role, name, ...(subject ? { subject } : {}), ...(expiresAt ? { expiresAt } : {}) };
      }
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
        const expiry = expiryProblem(command.expiresAt, command.now);
        if (expiry) throw new DomainError('TOKEN.EXPIRY_INVALID', `The token's expiry is not possible: ${expiry}.`, 400, { field: 'expiresAt' });
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
              ...(command.expiresAt ? { expiresAt: new Date(command.expiresAt).toISOString() } : {}),
              ...(command.rotatedFrom ? { rotatedFrom: command.rotatedFrom } : {}),
            },
          },
        ];
      }
      case 'RevokeApiToken':
        if (state.status === 'none') throw new DomainError('TOKEN.NOT_FOUND', 'No such token.', 404);
        if (state.status === 'revoked') throw new DomainError('TOKEN.ALREADY_REVOKED', 'The token is already revoked.', 409);
        return [{ type: 'ApiTokenRevoked', data: { tokenId: command.tokenId, reason: command.reason, revokedAt: command.now } }];
      case 'RotateApiToken':
        if (state.status === 'none') throw new DomainError('TOKEN.NOT_FOUND', 'No such token.', 404);
        // A revoked token stays revoked: a new one is issued, not rotated out of it.
        if (state.status === 'revoked') throw new DomainError('TOKEN.ALREADY_REVOKED', 'The token is revoked; issue a new one instead.', 409);
        return [
          {
            type: 'ApiTokenRevoked',
            data: { tokenId: command.tokenId, reason: 'rotated', revokedAt: command.now, replacedBy: command.replacementId },
          },
        ];
      default:
        return assertNever(command);
    }
  },
};

export const apiTokenStream = (tokenId: string): string => `api-token-${tokenId}`;
