import { Decider } from '../../../shared/decider';
import { assertNever } from '../../../shared/domain-error';
import { LendingErrors } from '../lending.errors';

/** A member cooperative of the lending network: who lends and borrows things, hours and money. */
export interface CooperativeRegisteredData {
  readonly cooperativeId: string;
  readonly name: string;
  readonly sector: string;
  readonly contact: string;
  readonly registeredAt: string;
}

export type CooperativeEvent =
  | { readonly type: 'CooperativeRegistered'; readonly data: CooperativeRegisteredData }
  /** The labour-hour balance past which the cooperative is flagged (never blocked). */
  | { readonly type: 'CooperativeLabourLimitSet'; readonly data: { readonly cooperativeId: string; readonly limitMinutes: number; readonly setAt: string } };

export type CooperativeCommand =
  | {
      readonly type: 'RegisterCooperative';
      readonly cooperativeId: string;
      readonly name: string;
      readonly sector: string;
      readonly contact: string;
      readonly now: string;
    }
  | { readonly type: 'SetLabourLimit'; readonly limitMinutes: number; readonly now: string };

export type CooperativeState =
  | { readonly status: 'none' }
  | { readonly status: 'member'; readonly cooperativeId: string; readonly name: string };

export function requireCooperative(state: CooperativeState, cooperativeId: string): Extract<CooperativeState, { status: 'member' }> {
  if (state.status === 'none') throw LendingErrors.cooperativeNotFound(cooperativeId);
  return state;
}

export const cooperativeDecider: Decider<CooperativeCommand, CooperativeEvent, CooperativeState> = {
  initialState: () => ({ status: 'none' }),

  evolve(state, event) {
    switch (event.type) {
      case 'CooperativeRegistered':
        return { status: 'member', cooperativeId: event.data.cooperativeId, name: event.data.name };
      case 'CooperativeLabourLimitSet':
        return state;
      default:
        return assertNever(event);
    }
  },

  decide(command, state) {
    switch (command.type) {
      case 'RegisterCooperative': {
        if (state.status !== 'none') throw LendingErrors.cooperativeExists();
        const { type: _t, now, ...data } = command;
        return [{ type: 'CooperativeRegistered', data: { ...data, registeredAt: now } }];
      }
      case 'SetLabourLimit': {
        const coop = requireCooperative(state, '');
        if (!Number.isInteger(command.limitMinutes) || command.limitMinutes < 0) {
          throw LendingErrors.labourLimitInvalid();
        }
        return [{ type: 'CooperativeLabourLimitSet', data: { cooperativeId: coop.cooperativeId, limitMinutes: command.limitMinutes, setAt: command.now } }];
      }
      default:
        return assertNever(command);
    }
  },
};

export const cooperativeStream = (cooperativeId: string): string => `cooperative-${cooperativeId}`;
/** One stream per name, created with the cooperative in the same atomic append: names stay unique. */
export const cooperativeNameStream = (name: string): string => `cooperative-name-${name.trim().toLowerCase()}`;
