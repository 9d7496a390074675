import { Decider } from '../../../shared/decider';
import { DomainError, assertNever, invariant } from '../../../shared/domain-error';
import { FundErrors } from '../funds.errors';
import { isIsoCurrency } from '../../../shared/money';

export type RestrictionClass = 'unrestricted' | 'board-designated' | 'donor-restricted';
export const RESTRICTION_CLASSES: readonly RestrictionClass[] = ['unrestricted', 'board-designated', 'donor-restricted'];

export interface Restriction {
  readonly class: RestrictionClass;
  /** What the money may be spent on: required for donor-restricted funds, an earmark for board-designated ones. */
  readonly purpose?: string;
  /** A time restriction (YYYY-MM-DD): donor-restricted money is held until this date. */
  readonly restrictedUntil?: string;
}

export interface FundOpenedData {
  readonly fundId: string;
  readonly code: string;
  readonly name: string;
  readonly currency: string;
  readonly restriction: Restriction;
  readonly description?: string;
  readonly openedAt: string;
}

export type FundEvent =
  | { readonly type: 'FundOpened'; readonly data: FundOpenedData }
  | { readonly type: 'FundClosed'; readonly data: { readonly fundId: string; readonly reason: string; readonly closedAt: string } }
  /** Money set aside for a pending outflow (a transfer awaiting approval): not available to spend. */
  | { readonly type: 'FundHoldPlaced'; readonly data: { readonly fundId: string; readonly movementId: string; readonly amountMinor: number } }
  | {
      readonly type: 'FundHoldReleased';
      readonly data: {
        readonly fundId: string;
        readonly movementId: string;
        readonly amountMinor: number;
        readonly reason: 'posted' | 'rejected' | 'expired' | 'cancelled' | 'completed';
      };
    }
  /**
   * Part of a hold spent: an improvement's allocation is paid out expense by expense, so its hold
   * shrinks by what each payment took and stays for the rest. `movementId` is the hold's key;
   * `effectiveAt` is the payment's business date, so the hold shrinks on the day the money left.
   * A hold reduced to zero is gone.
   */
  | {
      readonly type: 'FundHoldReduced';
      readonly data: {
        readonly fundId: string;
        readonly movementId: string;
        readonly byEntry: string;
        readonly amountMinor: number;
        readonly remainingMinor: number;
        readonly effectiveAt: string;
      };
    }
  /**
   * A reversed payment's money going back into the hold it was taken from: the work it was set
   * aside for is still under way, so the money is committed to it again, not freely available.
   */
  | {
      readonly type: 'FundHoldRestored';
      readonly data: {
        readonly fundId: string;
        readonly movementId: string;
        readonly byEntry: string;
        readonly amountMinor: number;
        readonly heldMinor: number;
        readonly effectiveAt: string;
      };
    }
  /**
   * The fund's side of a posted movement. The movement's own event carries the double-entry
   * postings; this entry is what the fund's consistency boundary needs to refuse overdrafts.
   */
  | {
      readonly type: 'FundEntryPosted';
      readonly data: { readonly fundId: string; readonly movementId: string; readonly deltaMinor: number; readonly effectiveAt: string };
    };

export type FundCommand =
  | {
      readonly type: 'OpenFund';
      readonly fundId: string;
      readonly code: string;
      readonly name: string;
      readonly currency: string;
      readonly restriction: Restriction;
      readonly description?: string;
      readonly now: string;
    }
  | { readonly type: 'CloseFund'; readonly reason: string; readonly now: string }
  | { readonly type: 'PlaceHold'; readonly movementId: string; readonly amountMinor: number }
  | { readonly type: 'ReleaseHold'; readonly movementId: string; readonly reason: 'rejected' | 'expired' | 'cancelled' | 'completed' }
  /**
   * A posted movement changes the balance; a debit may consume the movement's own whole hold, or
   * (`fromHold`) part of another hold that was set aside for it, such as an improvement's allocation.
   */
  | {
      readonly type: 'PostEntry';
      readonly movementId: string;
      readonly deltaMinor: number;
      readonly effectiveAt: string;
      readonly fromHold?: { readonly holdId: string; readonly amountMinor: number };
      /** For a credit that reverses such a payment: the part that goes back into that hold. */
      readonly toHold?: { readonly holdId: string; readonly amountMinor: number };
    };

