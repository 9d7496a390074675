import { EventDefinition, JsonSchema, S } from '../../shared/event-schema';
import { INSPECTIONS, PHASES } from './improvement/improvement.decider';
import { PROPERTY_STATUSES } from './property/property.decider';

/**
 * The land trust's event catalogue: every event type its writer appends, with the schema of its
 * `data`. The command runner refuses an event that breaks it (422 `EVENT.INVALID`) and `ledger
 * verify` checks the recorded ones against it, so nothing enters the log that the land-trust
 * projection, the balances projection or verify could not handle. Fund events the writer also
 * appends (`FundHoldPlaced`, `FundHoldReduced`, …) are defined by the funds module.
 */

/** Parcel ids become a stream name (`property-parcel-<id>`): the same pattern the edge enforces. */
export const PARCEL_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._/-]{0,79}$';
/** Pseudonymous household ids (see HOUSEHOLD_ID_PATTERN in the property decider). */
const HOUSEHOLD_ID = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{3,63}$' } as JsonSchema;
const FUND_CODE = { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{1,39}$' } as JsonSchema;
/** Who did it: the actor id of the token (or the command line). */
const ACTOR = S.text(200);
/** Hold ids are derived from uuids: `improvement-<id>-<fundId>`, `improvement-increase-<id>-<fundId>`. */
const HOLD_ID = S.text(200);

const lineRequest = S.object({ fundId: S.uuid, fundCode: FUND_CODE, amountMinor: S.minor });
const allocationLine = S.object({ holdId: HOLD_ID, fundId: S.uuid, fundCode: FUND_CODE, amountMinor: S.minor, approvedOn: S.day });
const charge = S.object({ holdId: HOLD_ID, fundId: S.uuid, fundCode: FUND_CODE, amountMinor: S.minor });
const lines = (schema: JsonSchema) => S.arrayOf(schema, 1, 20);
const charges = S.arrayOf(charge, 1, 40);
const released = S.arrayOf(charge, 0, 40);

export const LAND_TRUST_EVENTS: readonly EventDefinition[] = [
  {
    type: 'PropertyRegistered',
    schemaVersion: 1,
    data: S.object({
      propertyId: S.uuid,
      address: S.text(300),
      parcelId: { type: 'string', pattern: PARCEL_ID_PATTERN },
      acquiredOn: S.day,
      status: S.enumOf(PROPERTY_STATUSES),
      registeredAt: S.instant,
    }),
  },
  {
    // The parcel's own stream, created with the property in one append: parcel ids stay unique.
    type: 'ParcelReserved',
    schemaVersion: 1,
    data: S.object({ parcelId: { type: 'string', pattern: PARCEL_ID_PATTERN }, propertyId: S.uuid }),
  },
  {
    type: 'PropertyStatusChanged',
    schemaVersion: 1,
    data: S.object(
      { propertyId: S.uuid, from: S.enumOf(PROPERTY_STATUSES), to: S.enumOf(PROPERTY_STATUSES), reason: S.text(500), changedAt: S.instant },
      ['reason'],
    ),
  },
  {
    type: 'GroundLeaseRecorded',
    schemaVersion: 1,
    data: S.object({ leaseId: S.uuid, householdId: HOUSEHOLD_ID, startsOn: S.day, termYears: S.int(1, 199), propertyId: S.uuid, recordedAt: S.instant }),
  },
  {
    // `effectiveAt` (optional, added for plans recorded after the fact): the plan's business date.
    type: 'ImprovementPlanned',
    schemaVersion: 1,
    data: S.object(
      {
        improvementId: S.uuid,
        propertyId: S.uuid,
        description: S.multiline(500),
        phase: S.enumOf(PHASES),
        estimateMinor: S.minor,
        currency: S.currency,
        fundingLines: lines(lineRequest),
        plannedBy: ACTOR,
        plannedAt: S.instant,
        effectiveAt: S.instant,
      },
      ['effectiveAt'],
    ),
  },
  {
    // `approvedAt` is when it was recorded; `effectiveAt` (optional) the business date of a back-dated approval.
    type: 'ImprovementApproved',
    schemaVersion: 1,
    data: S.object(
      { improvementId: S.uuid, propertyId: S.uuid, lines: lines(allocationLine), approvedBy: ACTOR, approvedAt: S.instant, effectiveAt: S.instant },
      ['effectiveAt'],
    ),
  },
  {
    type: 'ImprovementExpensePaid',
    schemaVersion: 1,
    data: S.object({
      improvementId: S.uuid,
      propertyId: S.uuid,
      expenseId: S.uuid,
      movementId: S.uuid,
      kind: S.enumOf(['improvement-expense']),
      phase: S.enumOf(PHASES),
      vendor: S.text(120),
      invoiceReference: S.text(80),
      amountMinor: S.minor,
      currency: S.currency,
      effectiveAt: S.instant,
      charges,
      postings: S.postings,
      restrictionReleases: S.arrayOf(S.object({ fundId: S.uuid, purpose: S.text(500), amountMinor: S.minor }), 0, 40),
      paidBy: ACTOR,
    }),
  },
  {
    type: 'ImprovementExpenseReversed',
    schemaVersion: 1,
    data: S.object({
      improvementId: S.uuid,
      propertyId: S.uuid,
      expenseId: S.uuid,
      movementId: S.uuid,
      kind: S.enumOf(['improvement-expense-reversal']),
      vendor: S.text(120),
      amountMinor: S.minor,
      currency: S.currency,
      effectiveAt: S.instant,
      reason: S.text(500),
      charges,
      postings: S.postings,
      restoredToHolds: S.bool,
      reversedBy: ACTOR,
    }),
  },
  {
    type: 'ImprovementBudgetIncreaseRequested',
    schemaVersion: 1,
    data: S.object(
      {
        improvementId: S.uuid,
        increaseId: S.uuid,
        fundingLines: lines(lineRequest),
        amountMinor: S.minor,
        reason: S.text(500),
        requestedBy: ACTOR,
        requestedAt: S.instant,
        effectiveAt: S.instant,
      },
      ['effectiveAt'],
    ),
  },
  {
    type: 'ImprovementBudgetIncreaseApproved',
    schemaVersion: 1,
    data: S.object(
      { improvementId: S.uuid, increaseId: S.uuid, lines: lines(allocationLine), approvedBy: ACTOR, approvedAt: S.instant, effectiveAt: S.instant },
      ['effectiveAt'],
    ),
  },
  {
    type: 'ImprovementCompleted',
    schemaVersion: 1,
    data: S.object(
      {
        improvementId: S.uuid,
        completedOn: S.day,
        inspection: S.enumOf(INSPECTIONS),
        inspectionNotes: S.multiline(1000),
        released,
        completedAt: S.instant,
      },
      ['inspectionNotes'],
    ),
  },
  {
    type: 'ImprovementCancelled',
    schemaVersion: 1,
    data: S.object({ improvementId: S.uuid, reason: S.text(500), released, cancelledAt: S.instant }),
  },
  {
    type: 'ResaleCreditRecorded',
    schemaVersion: 1,
    data: S.object({ improvementId: S.uuid, propertyId: S.uuid, amountMinor: S.minor, description: S.multiline(500), recordedAt: S.instant }),
  },
];
