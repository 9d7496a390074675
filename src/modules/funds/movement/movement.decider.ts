import { Decider } from '../../../shared/decider';
import { assertNever } from '../../../shared/domain-error';
import { dayOf } from '../../../shared/calendar';
import { Posting, fundAccount, reversePostings } from '../../../shared/postings';
import type { Restriction } from '../fund/fund.decider';
import { DisbursementErrors, DonationErrors, FundErrors, MovementErrors, TransferErrors } from '../funds.errors';

/**
 * A movement of money: a transfer between funds, a disbursement (spending) from a fund, or
 * income received into a fund. Transfers and disbursements are two-phase (requested, then
 * approved by a different steward); income is posted at once. Any posted movement can be
 * reversed once, by a new event that points to it.
 */
export type MovementKind = 'transfer' | 'disbursement' | 'income' | 'donation';

export type DonationMethod = 'cash' | 'cheque' | 'card' | 'bank-transfer' | 'in-kind';
export const DONATION_METHODS: readonly DonationMethod[] = ['cash', 'cheque', 'card', 'bank-transfer', 'in-kind'];

/** What a donation needs to know about its giver, read by the handler from the sustainer's stream. */
export interface SustainerFacts {
  readonly sustainerId: string;
  readonly status: 'none' | 'active' | 'erased';
}

/** What a donation needs to know about the pledge it fulfils, read from the pledge's stream. */
export interface PledgeFacts {
  readonly pledgeId: string;
  readonly sustainerId: string;
  readonly fundId: string;
  readonly currency: string;
  readonly status: 'none' | 'active' | 'paused' | 'cancelled' | 'written-off';
}

/** What a decision needs to know about a fund, read by the handler from the fund's stream. */
export interface FundFacts {
  readonly fundId: string;
  readonly code: string;
  readonly currency: string;
  readonly status: 'open' | 'closed';
  readonly restriction: Restriction;
}

export interface FundEffect {
  readonly fundId: string;
  readonly deltaMinor: number;
}

export interface MovementRequestedData {
  readonly movementId: string;
  readonly kind: MovementKind;
  readonly amountMinor: number;
  readonly currency: string;
  readonly effectiveAt: string;
  readonly requestedBy: string;
  readonly requestedAt: string;
  readonly memo?: string;
  /** Transfers: source and destination funds. */
  readonly fromFundId?: string;
  readonly toFundId?: string;
  /** Disbursements and income: the one fund. */
  readonly fundId?: string;
  readonly payee?: string;
  readonly category?: string;
  readonly invoiceReference?: string;
  readonly purpose?: string;
  readonly source?: string;
  readonly reference?: string;
  /** Donations: the giver, the pledge fulfilled, how it was given and what was given back in return. */
  readonly sustainerId?: string;
  readonly pledgeId?: string;
  readonly method?: DonationMethod;
  readonly goodsServicesMinor?: number;
  /** Donations: the fund's restriction at the time of the gift; a donor's designation follows the gift. */
  readonly restriction?: Restriction;
  /** Transfers awaiting approval lapse at this instant. */
  readonly expiresAt?: string;
  /** The accounts the postings will use, fixed at request time. */
  readonly postings: readonly Posting[];
  readonly effects: readonly FundEffect[];
}

export type MovementEvent =
  | { readonly type: 'MovementRequested'; readonly data: MovementRequestedData }
  | {
      readonly type: 'MovementPosted';
      readonly data: {
        readonly movementId: string;
        readonly kind: MovementKind;
        readonly postings: readonly Posting[];
        readonly effectiveAt: string;
        readonly approvedBy?: string;
        /** Spending donor-restricted money on its purpose releases that restriction: recorded here. */
        readonly restrictionRelease?: { readonly fundId: string; readonly purpose: string; readonly amountMinor: number };
      };
    }
  | { readonly type: 'MovementRejected'; readonly data: { readonly movementId: string; readonly rejectedBy: string; readonly reason: string } }
  | { readonly type: 'MovementExpired'; readonly data: { readonly movementId: string; readonly expiredAt: string } }
  | {
      readonly type: 'MovementReversed';
      readonly data: {
        readonly movementId: string;
        readonly kind: MovementKind;
        readonly reversalOf: string;
        readonly postings: readonly Posting[];
        readonly effectiveAt: string;
        readonly reason: string;
        readonly reversedBy: string;
      };
    };

/** What every command that creates a movement carries. */
interface NewMovement {
  readonly movementId: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly effectiveAt: string;
  readonly memo?: string;
  readonly by: string;
  readonly now: string;
}

