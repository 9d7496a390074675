import { ROLES } from '../../shared/decider';
import { EventDefinition, S } from '../../shared/event-schema';

/** The access module's events: bearer tokens issued and revoked (see api-token.decider.ts). */
export const ACCESS_EVENTS: readonly EventDefinition[] = [
  {
    type: 'ApiTokenIssued',
    schemaVersion: 1,
    data: S.object(
      {
        tokenId: S.uuid,
        name: S.text(200),
        role: S.enumOf(ROLES),
        // Text, not a UUID: tokens issued before subjects were checked may name any id. New ones
        // name an existing cooperative or sustainer (manage-tokens.ts checks it).
        subject: S.text(200),
        tokenHash: S.sha256,
        issuedAt: S.instant,
        // Tokens issued before expiry existed carry none (and do not expire); every new one does.
        expiresAt: S.instant,
        // A token issued by rotating another: the one it replaces (revoked in the same append).
        rotatedFrom: S.uuid,
      },
      ['subject', 'expiresAt', 'rotatedFrom'],
    ),
  },
  {
    type: 'ApiTokenRevoked',
    schemaVersion: 1,
    // `replacedBy`: revoked by a rotation, which issued this token in the same append.
    data: S.object({ tokenId: S.uuid, reason: S.text(500), revokedAt: S.instant, replacedBy: S.uuid }, ['replacedBy']),
  },
];
