import { EventDefinition, JsonSchema, S } from '../../shared/event-schema';
import { MAX_MINUTES } from './labour/labour-exchange.decider';
import { LOAN_INTERVALS, MAX_INSTALMENTS } from './money-loan/money-loan.decider';
import { RESOURCE_BASE_STATUSES, RESOURCE_KINDS } from './resource/resource.decider';

/**
 * Every event the lending module writes, with the schema of its data. The lengths are the DTOs'
 * (src/modules/lending/lending.dto.ts): what the edge accepts, the catalogue accepts, and nothing
 * else reaches the log. Fund events written with loans (holds and entries) are the funds
 * module's and are defined in its catalogue.
 */

const actor = S.text(200);
const constant = (value: string): JsonSchema => S.enumOf([value]);
const fundLender = S.object({ kind: constant('fund'), fundId: S.uuid, fundCode: S.text(40) });
const cooperativeLender = S.object({ kind: constant('cooperative'), cooperativeId: S.uuid });
const repayment = S.object({ interval: S.enumOf(LOAN_INTERVALS), instalments: S.int(1, MAX_INSTALMENTS), firstDueOn: S.day });
/** Version 1 of a repayment plan spelt the count `installments`; events in the log keep that spelling. */
const repaymentV1 = S.object({ interval: S.enumOf(LOAN_INTERVALS), installments: S.int(1, MAX_INSTALMENTS), firstDueOn: S.day });
const charges = S.object({ currency: S.currency, depositMinor: S.minorOrZero, feeMinor: S.minorOrZero });
const baseStatus = S.enumOf(RESOURCE_BASE_STATUSES);

function moneyLoanRequested(plan: JsonSchema): JsonSchema {
  return S.object(
    {
      loanId: S.uuid,
      lender: fundLender,
      lenderAccount: S.account,
      borrowerId: S.uuid,
      amountMinor: S.minor,
      currency: S.currency,
      purpose: S.text(500),
      disbursedOn: S.day,
      repayment: plan,
      requestedBy: actor,
      recordedAt: S.instant,
    },
    ['purpose'],
  );
}