export type MovementCommand =
  | (NewMovement & {
      readonly type: 'RequestTransfer';
      readonly from: FundFacts;
      readonly to: FundFacts;
      readonly expiresAt: string;
    })
  | (NewMovement & {
      readonly type: 'RequestDisbursement';
      readonly fund: FundFacts;
      readonly payee: string;
      readonly category: string;
      readonly invoiceReference: string;
      readonly purpose?: string;
    })
  | (NewMovement & {
      readonly type: 'RecordIncome';
      readonly fund: FundFacts;
      readonly source: string;
      readonly category: string;
      readonly reference?: string;
    })
  | (NewMovement & {
      readonly type: 'RecordDonation';
      readonly fund: FundFacts;
      readonly sustainer: SustainerFacts;
      readonly pledge?: PledgeFacts;
      readonly method: DonationMethod;
      readonly goodsServicesMinor: number;
    })
  /**
   * `effectiveAt` is the decision's business date (a network recording its past years approves
   * after the fact); `now` is the recording time, which alone decides whether the request expired.
   */
  | { readonly type: 'ApproveMovement'; readonly by: string; readonly effectiveAt: string; readonly now: string }
  | { readonly type: 'RejectMovement'; readonly by: string; readonly reason: string; readonly effectiveAt: string; readonly now: string }
  | { readonly type: 'ExpireMovement'; readonly now: string }
  | { readonly type: 'ReverseMovement'; readonly by: string; readonly reason: string; readonly effectiveAt: string; readonly now: string };

export type MovementState =
  | { readonly status: 'none' }
  | {
      readonly status: 'requested' | 'posted' | 'rejected' | 'expired';
      readonly request: MovementRequestedData;
      readonly reversed: boolean;
    };

function checkAmount(amountMinor: number): void {
  if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0) {
    throw MovementErrors.amountInvalid();
  }
}

function checkFund(fund: FundFacts, currency: string, role: string): void {
  if (fund.status !== 'open') {
    throw FundErrors.closed(fund);
  }
  if (fund.currency !== currency) {
    throw MovementErrors.currencyMismatch(role, fund, currency);
  }
}

/** Donor-restricted money may only go where its purpose goes. */
function checkTransferPurpose(from: FundFacts, to: FundFacts): void {
  if (from.restriction.class !== 'donor-restricted') return;
  if (to.restriction.class !== 'donor-restricted' || to.restriction.purpose !== from.restriction.purpose) {
    throw TransferErrors.purposeMismatch(from.code, from.restriction.purpose, to.code);
  }
}

function checkSpendingRestriction(fund: FundFacts, purpose: string | undefined, effectiveAt: string): void {
  const r = fund.restriction;
  if (r.class !== 'donor-restricted') return;
  if (purpose !== r.purpose) {
    throw DisbursementErrors.purposeMismatch(fund.code, r.purpose, purpose);
  }
  if (r.restrictedUntil && effectiveAt.slice(0, 10) < r.restrictedUntil) {
    throw DisbursementErrors.timeRestricted(fund.code, r.restrictedUntil);
  }
}

type RequestCommand = Extract<MovementCommand, { type: 'RequestTransfer' | 'RequestDisbursement' | 'RecordIncome' | 'RecordDonation' }>;

/**
 * A gift is only recorded from a known, unerased sustainer, against a live pledge of theirs in
 * the pledge's currency. The fund is checked by checkFund like any other receiving fund.
 */
function checkDonation(command: Extract<MovementCommand, { type: 'RecordDonation' }>): void {
  const { sustainer, pledge } = command;
  if (sustainer.status === 'none') {
    throw DonationErrors.sustainerNotFound(sustainer.sustainerId);
  }
  if (sustainer.status === 'erased') {
    throw DonationErrors.sustainerErased(sustainer.sustainerId);
  }
  if (!Number.isSafeInteger(command.goodsServicesMinor) || command.goodsServicesMinor < 0 || command.goodsServicesMinor > command.amountMinor) {
    throw DonationErrors.goodsValueInvalid();
  }
  if (!DONATION_METHODS.includes(command.method)) {
    throw DonationErrors.methodInvalid(DONATION_METHODS);
  }
  if (!pledge) return;
  if (pledge.status === 'none') throw DonationErrors.pledgeNotFound(pledge.pledgeId);
  if (pledge.sustainerId !== sustainer.sustainerId) {
    throw DonationErrors.pledgeOfAnotherSustainer(pledge.pledgeId);
  }
  if (pledge.status === 'cancelled' || pledge.status === 'written-off') {
    throw DonationErrors.pledgeEnded(pledge.status, pledge.pledgeId);
  }
  if (pledge.currency !== command.currency) {
    throw DonationErrors.currencyMismatch(pledge.currency, command.currency);
  }
}

