import { Decider } from '../../../shared/decider';
import { assertNever } from '../../../shared/domain-error';
import { LendingErrors } from '../lending.errors';
import { Posting } from '../../../shared/postings';

/**
 * A shared resource and every loan of it. The resource's stream is the consistency boundary of
 * its bookings: reservations, check-outs, renewals and returns are decided against all of them,
 * so two overlapping reservations can never both be accepted. Overdue is never stored: it is
 * derived from the due date as of any date (see loans-of-things/loans-of-things.queries.ts).
 */
export type ResourceKind = 'equipment' | 'vehicle' | 'space' | 'other';
export const RESOURCE_KINDS: readonly ResourceKind[] = ['equipment', 'vehicle', 'space', 'other'];
/** What a steward or owner sets; `on-loan` is derived from an open check-out. */
export type ResourceBaseStatus = 'available' | 'in-repair' | 'retired';
export const RESOURCE_BASE_STATUSES: readonly ResourceBaseStatus[] = ['available', 'in-repair', 'retired'];

export type ThingLoanState = 'reserved' | 'out' | 'returned' | 'renewed' | 'lost' | 'damaged' | 'cancelled';

/**
 * Optional deposit and fee of a loan of a thing, in one currency. The deposit is taken from the
 * borrower at check-out into `deposit:<loanId>` and settled when the loan ends: back to the
 * borrower on return, kept by the owner when the thing is lost or damaged. The fee goes from
 * the borrower to the owner when the loan ends. Either can be waived by the owner (or a
 * steward): a waived fee is not charged, a waived deposit is not taken, or is given back.
 * A renewal carries the charges of the loan it extends; they are settled once, at its end.
 */
export interface Charges {
  readonly currency: string;
  readonly depositMinor: number;
  readonly feeMinor: number;
  readonly depositWaived: boolean;
  readonly feeWaived: boolean;
  /** The account holding the deposit once taken (the first loan's of a renewal chain). */
  readonly depositAccount?: string;
}

export interface ThingLoan {
  readonly charges?: Charges;
  readonly loanId: string;
  readonly borrowerId: string;
  readonly startOn: string;
  readonly dueOn: string;
  readonly state: ThingLoanState;
  readonly renewalOf?: string;
  /** The business day it went out (a renewal: the day of the renewal). */
  readonly checkedOutOn?: string;
}

export type ResourceEvent =
  | {
      readonly type: 'ResourceRegistered';
      readonly data: {
        readonly resourceId: string;
        readonly ownerId: string;
        readonly kind: ResourceKind;
        readonly description: string;
        readonly condition: string;
        readonly status: ResourceBaseStatus;
        readonly reason?: string;
        readonly registeredAt: string;
      };
    }
  | {
      readonly type: 'ResourceStatusChanged';
      readonly data: { readonly resourceId: string; readonly from: ResourceBaseStatus; readonly to: ResourceBaseStatus; readonly reason?: string; readonly on: string };
    }
  | {
      readonly type: 'ThingReserved';
      readonly data: {
        readonly resourceId: string;
        readonly loanId: string;
        readonly ownerId: string;
        readonly borrowerId: string;
        readonly startOn: string;
        readonly dueOn: string;
        readonly reservedOn: string;
        readonly reservedBy: string;
        readonly charges?: { readonly currency: string; readonly depositMinor: number; readonly feeMinor: number };
      };
    }
  | { readonly type: 'ThingReservationCancelled'; readonly data: { readonly resourceId: string; readonly loanId: string; readonly reason: string; readonly on: string; readonly by: string } }
  | { readonly type: 'ThingChargeWaived'; readonly data: { readonly resourceId: string; readonly loanId: string; readonly charge: 'deposit' | 'fee'; readonly reason: string; readonly on: string; readonly by: string } }
  | {
      readonly type: 'ThingDepositTaken';
      readonly data: { readonly resourceId: string; readonly loanId: string; readonly movementId: string; readonly kind: 'thing-deposit'; readonly effectiveAt: string; readonly postings: readonly Posting[] };
    }
  | {
      readonly type: 'ThingChargesSettled';
      readonly data: {
        readonly resourceId: string;
        readonly loanId: string;
        readonly movementId: string;
        readonly kind: 'thing-charges';
        readonly depositReturnedMinor: number;
        readonly depositKeptMinor: number;
        readonly feeChargedMinor: number;
        readonly effectiveAt: string;
        readonly postings: readonly Posting[];
      };
    }
  | { readonly type: 'ThingCheckedOut'; readonly data: { readonly resourceId: string; readonly loanId: string; readonly on: string; readonly by: string } }
  | {
      readonly type: 'ThingRenewed';
      readonly data: {
        readonly resourceId: string;
        /** The loan this renewal extends; it ends on the day of the renewal. */
        readonly loanId: string;
        readonly renewalId: string;
        readonly ownerId: string;
        readonly borrowerId: string;
        readonly startOn: string;
        readonly dueOn: string;
        readonly on: string;
        readonly by: string;
      };
    }
  | {
      readonly type: 'ThingReturned';
      readonly data: { readonly resourceId: string; readonly loanId: string; readonly on: string; readonly condition: string; readonly late: boolean; readonly by: string };
    }
  | {
      readonly type: 'ThingLostOrDamaged';
      readonly data: { readonly resourceId: string; readonly loanId: string; readonly outcome: 'lost' | 'damaged'; readonly notes: string; readonly on: string; readonly by: string };
    };

