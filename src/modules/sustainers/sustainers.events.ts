import { EventDefinition, JsonSchema, S } from '../../shared/event-schema';
import { INTERVALS } from '../../shared/schedule';

/**
 * The catalogue of every event the sustainers module writes: sustainers (`sustainer-<id>`) and
 * pledges (`pledge-<id>`). Donations and refunds are movements of the funds module and are
 * defined in its catalogue. The command runner checks each new event against these schemas
 * before appending, and `ledger verify` checks the recorded ones.
 */

/** Base64 of exactly `bytes` bytes (padding included), or of up to `maxChars` characters. */
function base64(exact: { bytes: number } | { maxChars: number }): JsonSchema {
  if ('bytes' in exact) {
    const chars = Math.ceil(exact.bytes / 3) * 4;
    return { type: 'string', pattern: '^[A-Za-z0-9+/]*={0,2}$', minLength: chars, maxLength: chars };
  }
  return { type: 'string', pattern: '^[A-Za-z0-9+/]*={0,2}$', minLength: 4, maxLength: exact.maxChars };
}

/**
 * Personal data sealed with AES-256-GCM: a 96-bit IV, a 128-bit tag and the ciphertext of the
 * JSON of at most 954 characters (name, email, address), which even at four bytes a character
 * stays well under 8 KiB of base64. Nothing in clear can be stored here.
 */
const SEALED = S.object({
  alg: S.enumOf(['A256GCM']),
  iv: base64({ bytes: 12 }),
  tag: base64({ bytes: 16 }),
  ciphertext: base64({ maxChars: 8192 }),
});

/** Who recorded it: the actor id (`token:<id>`, or the operator of the command-line tool). */
const ACTOR = S.text(200);
const INTERVAL = S.enumOf(INTERVALS);
/**
 * A reason as people write it. Cancellations and write-offs recorded before the reason was
 * enforced at the edge may carry an empty one; the schema still accepts those so that logs
 * written then keep verifying. New requests without a reason are refused by the DTO.
 */
const RECORDED_REASON: JsonSchema = { type: 'string', format: 'clean-text', maxLength: 500 };

export const SUSTAINERS_EVENTS: readonly EventDefinition[] = [
  {
    type: 'SustainerRegistered',
    schemaVersion: 1,
    data: S.object({ sustainerId: S.uuid, anonymous: S.bool, personal: SEALED, registeredAt: S.instant, registeredBy: ACTOR }),
  },
  {
    type: 'SustainerErased',
    schemaVersion: 1,
    data: S.object({ sustainerId: S.uuid, erasedAt: S.instant, erasedBy: ACTOR }),
  },
  {
    type: 'PledgeMade',
    schemaVersion: 1,
    data: S.object(
      {
        pledgeId: S.uuid,
        sustainerId: S.uuid,
        fundId: S.uuid,
        fundCode: S.text(40),
        amountMinor: S.minor,
        currency: S.currency,
        interval: INTERVAL,
        startDate: S.day,
        endDate: S.day,
        instalments: S.int(1, 10_000),
        madeAt: S.instant,
        madeBy: ACTOR,
      },
      ['endDate', 'instalments'],
    ),
  },
  {
    type: 'PledgeAmended',
    schemaVersion: 1,
    data: S.object({ pledgeId: S.uuid, from: S.day, amountMinor: S.minor, interval: INTERVAL, by: ACTOR }),
  },
  {
    type: 'PledgePaused',
    schemaVersion: 1,
    data: S.object({ pledgeId: S.uuid, from: S.day, reason: S.text(500), by: ACTOR }, ['reason']),
  },
  {
    type: 'PledgeResumed',
    schemaVersion: 1,
    data: S.object({ pledgeId: S.uuid, from: S.day, by: ACTOR }),
  },
  {
    type: 'PledgeCancelled',
    schemaVersion: 1,
    data: S.object({ pledgeId: S.uuid, from: S.day, reason: RECORDED_REASON, by: ACTOR }),
  },
  {
    type: 'PledgeWrittenOff',
    schemaVersion: 1,
    data: S.object({ pledgeId: S.uuid, from: S.day, reason: RECORDED_REASON, by: ACTOR }),
  },
  {
    type: 'PledgeGiftReceived',
    schemaVersion: 1,
    data: S.object({ pledgeId: S.uuid, donationId: S.uuid, amountMinor: S.minor, receivedOn: S.day }),
  },
];
