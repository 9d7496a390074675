import { EventDefinition, JsonSchema, S } from '../../shared/event-schema';
import { DONATION_METHODS } from './movement/movement.decider';
import { RESTRICTION_CLASSES } from './fund/fund.decider';

/**
 * Every event the funds module writes: the funds (and their code reservations and the seed), the
 * fund-side entries and holds (written by other modules too: land-trust improvements and money
 * loans post into funds through the fund decider, so these schemas accept what they write), and
 * the money movements. Business dates inside `data` are stored UTC instants, as the writers
 * normalise them; the envelope's own `effectiveAt` is checked by the catalogue itself.
 */

const FUND_CODE: JsonSchema = { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{1,39}$' };
/** Who did it: `token:<id>` or `system:<process>`. */
const ACTOR = S.text(200);
/**
 * The key of a fund entry or hold. A movement's id, or another module's (a loan, a repayment,
 * an improvement's funding line `<improvement>-<fund>`, an expense's reversal `<expense>-reversal`).
 */
const ENTRY_KEY = S.text(200);
const MOVEMENT_KINDS = ['transfer', 'disbursement', 'income', 'donation'] as const;

const RESTRICTION = S.object(
  { class: S.enumOf(RESTRICTION_CLASSES), purpose: S.text(200), restrictedUntil: S.day },
  ['purpose', 'restrictedUntil'],
);

const SIGNED_MINOR: JsonSchema = { type: 'integer', minimum: -Number.MAX_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER, not: { const: 0 } };

export const FUNDS_EVENTS: readonly EventDefinition[] = [
  {
    type: 'FundOpened',
    schemaVersion: 1,
    data: S.object(
      {
        fundId: S.uuid,
        code: FUND_CODE,
        name: S.text(200),
        currency: S.currency,
        restriction: RESTRICTION,
        description: S.multiline(1000),
        openedAt: S.instant,
      },
      ['description'],
    ),
  },
  { type: 'FundCodeReserved', schemaVersion: 1, data: S.object({ code: FUND_CODE, fundId: S.uuid }) },
  { type: 'LedgerSeeded', schemaVersion: 1, data: S.object({ codes: S.arrayOf(FUND_CODE, 1, 1000), currency: S.currency }) },
  { type: 'FundClosed', schemaVersion: 1, data: S.object({ fundId: S.uuid, reason: S.text(500), closedAt: S.instant }) },
  { type: 'FundHoldPlaced', schemaVersion: 1, data: S.object({ fundId: S.uuid, movementId: ENTRY_KEY, amountMinor: S.minor }) },
  {
    type: 'FundHoldReleased',
    schemaVersion: 1,
    data: S.object({
      fundId: S.uuid,
      movementId: ENTRY_KEY,
      amountMinor: S.minor,
      reason: S.enumOf(['posted', 'rejected', 'expired', 'cancelled', 'completed']),
    }),
  },
  {
    type: 'FundHoldReduced',
    schemaVersion: 1,
    data: S.object({
      fundId: S.uuid,
      movementId: ENTRY_KEY,
      byEntry: ENTRY_KEY,
      amountMinor: S.minor,
      remainingMinor: S.minorOrZero,
      effectiveAt: S.instant,
    }),
  },
  {
    type: 'FundHoldRestored',
    schemaVersion: 1,
    data: S.object({
      fundId: S.uuid,
      movementId: ENTRY_KEY,
      byEntry: ENTRY_KEY,
      amountMinor: S.minor,
      heldMinor: S.minor,
      effectiveAt: S.instant,
    }),
  },
  {
    type: 'FundEntryPosted',
    schemaVersion: 1,
    data: S.object({ fundId: S.uuid, movementId: ENTRY_KEY, deltaMinor: SIGNED_MINOR, effectiveAt: S.instant }),
  },
  {
    type: 'MovementRequested',
    schemaVersion: 1,
    // One shape for every kind; which optional fields a kind carries is the decider's business.
    data: S.object(
      {
        movementId: S.uuid,
        kind: S.enumOf(MOVEMENT_KINDS),
        amountMinor: S.minor,
        currency: S.currency,
        effectiveAt: S.instant,
        requestedBy: ACTOR,
        requestedAt: S.instant,
        memo: S.text(500),
        fromFundId: S.uuid,
        toFundId: S.uuid,
        fundId: S.uuid,
        payee: S.text(120),
        category: S.text(60),
        invoiceReference: S.text(80),
        purpose: S.text(200),
        source: S.text(120),
        reference: S.text(80),
        sustainerId: S.uuid,
        pledgeId: S.uuid,
        method: S.enumOf(DONATION_METHODS),
        goodsServicesMinor: S.minorOrZero,
        restriction: RESTRICTION,
        expiresAt: S.instant,
        postings: S.postings,
        effects: S.arrayOf(S.object({ fundId: S.uuid, deltaMinor: SIGNED_MINOR }), 1, 2),
      },
      [
        'memo', 'fromFundId', 'toFundId', 'fundId', 'payee', 'category', 'invoiceReference', 'purpose', 'source', 'reference',
        'sustainerId', 'pledgeId', 'method', 'goodsServicesMinor', 'restriction', 'expiresAt',
      ],
    ),
  },
  {
    type: 'MovementPosted',
    schemaVersion: 1,
    data: S.object(
      {
        movementId: S.uuid,
        kind: S.enumOf(MOVEMENT_KINDS),
        postings: S.postings,
        effectiveAt: S.instant,
        approvedBy: ACTOR,
        restrictionRelease: S.object({ fundId: S.uuid, purpose: S.text(200), amountMinor: S.minor }),
      },
      ['approvedBy', 'restrictionRelease'],
    ),
  },
  { type: 'MovementRejected', schemaVersion: 1, data: S.object({ movementId: S.uuid, rejectedBy: ACTOR, reason: S.text(500) }) },
  { type: 'MovementExpired', schemaVersion: 1, data: S.object({ movementId: S.uuid, expiredAt: S.instant }) },
  {
    type: 'MovementReversed',
    schemaVersion: 1,
    data: S.object({
      movementId: S.uuid,
      kind: S.enumOf(MOVEMENT_KINDS),
      reversalOf: S.uuid,
      postings: S.postings,
      effectiveAt: S.instant,
      reason: S.text(500),
      reversedBy: ACTOR,
    }),
  },
];