/** What every new movement records, after the checks every new movement needs. */
function requestBasics(command: RequestCommand, state: MovementState, kind: MovementKind) {
  if (state.status !== 'none') throw MovementErrors.alreadyExists();
  checkAmount(command.amountMinor);
  return {
    movementId: command.movementId,
    kind,
    amountMinor: command.amountMinor,
    currency: command.currency,
    effectiveAt: command.effectiveAt,
    requestedBy: command.by,
    requestedAt: command.now,
    ...(command.memo ? { memo: command.memo } : {}),
  };
}

/**
 * A decision on a movement (approval, rejection, reversal) is dated when it happened, which is
 * never later than it is recorded. `since` is the first day it could have been taken.
 */
function checkDecisionDate(
  effectiveAt: string,
  now: string,
  since: string,
  code: 'MOVEMENT.DATE_BEFORE_REQUEST' | 'MOVEMENT.REVERSAL_BEFORE_ORIGINAL',
): void {
  if (effectiveAt > now) {
    throw MovementErrors.dateInFuture(effectiveAt);
  }
  if (dayOf(effectiveAt) < dayOf(since)) {
    throw MovementErrors.dateTooEarly(code, dayOf(since), effectiveAt);
  }
}

/**
 * A request exists from the earlier of its business date and its recording: a request loaded
 * from past years is dated then, while a payment scheduled for next month can be approved today.
 */
function requestDay(request: MovementRequestedData): string {
  return request.effectiveAt < request.requestedAt ? request.effectiveAt : request.requestedAt;
}

function requested(state: MovementState): Extract<MovementState, { request: MovementRequestedData }> {
  if (state.status === 'none') throw MovementErrors.noSuchMovement();
  if (state.status !== 'requested') {
    throw MovementErrors.alreadyDecided(state.status);
  }
  return state;
}

