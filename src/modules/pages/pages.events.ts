import { EventDefinition, S } from '../../shared/event-schema';

const ACTOR = S.text(200);

/**
 * The pages module's events: sign-in links and the page sessions they open (see
 * sign-in-link/sign-in-link.decider.ts). Only SHA-256 hashes of the link's secret and of the
 * session id are recorded, never the secrets.
 */
export const PAGES_EVENTS: readonly EventDefinition[] = [
  {
    type: 'SignInLinkIssued',
    schemaVersion: 1,
    data: S.object({
      linkId: S.uuid,
      role: S.enumOf(['sustainer', 'cooperative']),
      subject: S.uuid,
      tokenHash: S.sha256,
      expiresAt: S.instant,
      issuedAt: S.instant,
      issuedBy: ACTOR,
    }),
  },
  {
    type: 'SignInLinkRedeemed',
    schemaVersion: 1,
    data: S.object({ linkId: S.uuid, sessionHash: S.sha256, sessionExpiresAt: S.instant, redeemedAt: S.instant }),
  },
  {
    type: 'SignInSessionEnded',
    schemaVersion: 1,
    data: S.object({ linkId: S.uuid, reason: S.enumOf(['signed-out']), endedAt: S.instant }),
  },
];