export const LENDING_EVENTS: readonly EventDefinition[] = [
  {
    type: 'CooperativeRegistered',
    schemaVersion: 1,
    data: S.object({ cooperativeId: S.uuid, name: S.text(200), sector: S.text(100), contact: S.text(300), registeredAt: S.instant }),
  },
  { type: 'CooperativeNameReserved', schemaVersion: 1, data: S.object({ name: S.text(200), cooperativeId: S.uuid }) },
  {
    type: 'CooperativeLabourLimitSet',
    schemaVersion: 1,
    data: S.object({ cooperativeId: S.uuid, limitMinutes: S.int(0, 10_000_000), setAt: S.instant }),
  },
  {
    type: 'MoneyLoanRequested',
    // 2: the repayment plan spells `instalments` like pledges do (issue 11).
    schemaVersion: 2,
    data: moneyLoanRequested(repayment),
    upcasters: [
      {
        from: 1,
        data: moneyLoanRequested(repaymentV1),
        upcast: ({ repayment: plan, ...rest }: { repayment: { interval: string; installments: number; firstDueOn: string } }) => ({
          ...rest,
          repayment: { interval: plan.interval, instalments: plan.installments, firstDueOn: plan.firstDueOn },
        }),
      },
    ],
  },
  { type: 'MoneyLoanRejected', schemaVersion: 1, data: S.object({ loanId: S.uuid, reason: S.text(500), rejectedBy: actor, recordedAt: S.instant }) },
  {
    type: 'MoneyLoanDisbursed',
    schemaVersion: 1,
    data: S.object(
      {
        loanId: S.uuid,
        movementId: S.uuid,
        kind: constant('loan-disbursement'),
        lender: { oneOf: [fundLender, cooperativeLender] },
        lenderAccount: S.account,
        borrowerId: S.uuid,
        amountMinor: S.minor,
        currency: S.currency,
        interestRateBasisPoints: { type: 'integer', enum: [0] },
        purpose: S.text(500),
        disbursedOn: S.day,
        effectiveAt: S.instant,
        schedule: S.arrayOf(S.object({ dueOn: S.day, amountMinor: S.minor }), 1, MAX_INSTALMENTS),
        postings: S.postings,
        disbursedBy: actor,
        requestedBy: actor,
        recordedAt: S.instant,
      },
      ['purpose', 'requestedBy'],
    ),
  },
  {
    type: 'MoneyLoanRepaid',
    schemaVersion: 1,
    data: S.object({
      loanId: S.uuid,
      movementId: S.uuid,
      kind: constant('loan-repayment'),
      repaymentId: S.uuid,
      amountMinor: S.minor,
      paidOn: S.day,
      effectiveAt: S.instant,
      outstandingMinor: S.minorOrZero,
      postings: S.postings,
      recordedBy: actor,
      recordedAt: S.instant,
    }),
  },
  {
    type: 'MoneyLoanForgiven',
    schemaVersion: 1,
    data: S.object({
      loanId: S.uuid,
      movementId: S.uuid,
      kind: constant('loan-forgiveness'),
      amountMinor: S.minor,
      reason: S.text(500),
      forgivenOn: S.day,
      effectiveAt: S.instant,
      postings: S.postings,
      forgivenBy: actor,
      recordedAt: S.instant,
    }),
  },
  {
    type: 'ResourceRegistered',
    schemaVersion: 1,
    data: S.object(
      {
        resourceId: S.uuid,
        ownerId: S.uuid,
        kind: S.enumOf(RESOURCE_KINDS),
        description: S.text(500),
        condition: S.text(300),
        status: baseStatus,
        reason: S.text(500),
        registeredAt: S.instant,
      },
      ['reason'],
    ),
  },
  {
    type: 'ResourceStatusChanged',
    schemaVersion: 1,
    data: S.object({ resourceId: S.uuid, from: baseStatus, to: baseStatus, reason: S.text(500), on: S.day }, ['reason']),
  },
  {
    type: 'ThingReserved',
    schemaVersion: 1,
    data: S.object(
      {
        resourceId: S.uuid,
        loanId: S.uuid,
        ownerId: S.uuid,
        borrowerId: S.uuid,
        startOn: S.day,
        dueOn: S.day,
        reservedOn: S.day,
        reservedBy: actor,
        charges,
      },
      ['charges'],
    ),
  },
  { type: 'ThingLoanIndexed', schemaVersion: 1, data: S.object({ loanId: S.uuid, resourceId: S.uuid }) },
  {
    type: 'ThingReservationCancelled',
    schemaVersion: 1,
    data: S.object({ resourceId: S.uuid, loanId: S.uuid, reason: S.text(500), on: S.day, by: actor }),
  },
  {
    type: 'ThingChargeWaived',
    schemaVersion: 1,
    data: S.object({ resourceId: S.uuid, loanId: S.uuid, charge: S.enumOf(['deposit', 'fee']), reason: S.text(500), on: S.day, by: actor }),
  },
  {
    type: 'ThingDepositTaken',
    schemaVersion: 1,
    data: S.object({ resourceId: S.uuid, loanId: S.uuid, movementId: S.uuid, kind: constant('thing-deposit'), effectiveAt: S.instant, postings: S.postings }),
  },
  {
    type: 'ThingChargesSettled',
    schemaVersion: 1,
    data: S.object({
      resourceId: S.uuid,
      loanId: S.uuid,
      movementId: S.uuid,
      kind: constant('thing-charges'),
      depositReturnedMinor: S.minorOrZero,
      depositKeptMinor: S.minorOrZero,
      feeChargedMinor: S.minorOrZero,
      effectiveAt: S.instant,
      postings: S.postings,
    }),
  },
  { type: 'ThingCheckedOut', schemaVersion: 1, data: S.object({ resourceId: S.uuid, loanId: S.uuid, on: S.day, by: actor }) },
  {
    type: 'ThingRenewed',
    schemaVersion: 1,
    data: S.object({
      resourceId: S.uuid,
      loanId: S.uuid,
      renewalId: S.uuid,
      ownerId: S.uuid,
      borrowerId: S.uuid,
      startOn: S.day,
      dueOn: S.day,
      on: S.day,
      by: actor,
    }),
  },
  {
    type: 'ThingReturned',
    schemaVersion: 1,
    data: S.object({ resourceId: S.uuid, loanId: S.uuid, on: S.day, condition: S.text(300), late: S.bool, by: actor }),
  },
  {
    type: 'ThingLostOrDamaged',
    schemaVersion: 1,
    data: S.object({ resourceId: S.uuid, loanId: S.uuid, outcome: S.enumOf(['lost', 'damaged']), notes: S.text(500), on: S.day, by: actor }),
  },
  {
    type: 'LabourHoursProposed',
    schemaVersion: 1,
    data: S.object({
      exchangeId: S.uuid,
      workerId: S.uuid,
      receiverId: S.uuid,
      minutes: S.int(1, MAX_MINUTES),
      workedOn: S.day,
      description: S.text(500),
      proposedBy: actor,
      proposedFor: S.uuid,
      proposedAt: S.instant,
    }),
  },
  {
    type: 'LabourHoursExchanged',
    schemaVersion: 1,
    data: S.object({
      exchangeId: S.uuid,
      movementId: S.uuid,
      kind: constant('labour-exchange'),
      workerId: S.uuid,
      receiverId: S.uuid,
      minutes: S.int(1, MAX_MINUTES),
      effectiveAt: S.instant,
      confirmedBy: actor,
      confirmedFor: S.uuid,
      postings: S.postings,
      confirmedAt: S.instant,
    }),
  },
];
