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
      },
      ['subject'],
    ),
  },
  {
    type: 'ApiTokenRevoked',
    schemaVersion: 1,
    data: S.object({ tokenId: S.uuid, reason: S.text(500), revokedAt: S.instant }),
  },
];