export interface OpenFundState {
  readonly status: 'open' | 'closed';
  readonly fundId: string;
  readonly code: string;
  readonly currency: string;
  readonly restriction: Restriction;
  readonly postedMinor: number;
  /** Holds by movement id. */
  readonly holds: ReadonlyMap<string, number>;
}

export type FundState = { readonly status: 'none' } | OpenFundState;

export function heldMinor(state: OpenFundState): number {
  let total = 0;
  for (const amount of state.holds.values()) total += amount;
  return total;
}

/** Posted money less what pending outflows hold. */
export function availableMinor(state: OpenFundState): number {
  return state.postedMinor - heldMinor(state);
}

const ISO_DAY_OR_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/**
 * A business date as the ledger stores it: UTC with milliseconds (`2026-03-01T00:00:00.000Z`),
 * so every event and every answer carries one form whatever form the client sent. A value that
 * is not an ISO 8601 day or instant is returned unchanged, for the event catalogue to refuse.
 */
export function storedInstant(value: string): string {
  if (!ISO_DAY_OR_INSTANT.test(value)) return value;
  // Date.parse rolls an impossible day (2026-02-30) over into the next month: refuse it here.
  const day = Date.parse(`${value.slice(0, 10)}T00:00:00.000Z`);
  if (Number.isNaN(day) || new Date(day).toISOString().slice(0, 10) !== value.slice(0, 10)) return value;
  const time = value.length === 10 ? day : Date.parse(value);
  return Number.isNaN(time) ? value : new Date(time).toISOString();
}

export const FUND_CODE_PATTERN = /^[a-z0-9][a-z0-9-]{1,39}$/;

function checkRestriction(restriction: Restriction): void {
  if (restriction.class === 'donor-restricted' && !restriction.purpose) {
    throw FundErrors.purposeRequired();
  }
  if (restriction.class !== 'donor-restricted' && restriction.restrictedUntil) {
    throw FundErrors.timeRestrictionNotAllowed();
  }
}

function requireOpen(state: FundState): OpenFundState {
  if (state.status === 'none') throw FundErrors.noSuchFund();
  if (state.status === 'closed') throw FundErrors.closed(state);
  return state;
}

function withHolds(state: OpenFundState, update: (holds: Map<string, number>) => void): OpenFundState {
  const holds = new Map(state.holds);
  update(holds);
  return { ...state, holds };
}

function insufficient(state: OpenFundState, requestedMinor: number, availableNow: number): DomainError {
  return FundErrors.insufficientAvailable(state, requestedMinor, availableNow);
}

