import { Decider } from '../../../shared/decider';
import { DomainError, assertNever } from '../../../shared/domain-error';
import { INTERVALS, Interval } from '../../../shared/schedule';
import type { FundFacts } from '../../funds/funds.domain';
import { SustainerState, requireActiveSustainer } from '../sustainer/sustainer.decider';

/** The terms in force from a date on: a pledge starts with one and each amendment adds one. */
export interface PledgeTerms {
  readonly from: string;
  readonly amountMinor: number;
  readonly interval: Interval;
}

export interface PledgeMadeData {
  readonly pledgeId: string;
  readonly sustainerId: string;
  readonly fundId: string;
  readonly fundCode: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly interval: Interval;
  readonly startDate: string;
  readonly endDate?: string;
  readonly instalments?: number;
  readonly madeAt: string;
  readonly madeBy: string;
}

/** Dates are business days (YYYY-MM-DD): what the pledge says from when, so standings can be asked `asOf` any day. */
export type PledgeEvent =
  | { readonly type: 'PledgeMade'; readonly data: PledgeMadeData }
  | { readonly type: 'PledgeAmended'; readonly data: { readonly pledgeId: string; readonly from: string; readonly amountMinor: number; readonly interval: Interval; readonly by: string } }
  | { readonly type: 'PledgePaused'; readonly data: { readonly pledgeId: string; readonly from: string; readonly reason?: string; readonly by: string } }
  | { readonly type: 'PledgeResumed'; readonly data: { readonly pledgeId: string; readonly from: string; readonly by: string } }
  | { readonly type: 'PledgeCancelled'; readonly data: { readonly pledgeId: string; readonly from: string; readonly reason: string; readonly by: string } }
  | { readonly type: 'PledgeWrittenOff'; readonly data: { readonly pledgeId: string; readonly from: string; readonly reason: string; readonly by: string } }
  /**
   * A donation against the pledge, appended to the pledge's stream in the same atomic append as
   * the donation's movement: a gift racing a cancellation meets it as a stale revision and is
   * decided again, so no gift is recorded against a pledge cancelled before it. The amounts are
   * the movement's; standings read them from the donations, with their refunds.
   */
  | { readonly type: 'PledgeGiftReceived'; readonly data: { readonly pledgeId: string; readonly donationId: string; readonly amountMinor: number; readonly receivedOn: string } };

export type PledgeCommand =
  | {
      readonly type: 'MakePledge';
      readonly pledgeId: string;
      readonly sustainer: SustainerState;
      readonly sustainerId: string;
      readonly fund: FundFacts;
      readonly amountMinor: number;
      readonly currency: string;
      readonly interval: string;
      readonly startDate: string;
      readonly endDate?: string;
      readonly instalments?: number;
      readonly by: string;
      readonly now: string;
    }
  | { readonly type: 'AmendPledge'; readonly sustainer: SustainerState; readonly from: string; readonly amountMinor: number; readonly interval: string; readonly by: string }
  | { readonly type: 'PausePledge'; readonly sustainer: SustainerState; readonly from: string; readonly reason?: string; readonly by: string }
  | { readonly type: 'ResumePledge'; readonly sustainer: SustainerState; readonly from: string; readonly by: string }
  | { readonly type: 'CancelPledge'; readonly sustainer: SustainerState; readonly from: string; readonly reason: string; readonly by: string }
  | { readonly type: 'WriteOffPledge'; readonly sustainer: SustainerState; readonly from: string; readonly reason: string; readonly by: string }
  | {
      readonly type: 'ReceiveGift';
      readonly sustainer: SustainerState;
      readonly sustainerId: string;
      readonly donationId: string;
      readonly amountMinor: number;
      readonly currency: string;
      readonly receivedOn: string;
    };

export interface PauseWindow {
  readonly from: string;
  /** Exclusive; absent while paused. */
  readonly until?: string;
}

export type PledgeState =
  | { readonly status: 'none' }
  | {
      readonly status: 'active' | 'paused' | 'cancelled' | 'written-off';
      readonly made: PledgeMadeData;
      readonly terms: readonly PledgeTerms[];
      readonly pauses: readonly PauseWindow[];
      /** Cancellation or write-off date: nothing falls due on or after it. */
      readonly endedOn?: string;
    };