export type ResourceCommand =
  | {
      readonly type: 'RegisterResource';
      readonly resourceId: string;
      readonly ownerId: string;
      readonly kind: ResourceKind;
      readonly description: string;
      readonly condition: string;
      readonly status: ResourceBaseStatus;
      readonly reason?: string;
      readonly now: string;
    }
  | { readonly type: 'ChangeResourceStatus'; readonly status: ResourceBaseStatus; readonly reason?: string; readonly now: string }
  | {
      readonly type: 'ReserveThing';
      readonly loanId: string;
      readonly borrowerId: string;
      readonly startOn: string;
      readonly dueOn: string;
      readonly charges?: { readonly currency: string; readonly depositMinor: number; readonly feeMinor: number };
      readonly by: string;
      readonly now: string;
    }
  | { readonly type: 'CancelReservation'; readonly loanId: string; readonly reason: string; readonly by: string; readonly now: string }
  | { readonly type: 'WaiveCharge'; readonly loanId: string; readonly charge: 'deposit' | 'fee'; readonly reason: string; readonly by: string; readonly now: string }
  /**
   * Check-outs, renewals, returns and losses may be recorded after the fact: `on` is the
   * business day it happened (default today), never in the future and never before what it
   * depends on. The clock's `now` stays the moment it was recorded.
   */
  | { readonly type: 'CheckOutThing'; readonly loanId: string; readonly on?: string; readonly by: string; readonly now: string }
  | { readonly type: 'RenewThing'; readonly loanId: string; readonly renewalId: string; readonly dueOn: string; readonly on?: string; readonly by: string; readonly now: string }
  | { readonly type: 'ReturnThing'; readonly loanId: string; readonly condition: string; readonly on?: string; readonly by: string; readonly now: string }
  | {
      readonly type: 'ReportLostOrDamaged';
      readonly loanId: string;
      readonly outcome: 'lost' | 'damaged';
      readonly notes: string;
      readonly on?: string;
      readonly by: string;
      readonly now: string;
    };

export interface RegisteredResource {
  readonly status: ResourceBaseStatus;
  readonly resourceId: string;
  readonly ownerId: string;
  readonly loans: ReadonlyMap<string, ThingLoan>;
}

export type ResourceState = { readonly status: 'none' } | RegisteredResource;

export function requireResource(state: ResourceState): RegisteredResource {
  if (state.status === 'none') throw LendingErrors.noSuchResource();
  return state;
}

export function requireThingLoan(resource: RegisteredResource, loanId: string): ThingLoan {
  const loan = resource.loans.get(loanId);
  if (!loan) throw LendingErrors.loanNotFound(loanId);
  return loan;
}

const ACTIVE: readonly ThingLoanState[] = ['reserved', 'out'];

function withLoan(state: ResourceState, loanId: string, update: (loan: ThingLoan) => ThingLoan): ResourceState {
  if (state.status === 'none') return state;
  const loans = new Map(state.loans);
  const loan = loans.get(loanId);
  if (loan) loans.set(loanId, update(loan));
  return { ...state, loans };
}

function addLoan(state: ResourceState, loan: ThingLoan): ResourceState {
  if (state.status === 'none') return state;
  return { ...state, loans: new Map(state.loans).set(loan.loanId, loan) };
}

function requireRetiredReason(status: ResourceBaseStatus, reason: string | undefined): void {
  if (status === 'retired' && !reason) throw LendingErrors.retireReasonRequired();
}

