import { EventDefinition, S } from '../../shared/event-schema';

/** Who did it: `token:<id>` or `system:<process>`. */
const ACTOR = S.text(200);
/** An event type name as the catalogue spells them, or `*` for every deliverable type. */
const EVENT_TYPE = { type: 'string', pattern: '^(\\*|[A-Z][A-Za-z0-9]{0,79})$' };

/** Every event the webhooks module writes: the subscriptions, never their secrets. */
export const WEBHOOKS_EVENTS: readonly EventDefinition[] = [
  {
    type: 'WebhookRegistered',
    schemaVersion: 1,
    data: S.object(
      {
        subscriptionId: S.uuid,
        url: { type: 'string', minLength: 8, maxLength: 2000, pattern: '^https?://' },
        eventTypes: S.arrayOf(EVENT_TYPE, 1, 200),
        description: S.text(200),
        registeredBy: ACTOR,
        registeredAt: S.instant,
      },
      ['description'],
    ),
  },
  {
    type: 'WebhookPaused',
    schemaVersion: 1,
    data: S.object({ subscriptionId: S.uuid, pausedBy: ACTOR, pausedAt: S.instant, reason: S.text(500) }, ['reason']),
  },
  { type: 'WebhookResumed', schemaVersion: 1, data: S.object({ subscriptionId: S.uuid, resumedBy: ACTOR, resumedAt: S.instant }) },
  { type: 'WebhookDeleted', schemaVersion: 1, data: S.object({ subscriptionId: S.uuid, deletedBy: ACTOR, deletedAt: S.instant }) },
];

/**
 * What never leaves the ledger by webhook: token hashes, idempotency records (which hold whole
 * responses) and the subscriptions themselves (other subscribers' URLs).
 */
export function isDeliverableType(type: string): boolean {
  return !type.startsWith('ApiToken') && !type.startsWith('Webhook') && type !== 'IdempotentRequestRecorded';
}