type LivePledge = Extract<PledgeState, { made: PledgeMadeData }>;

/** The request field a refusal is about, in the problem's `errors` like a field refused at the edge. */
function atField(field: string, message: string): { errors: { field: string; messages: string[] }[] } {
  return { errors: [{ field, messages: [message] }] };
}

function checkInterval(interval: string): asserts interval is Interval {
  if (!(INTERVALS as readonly string[]).includes(interval)) {
    throw new DomainError('PLEDGE.INTERVAL_INVALID', `interval must be one of ${INTERVALS.join(', ')}.`, 400, { interval });
  }
}

function checkAmount(amountMinor: number): void {
  if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0) {
    throw new DomainError('PLEDGE.AMOUNT_INVALID', 'The amount must be a positive whole number of minor units.', 400);
  }
}

/** Every change after the pledge is made: it must exist, be live, and its sustainer must not be erased. */
function live(state: PledgeState, sustainer: SustainerState): LivePledge {
  if (state.status === 'none') throw new DomainError('PLEDGE.NOT_FOUND', 'No such pledge.', 404);
  requireActiveSustainer(sustainer, state.made.sustainerId);
  if (state.status === 'cancelled') throw new DomainError('PLEDGE.CANCELLED', 'The pledge is cancelled.', 409);
  if (state.status === 'written-off') throw new DomainError('PLEDGE.WRITTEN_OFF', 'The pledge was written off.', 409);
  return state;
}

/** A change takes effect from a day on or after the pledge started and after the last change. */
function checkFrom(state: LivePledge, from: string): void {
  const latest = [state.made.startDate, ...state.terms.map((t) => t.from), ...state.pauses.flatMap((p) => [p.from, p.until ?? p.from])].sort().at(-1)!;
  if (from < latest) {
    const message = `The change must take effect on or after ${latest}.`;
    throw new DomainError('PLEDGE.DATE_BEFORE_LAST_CHANGE', message, 422, { from, earliest: latest, ...atField('from', message) });
  }
}