/** The business day a fact happened: the one given, or today; never in the future. */
export function factDay(on: string | undefined, today: string, field: string): string {
  const day = on ?? today;
  if (day > today) throw LendingErrors.factDateInFuture(field);
  return day;
}

/** A loan's end (return, loss, renewal) is on or after the day it went out. */
function requireAfterCheckout(loan: ThingLoan, day: string, field: string): void {
  if (loan.checkedOutOn !== undefined && day < loan.checkedOutOn) {
    throw LendingErrors.beforeCheckout(field, loan.checkedOutOn);
  }
}

function requireDates(startOn: string, dueOn: string): void {
  if (dueOn < startOn) throw LendingErrors.dueBeforeStart();
}

/** Another active booking whose days [startOn, dueOn] meet these. */
function overlapping(resource: RegisteredResource, startOn: string, dueOn: string, except: string): ThingLoan | undefined {
  for (const loan of resource.loans.values()) {
    if (loan.loanId === except || !ACTIVE.includes(loan.state)) continue;
    if (loan.startOn <= dueOn && startOn <= loan.dueOn) return loan;
  }
  return undefined;
}

function requireLendable(resource: RegisteredResource): void {
  if (resource.status === 'retired') throw LendingErrors.resourceRetired(resource.resourceId);
  if (resource.status === 'in-repair') throw LendingErrors.resourceInRepair(resource.resourceId);
}

function requireOut(loan: ThingLoan): void {
  if (loan.state === 'out') return;
  if (loan.state === 'returned') throw LendingErrors.alreadyReturned(loan.loanId);
  throw LendingErrors.notOut(loan.loanId, loan.state);
}