export const fundDecider: Decider<FundCommand, FundEvent, FundState> = {
  initialState: () => ({ status: 'none' }),

  evolve(state, event) {
    switch (event.type) {
      case 'FundOpened':
        return {
          status: 'open',
          fundId: event.data.fundId,
          code: event.data.code,
          currency: event.data.currency,
          restriction: event.data.restriction,
          postedMinor: 0,
          holds: new Map(),
        };
      case 'FundClosed':
        return state.status === 'none' ? state : { ...state, status: 'closed' };
      case 'FundHoldPlaced':
        return state.status === 'none' ? state : withHolds(state, (h) => h.set(event.data.movementId, event.data.amountMinor));
      case 'FundHoldReleased':
        return state.status === 'none' ? state : withHolds(state, (h) => h.delete(event.data.movementId));
      case 'FundHoldReduced':
        return state.status === 'none'
          ? state
          : withHolds(state, (h) => (event.data.remainingMinor > 0 ? h.set(event.data.movementId, event.data.remainingMinor) : h.delete(event.data.movementId)));
      case 'FundHoldRestored':
        return state.status === 'none' ? state : withHolds(state, (h) => h.set(event.data.movementId, event.data.heldMinor));
      case 'FundEntryPosted':
        return state.status === 'none' ? state : { ...state, postedMinor: state.postedMinor + event.data.deltaMinor };
      default:
        return assertNever(event);
    }
  },

  decide(command, state) {
    switch (command.type) {
      case 'OpenFund': {
        if (state.status !== 'none') throw FundErrors.alreadyExists();
        if (!FUND_CODE_PATTERN.test(command.code)) {
          throw FundErrors.codeInvalid();
        }
        if (!isIsoCurrency(command.currency)) {
          throw FundErrors.currencyInvalid(command.currency);
        }
        checkRestriction(command.restriction);
        return [
          {
            type: 'FundOpened',
            data: {
              fundId: command.fundId,
              code: command.code,
              name: command.name,
              currency: command.currency,
              restriction: command.restriction,
              ...(command.description ? { description: command.description } : {}),
              openedAt: command.now,
            },
          },
        ];
      }
      case 'CloseFund': {
        const fund = requireOpen(state);
        if (fund.postedMinor !== 0 || fund.holds.size > 0) {
          throw FundErrors.notEmpty(fund.code, fund.postedMinor, heldMinor(fund));
        }
        return [{ type: 'FundClosed', data: { fundId: fund.fundId, reason: command.reason, closedAt: command.now } }];
      }
      case 'PlaceHold': {
        const fund = requireOpen(state);
        invariant(!fund.holds.has(command.movementId), `hold ${command.movementId} placed twice`);
        const available = availableMinor(fund);
        if (command.amountMinor > available) throw insufficient(fund, command.amountMinor, available);
        return [{ type: 'FundHoldPlaced', data: { fundId: fund.fundId, movementId: command.movementId, amountMinor: command.amountMinor } }];
      }
      case 'ReleaseHold': {
        if (state.status === 'none') throw FundErrors.noSuchFund();
        const amount = state.holds.get(command.movementId);
        if (amount === undefined) return [];
        return [{ type: 'FundHoldReleased', data: { fundId: state.fundId, movementId: command.movementId, amountMinor: amount, reason: command.reason } }];
      }
      case 'PostEntry': {
        if (state.status === 'none') throw FundErrors.noSuchFund();
        // Money may still leave a closed fund's holds, but nothing new may arrive in it.
        if (state.status === 'closed' && command.deltaMinor > 0) requireOpen(state);
        const effectiveAt = storedInstant(command.effectiveAt);
        const events: FundEvent[] = [];
        const ownHold = state.holds.get(command.movementId);
        if (ownHold !== undefined) {
          events.push({ type: 'FundHoldReleased', data: { fundId: state.fundId, movementId: command.movementId, amountMinor: ownHold, reason: 'posted' } });
        }
        let fromHold = 0;
        if (command.fromHold) {
          const { holdId, amountMinor } = command.fromHold;
          const hold = state.holds.get(holdId);
          // The caller splits a payment over its allocation from the same fund state: a missing or
          // too small hold here is a bug in that split, not something a user can cause.
          invariant(command.deltaMinor < 0 && amountMinor > 0 && amountMinor <= -command.deltaMinor, `bad fromHold on ${command.movementId}`);
          if (hold === undefined || hold < amountMinor) {
            throw FundErrors.holdInsufficient(state, holdId, hold ?? 0, amountMinor);
          }
          fromHold = amountMinor;
          events.push({
            type: 'FundHoldReduced',
            data: {
              fundId: state.fundId,
              movementId: holdId,
              byEntry: command.movementId,
              amountMinor,
              remainingMinor: hold - amountMinor,
              effectiveAt,
            },
          });
        }
        if (command.deltaMinor < 0) {
          // Internal accounts never go below zero, and never into money other outflows hold.
          const available = availableMinor(state) + (ownHold ?? 0) + fromHold;
          if (-command.deltaMinor > available) throw insufficient(state, -command.deltaMinor, available);
        }
        events.push({
          type: 'FundEntryPosted',
          data: { fundId: state.fundId, movementId: command.movementId, deltaMinor: command.deltaMinor, effectiveAt },
        });
        if (command.toHold) {
          const { holdId, amountMinor } = command.toHold;
          invariant(command.deltaMinor > 0 && amountMinor > 0 && amountMinor <= command.deltaMinor, `bad toHold on ${command.movementId}`);
          events.push({
            type: 'FundHoldRestored',
            data: {
              fundId: state.fundId,
              movementId: holdId,
              byEntry: command.movementId,
              amountMinor,
              heldMinor: (state.holds.get(holdId) ?? 0) + amountMinor,
              effectiveAt,
            },
          });
        }
        return events;
      }
      default:
        return assertNever(command);
    }
  },
};

export const fundStream = (fundId: string): string => `fund-${fundId}`;
/** One stream per code, created with the fund in the same atomic append: codes stay unique. */
export const fundCodeStream = (code: string): string => `fund-code-${code}`;