export const pledgeDecider: Decider<PledgeCommand, PledgeEvent, PledgeState> = {
  initialState: () => ({ status: 'none' }),

  evolve(state, event) {
    if (event.type === 'PledgeMade') {
      const d = event.data;
      return { status: 'active', made: d, terms: [{ from: d.startDate, amountMinor: d.amountMinor, interval: d.interval }], pauses: [] };
    }
    if (state.status === 'none') return state;
    switch (event.type) {
      case 'PledgeAmended':
        return { ...state, terms: [...state.terms, { from: event.data.from, amountMinor: event.data.amountMinor, interval: event.data.interval }] };
      case 'PledgePaused':
        return { ...state, status: 'paused', pauses: [...state.pauses, { from: event.data.from }] };
      case 'PledgeResumed':
        return { ...state, status: 'active', pauses: state.pauses.map((p, i) => (i === state.pauses.length - 1 ? { ...p, until: event.data.from } : p)) };
      case 'PledgeCancelled':
        return { ...state, status: 'cancelled', endedOn: event.data.from };
      case 'PledgeWrittenOff':
        return { ...state, status: 'written-off', endedOn: event.data.from };
      case 'PledgeGiftReceived':
        return state;
      default:
        return assertNever(event);
    }
  },

  decide(command, state) {
    switch (command.type) {
      case 'MakePledge': {
        if (state.status !== 'none') throw new DomainError('PLEDGE.ALREADY_EXISTS', 'This pledge id is taken.', 409);
        requireActiveSustainer(command.sustainer, command.sustainerId);
        checkInterval(command.interval);
        checkAmount(command.amountMinor);
        const { fund } = command;
        if (fund.status !== 'open') throw new DomainError('FUND.CLOSED', `Fund ${fund.code} is closed.`, 409, { fundId: fund.fundId });
        if (fund.currency !== command.currency) {
          const message = `Fund ${fund.code} holds ${fund.currency}, not ${command.currency}.`;
          throw new DomainError('PLEDGE.CURRENCY_MISMATCH', message, 422, {
            fundCurrency: fund.currency,
            currency: command.currency,
            ...atField('currency', message),
          });
        }
        if (command.endDate !== undefined && command.instalments !== undefined) {
          throw new DomainError('PLEDGE.END_AMBIGUOUS', 'Give an end date or a number of instalments, not both.', 400);
        }
        if (command.endDate !== undefined && command.endDate < command.startDate) {
          const message = `The start date ${command.startDate} is after the end date ${command.endDate}.`;
          throw new DomainError('PLEDGE.START_AFTER_END', message, 422, atField('endDate', message));
        }
        if (command.instalments !== undefined && (!Number.isSafeInteger(command.instalments) || command.instalments < 1)) {
          throw new DomainError('PLEDGE.INSTALMENTS_INVALID', 'instalments must be a positive whole number.', 400);
        }
        return [
          {
            type: 'PledgeMade',
            data: {
              pledgeId: command.pledgeId,
              sustainerId: command.sustainerId,
              fundId: fund.fundId,
              fundCode: fund.code,
              amountMinor: command.amountMinor,
              currency: command.currency,
              interval: command.interval,
              startDate: command.startDate,
              ...(command.endDate !== undefined ? { endDate: command.endDate } : {}),
              // A one-off gift is one instalment whatever else was said.
              ...(command.interval === 'once' ? { instalments: 1 } : command.instalments !== undefined ? { instalments: command.instalments } : {}),
              madeAt: command.now,
              madeBy: command.by,
            },
          },
        ];
      }
      case 'AmendPledge': {
        const current = live(state, command.sustainer);
        checkInterval(command.interval);
        checkAmount(command.amountMinor);
        checkFrom(current, command.from);
        return [{ type: 'PledgeAmended', data: { pledgeId: current.made.pledgeId, from: command.from, amountMinor: command.amountMinor, interval: command.interval, by: command.by } }];
      }
      case 'PausePledge': {
        const current = live(state, command.sustainer);
        if (current.status === 'paused') throw new DomainError('PLEDGE.ALREADY_PAUSED', 'The pledge is already paused.', 409);
        checkFrom(current, command.from);
        return [{ type: 'PledgePaused', data: { pledgeId: current.made.pledgeId, from: command.from, ...(command.reason ? { reason: command.reason } : {}), by: command.by } }];
      }
      case 'ResumePledge': {
        const current = live(state, command.sustainer);
        if (current.status !== 'paused') throw new DomainError('PLEDGE.NOT_PAUSED', 'The pledge is not paused.', 409);
        checkFrom(current, command.from);
        return [{ type: 'PledgeResumed', data: { pledgeId: current.made.pledgeId, from: command.from, by: command.by } }];
      }
      case 'CancelPledge': {
        const current = live(state, command.sustainer);
        checkFrom(current, command.from);
        return [{ type: 'PledgeCancelled', data: { pledgeId: current.made.pledgeId, from: command.from, reason: command.reason, by: command.by } }];
      }
      case 'WriteOffPledge': {
        const current = live(state, command.sustainer);
        checkFrom(current, command.from);
        return [{ type: 'PledgeWrittenOff', data: { pledgeId: current.made.pledgeId, from: command.from, reason: command.reason, by: command.by } }];
      }
      case 'ReceiveGift': {
        const current = live(state, command.sustainer);
        if (current.made.sustainerId !== command.sustainerId) {
          const message = 'The pledge belongs to another sustainer.';
          throw new DomainError('DONATION.PLEDGE_OF_ANOTHER_SUSTAINER', message, 422, { pledgeId: current.made.pledgeId, ...atField('pledgeId', message) });
        }
        if (current.made.currency !== command.currency) {
          const message = `The pledge is in ${current.made.currency}, not ${command.currency}.`;
          throw new DomainError('DONATION.CURRENCY_MISMATCH', message, 422, {
            pledgeCurrency: current.made.currency,
            currency: command.currency,
            ...atField('currency', message),
          });
        }
        checkAmount(command.amountMinor);
        return [
          {
            type: 'PledgeGiftReceived',
            data: { pledgeId: current.made.pledgeId, donationId: command.donationId, amountMinor: command.amountMinor, receivedOn: command.receivedOn },
          },
        ];
      }
      default:
        return assertNever(command);
    }
  },
};

export const pledgeStream = (pledgeId: string): string => `pledge-${pledgeId}`;