export const resourceDecider: Decider<ResourceCommand, ResourceEvent, ResourceState> = {
  initialState: () => ({ status: 'none' }),

  evolve(state, event) {
    switch (event.type) {
      case 'ResourceRegistered':
        return { status: event.data.status, resourceId: event.data.resourceId, ownerId: event.data.ownerId, loans: new Map() };
      case 'ResourceStatusChanged':
        return state.status === 'none' ? state : { ...state, status: event.data.to };
      case 'ThingReserved': {
        const d = event.data;
        return addLoan(state, {
          loanId: d.loanId,
          borrowerId: d.borrowerId,
          startOn: d.startOn,
          dueOn: d.dueOn,
          state: 'reserved',
          ...(d.charges ? { charges: { ...d.charges, depositWaived: false, feeWaived: false } } : {}),
        });
      }
      case 'ThingReservationCancelled':
        return withLoan(state, event.data.loanId, (l) => ({ ...l, state: 'cancelled' }));
      case 'ThingChargeWaived':
        return withLoan(state, event.data.loanId, (l) =>
          l.charges ? { ...l, charges: { ...l.charges, ...(event.data.charge === 'deposit' ? { depositWaived: true } : { feeWaived: true }) } } : l,
        );
      case 'ThingDepositTaken':
        return withLoan(state, event.data.loanId, (l) => (l.charges ? { ...l, charges: { ...l.charges, depositAccount: depositAccount(l.loanId) } } : l));
      case 'ThingChargesSettled':
        return withLoan(state, event.data.loanId, (l) => {
          const { charges: _c, ...rest } = l;
          return rest;
        });
      case 'ThingCheckedOut':
        return withLoan(state, event.data.loanId, (l) => ({ ...l, state: 'out', checkedOutOn: event.data.on }));
      case 'ThingRenewed': {
        const d = event.data;
        const charges = state.status === 'none' ? undefined : state.loans.get(d.loanId)?.charges;
        const ended = withLoan(state, d.loanId, (l) => {
          const { charges: _c, ...rest } = l;
          return { ...rest, state: 'renewed' };
        });
        return addLoan(ended, { loanId: d.renewalId, borrowerId: d.borrowerId, startOn: d.startOn, dueOn: d.dueOn, state: 'out', renewalOf: d.loanId, checkedOutOn: d.on, ...(charges ? { charges } : {}) });
      }
      case 'ThingReturned':
        return withLoan(state, event.data.loanId, (l) => ({ ...l, state: 'returned' }));
      case 'ThingLostOrDamaged':
        return withLoan(state, event.data.loanId, (l) => ({ ...l, state: event.data.outcome }));
      default:
        return assertNever(event);
    }
  },

  decide(command, state) {
    const today = 'now' in command ? command.now.slice(0, 10) : '';
    switch (command.type) {
      case 'RegisterResource': {
        if (state.status !== 'none') throw LendingErrors.resourceExists();
        requireRetiredReason(command.status, command.reason);
        const { type: _t, now, reason, ...data } = command;
        return [{ type: 'ResourceRegistered', data: { ...data, ...(reason ? { reason } : {}), registeredAt: now } }];
      }
      case 'ChangeResourceStatus': {
        const resource = requireResource(state);
        if (resource.status === command.status) throw LendingErrors.statusUnchanged(command.status);
        requireRetiredReason(command.status, command.reason);
        if (command.status !== 'available' && [...resource.loans.values()].some((l) => l.state === 'out')) {
          throw LendingErrors.onLoanComesBackFirst();
        }
        return [
          {
            type: 'ResourceStatusChanged',
            data: { resourceId: resource.resourceId, from: resource.status, to: command.status, ...(command.reason ? { reason: command.reason } : {}), on: today },
          },
        ];
      }
      case 'ReserveThing': {
        const resource = requireResource(state);
        requireDates(command.startOn, command.dueOn);
        requireLendable(resource);
        if (command.borrowerId === resource.ownerId) throw LendingErrors.ownResource();
        if (command.startOn < today) throw LendingErrors.startInPast();
        if (command.charges) {
          const { depositMinor, feeMinor } = command.charges;
          if (![depositMinor, feeMinor].every((n) => Number.isSafeInteger(n) && n >= 0) || depositMinor + feeMinor === 0) {
            throw LendingErrors.chargeAmountsInvalid();
          }
        }
        const clash = overlapping(resource, command.startOn, command.dueOn, '');
        if (clash) {
          throw LendingErrors.reservationOverlaps(clash.startOn, clash.dueOn);
        }
        return [
          {
            type: 'ThingReserved',
            data: {
              resourceId: resource.resourceId,
              loanId: command.loanId,
              ownerId: resource.ownerId,
              borrowerId: command.borrowerId,
              startOn: command.startOn,
              dueOn: command.dueOn,
              reservedOn: today,
              reservedBy: command.by,
              ...(command.charges ? { charges: command.charges } : {}),
            },
          },
        ];
      }
      case 'CheckOutThing': {
        const resource = requireResource(state);
        const loan = requireThingLoan(resource, command.loanId);
        if (loan.state !== 'reserved') throw LendingErrors.notReserved(loan.loanId, loan.state);
        requireLendable(resource);
        if ([...resource.loans.values()].some((l) => l.state === 'out')) {
          throw LendingErrors.alreadyLentOut(resource.resourceId);
        }
        const on = factDay(command.on, today, 'checkedOutOn');
        // The reservation starts on or after the day it was made, which is on or after the resource was registered.
        if (on < loan.startOn) throw LendingErrors.notStarted(loan.startOn);
        if (on > loan.dueOn) throw LendingErrors.reservationLapsed(loan.dueOn);
        const events: ResourceEvent[] = [{ type: 'ThingCheckedOut', data: { resourceId: resource.resourceId, loanId: loan.loanId, on, by: command.by } }];
        const c = loan.charges;
        if (c && c.depositMinor > 0 && !c.depositWaived) {
          events.push({
            type: 'ThingDepositTaken',
            data: {
              resourceId: resource.resourceId,
              loanId: loan.loanId,
              movementId: loan.loanId,
              kind: 'thing-deposit',
              effectiveAt: `${on}T00:00:00.000Z`,
              postings: [{ from: `coop:${loan.borrowerId}`, to: depositAccount(loan.loanId), amountMinor: c.depositMinor, asset: c.currency }],
            },
          });
        }
        return events;
      }
      case 'CancelReservation': {
        const resource = requireResource(state);
        const loan = requireThingLoan(resource, command.loanId);
        if (loan.state !== 'reserved') throw LendingErrors.notReserved(loan.loanId, loan.state);
        return [{ type: 'ThingReservationCancelled', data: { resourceId: resource.resourceId, loanId: loan.loanId, reason: command.reason, on: today, by: command.by } }];
      }
      case 'WaiveCharge': {
        const resource = requireResource(state);
        const loan = requireThingLoan(resource, command.loanId);
        if (!ACTIVE.includes(loan.state)) throw LendingErrors.chargesSettled(loan.loanId, loan.state);
        const c = loan.charges;
        const amount = command.charge === 'deposit' ? c?.depositMinor : c?.feeMinor;
        if (!c || !amount) throw LendingErrors.noSuchCharge(loan.loanId, command.charge);
        if (command.charge === 'deposit' ? c.depositWaived : c.feeWaived) throw LendingErrors.chargeAlreadyWaived(command.charge);
        return [{ type: 'ThingChargeWaived', data: { resourceId: resource.resourceId, loanId: loan.loanId, charge: command.charge, reason: command.reason, on: today, by: command.by } }];
      }
      case 'RenewThing': {
        const resource = requireResource(state);
        const loan = requireThingLoan(resource, command.loanId);
        requireOut(loan);
        const on = factDay(command.on, today, 'renewedOn');
        requireAfterCheckout(loan, on, 'renewedOn');
        if (command.dueOn <= loan.dueOn) throw LendingErrors.renewalNotPastDue(loan.dueOn);
        const clash = overlapping(resource, loan.dueOn, command.dueOn, loan.loanId);
        if (clash) {
          throw LendingErrors.reservedByAnother(clash.startOn, clash.dueOn);
        }
        return [
          {
            type: 'ThingRenewed',
            data: {
              resourceId: resource.resourceId,
              loanId: loan.loanId,
              renewalId: command.renewalId,
              ownerId: resource.ownerId,
              borrowerId: loan.borrowerId,
              startOn: loan.dueOn,
              dueOn: command.dueOn,
              on,
              by: command.by,
            },
          },
        ];
      }
      case 'ReturnThing': {
        const resource = requireResource(state);
        const loan = requireThingLoan(resource, command.loanId);
        requireOut(loan);
        const on = factDay(command.on, today, 'returnedOn');
        requireAfterCheckout(loan, on, 'returnedOn');
        return [
          {
            type: 'ThingReturned',
            data: { resourceId: resource.resourceId, loanId: loan.loanId, on, condition: command.condition, late: on > loan.dueOn, by: command.by },
          },
          ...settle(resource, loan, false, on),
        ];
      }
      case 'ReportLostOrDamaged': {
        const resource = requireResource(state);
        const loan = requireThingLoan(resource, command.loanId);
        requireOut(loan);
        const on = factDay(command.on, today, 'reportedOn');
        requireAfterCheckout(loan, on, 'reportedOn');
        const to: ResourceBaseStatus = command.outcome === 'lost' ? 'retired' : 'in-repair';
        return [
          { type: 'ThingLostOrDamaged', data: { resourceId: resource.resourceId, loanId: loan.loanId, outcome: command.outcome, notes: command.notes, on, by: command.by } },
          ...settle(resource, loan, true, on),
          ...(resource.status === to
            ? []
            : [{ type: 'ResourceStatusChanged' as const, data: { resourceId: resource.resourceId, from: resource.status, to, reason: `${command.outcome} on loan ${loan.loanId}`, on } }]),
        ];
      }
      default:
        return assertNever(command);
    }
  },
};