export const movementDecider: Decider<MovementCommand, MovementEvent, MovementState> = {
  initialState: () => ({ status: 'none' }),

  evolve(state, event) {
    switch (event.type) {
      case 'MovementRequested':
        return { status: 'requested', request: event.data, reversed: false };
      case 'MovementPosted':
        return state.status === 'none' ? state : { ...state, status: 'posted' };
      case 'MovementRejected':
        return state.status === 'none' ? state : { ...state, status: 'rejected' };
      case 'MovementExpired':
        return state.status === 'none' ? state : { ...state, status: 'expired' };
      case 'MovementReversed':
        return state.status === 'none' ? state : { ...state, reversed: true };
      default:
        return assertNever(event);
    }
  },

  decide(command, state) {
    switch (command.type) {
      case 'RequestTransfer': {
        const basics = requestBasics(command, state, 'transfer');
        if (command.from.fundId === command.to.fundId) {
          throw TransferErrors.sameFund();
        }
        checkFund(command.from, command.currency, 'source');
        checkFund(command.to, command.currency, 'destination');
        checkTransferPurpose(command.from, command.to);
        const posting: Posting = {
          from: fundAccount(command.from.code),
          to: fundAccount(command.to.code),
          amountMinor: command.amountMinor,
          asset: command.currency,
        };
        return [
          {
            type: 'MovementRequested',
            data: {
              ...basics,
              fromFundId: command.from.fundId,
              toFundId: command.to.fundId,
              expiresAt: command.expiresAt,
              postings: [posting],
              effects: [
                { fundId: command.from.fundId, deltaMinor: -command.amountMinor },
                { fundId: command.to.fundId, deltaMinor: command.amountMinor },
              ],
            },
          },
        ];
      }
      case 'RequestDisbursement': {
        const basics = requestBasics(command, state, 'disbursement');
        checkFund(command.fund, command.currency, 'paying');
        checkSpendingRestriction(command.fund, command.purpose, command.effectiveAt);
        return [
          {
            type: 'MovementRequested',
            data: {
              ...basics,
              fundId: command.fund.fundId,
              payee: command.payee,
              category: command.category,
              invoiceReference: command.invoiceReference,
              ...(command.purpose ? { purpose: command.purpose } : {}),
              postings: [
                { from: fundAccount(command.fund.code), to: `vendor:${command.payee}`, amountMinor: command.amountMinor, asset: command.currency },
              ],
              effects: [{ fundId: command.fund.fundId, deltaMinor: -command.amountMinor }],
            },
          },
        ];
      }
      case 'RecordIncome': {
        const basics = requestBasics(command, state, 'income');
        checkFund(command.fund, command.currency, 'receiving');
        const postings: Posting[] = [
          { from: `income:${command.source}`, to: fundAccount(command.fund.code), amountMinor: command.amountMinor, asset: command.currency },
        ];
        return [
          {
            type: 'MovementRequested',
            data: {
              ...basics,
              fundId: command.fund.fundId,
              source: command.source,
              category: command.category,
              ...(command.reference ? { reference: command.reference } : {}),
              postings,
              effects: [{ fundId: command.fund.fundId, deltaMinor: command.amountMinor }],
            },
          },
          { type: 'MovementPosted', data: { movementId: command.movementId, kind: 'income', postings, effectiveAt: command.effectiveAt } },
        ];
      }
      case 'RecordDonation': {
        const basics = requestBasics(command, state, 'donation');
        checkDonation(command);
        checkFund(command.fund, command.currency, 'receiving');
        // The giver's account is the source: a sustainer's lifetime giving is the negative of its balance.
        const postings: Posting[] = [
          {
            from: `sustainer:${command.sustainer.sustainerId}`,
            to: fundAccount(command.fund.code),
            amountMinor: command.amountMinor,
            asset: command.currency,
          },
        ];
        return [
          {
            type: 'MovementRequested',
            data: {
              ...basics,
              fundId: command.fund.fundId,
              sustainerId: command.sustainer.sustainerId,
              ...(command.pledge ? { pledgeId: command.pledge.pledgeId } : {}),
              method: command.method,
              goodsServicesMinor: command.goodsServicesMinor,
              restriction: command.fund.restriction,
              postings,
              effects: [{ fundId: command.fund.fundId, deltaMinor: command.amountMinor }],
            },
          },
          { type: 'MovementPosted', data: { movementId: command.movementId, kind: 'donation', postings, effectiveAt: command.effectiveAt } },
        ];
      }
      case 'ApproveMovement': {
        const current = requested(state);
        const r = current.request;
        if (command.by === r.requestedBy) {
          throw MovementErrors.selfApproval();
        }
        if (r.expiresAt && command.now >= r.expiresAt) {
          throw MovementErrors.expired(r.expiresAt);
        }
        checkDecisionDate(command.effectiveAt, command.now, requestDay(r), 'MOVEMENT.DATE_BEFORE_REQUEST');
        return [
          {
            type: 'MovementPosted',
            data: {
              movementId: r.movementId,
              kind: r.kind,
              postings: r.postings,
              effectiveAt: r.effectiveAt,
              approvedBy: command.by,
              ...(r.kind === 'disbursement' && r.purpose && r.fundId
                ? { restrictionRelease: { fundId: r.fundId, purpose: r.purpose, amountMinor: r.amountMinor } }
                : {}),
            },
          },
        ];
      }
      case 'RejectMovement': {
        const current = requested(state);
        checkDecisionDate(command.effectiveAt, command.now, requestDay(current.request), 'MOVEMENT.DATE_BEFORE_REQUEST');
        return [{ type: 'MovementRejected', data: { movementId: current.request.movementId, rejectedBy: command.by, reason: command.reason } }];
      }
      case 'ExpireMovement': {
        const current = requested(state);
        const expiresAt = current.request.expiresAt;
        if (!expiresAt || command.now < expiresAt) {
          throw MovementErrors.notExpired();
        }
        return [{ type: 'MovementExpired', data: { movementId: current.request.movementId, expiredAt: command.now } }];
      }
      case 'ReverseMovement': {
        if (state.status === 'none') throw MovementErrors.noSuchMovement();
        if (state.status !== 'posted') {
          throw MovementErrors.notPosted(state.status);
        }
        if (state.reversed) throw MovementErrors.alreadyReversed();
        const r = state.request;
        // A correction is dated on or after what it corrects.
        checkDecisionDate(command.effectiveAt, command.now, r.effectiveAt, 'MOVEMENT.REVERSAL_BEFORE_ORIGINAL');
        return [
          {
            type: 'MovementReversed',
            data: {
              movementId: r.movementId,
              kind: r.kind,
              reversalOf: r.movementId,
              postings: reversePostings(r.postings),
              effectiveAt: command.effectiveAt,
              reason: command.reason,
              reversedBy: command.by,
            },
          },
        ];
      }
      default:
        return assertNever(command);
    }
  },
};

export const movementStream = (movementId: string): string => `movement-${movementId}`;