export const depositAccount = (loanId: string): string => `deposit:${loanId}`;

/** The end of a loan settles its charges: the deposit back (or kept when lost or damaged), the fee paid. */
function settle(resource: RegisteredResource, loan: ThingLoan, keepDeposit: boolean, today: string): ResourceEvent[] {
  const c = loan.charges;
  if (!c) return [];
  const borrower = `coop:${loan.borrowerId}`;
  const owner = `coop:${resource.ownerId}`;
  const postings: Posting[] = [];
  let returned = 0;
  let kept = 0;
  if (c.depositAccount) {
    if (keepDeposit && !c.depositWaived) kept = c.depositMinor;
    else returned = c.depositMinor;
    postings.push({ from: c.depositAccount, to: kept ? owner : borrower, amountMinor: c.depositMinor, asset: c.currency });
  }
  const fee = c.feeWaived ? 0 : c.feeMinor;
  if (fee > 0) postings.push({ from: borrower, to: owner, amountMinor: fee, asset: c.currency });
  if (postings.length === 0) return [];
  return [
    {
      type: 'ThingChargesSettled',
      data: {
        resourceId: resource.resourceId,
        loanId: loan.loanId,
        movementId: loan.loanId,
        kind: 'thing-charges',
        depositReturnedMinor: returned,
        depositKeptMinor: kept,
        feeChargedMinor: fee,
        effectiveAt: `${today}T00:00:00.000Z`,
        postings,
      },
    },
  ];
}

export const resourceStream = (resourceId: string): string => `resource-${resourceId}`;
/** Which resource a loan of a thing belongs to: one event, appended with the reservation. */
export const thingLoanStream = (loanId: string): string => `thing-loan-${loanId}`;
