import { Decider } from '../../../shared/decider';
import { assertNever } from '../../../shared/domain-error';
import { LendingErrors } from '../lending.errors';
import { Posting } from '../../../shared/postings';

/**
 * Hours of labour one cooperative gives another, as a zero-sum transfer of minutes (asset
 * `labour-minutes`): proposed by one side, which confirms it by proposing, and posted only once
 * the counterpart confirms too. The worker cooperative's account `coop:<id>` gains what the
 * receiving cooperative's loses. Limits are not decided here: a balance past its cooperative's
 * limit is flagged by the read side, never blocked.
 */
export const LABOUR_ASSET = 'labour-minutes';
export const MAX_MINUTES = 60 * 24 * 31;

export interface LabourExchangeTerms {
  readonly exchangeId: string;
  /** The cooperative whose members did the work. */
  readonly workerId: string;
  /** The cooperative the work was done for. */
  readonly receiverId: string;
  readonly minutes: number;
  readonly workedOn: string;
  readonly description: string;
}

export type LabourExchangeEvent =
  | { readonly type: 'LabourHoursProposed'; readonly data: LabourExchangeTerms & { readonly proposedBy: string; readonly proposedFor: string; readonly proposedAt: string } }
  | {
      readonly type: 'LabourHoursExchanged';
      readonly data: {
        readonly exchangeId: string;
        readonly movementId: string;
        readonly kind: 'labour-exchange';
        readonly workerId: string;
        readonly receiverId: string;
        readonly minutes: number;
        readonly effectiveAt: string;
        readonly confirmedBy: string;
        readonly confirmedFor: string;
        readonly postings: readonly Posting[];
        readonly confirmedAt: string;
      };
    };

export type LabourExchangeCommand =
  | { readonly type: 'ProposeHours'; readonly terms: LabourExchangeTerms; readonly forCooperative: string; readonly by: string; readonly now: string }
  | { readonly type: 'ConfirmHours'; readonly forCooperative: string; readonly by: string; readonly now: string };

export type LabourExchangeState =
  | { readonly status: 'none' }
  | { readonly status: 'proposed' | 'confirmed'; readonly terms: LabourExchangeTerms; readonly proposedFor: string };

export const labourExchangeDecider: Decider<LabourExchangeCommand, LabourExchangeEvent, LabourExchangeState> = {
  initialState: () => ({ status: 'none' }),

  evolve(state, event) {
    switch (event.type) {
      case 'LabourHoursProposed': {
        const { proposedBy: _b, proposedFor, proposedAt: _a, ...terms } = event.data;
        return { status: 'proposed', terms, proposedFor };
      }
      case 'LabourHoursExchanged':
        return state.status === 'none' ? state : { ...state, status: 'confirmed' };
      default:
        return assertNever(event);
    }
  },

  decide(command, state) {
    switch (command.type) {
      case 'ProposeHours': {
        if (state.status !== 'none') throw LendingErrors.labourExchangeExists();
        const { terms } = command;
        if (terms.workerId === terms.receiverId) throw LendingErrors.labourSameCooperative();
        if (![terms.workerId, terms.receiverId].includes(command.forCooperative)) {
          throw LendingErrors.proposesForAnother();
        }
        if (!Number.isInteger(terms.minutes) || terms.minutes < 1 || terms.minutes > MAX_MINUTES) {
          throw LendingErrors.labourMinutesInvalid(MAX_MINUTES);
        }
        if (terms.workedOn > command.now.slice(0, 10)) throw LendingErrors.labourDateInFuture();
        return [{ type: 'LabourHoursProposed', data: { ...terms, proposedBy: command.by, proposedFor: command.forCooperative, proposedAt: command.now } }];
      }
      case 'ConfirmHours': {
        if (state.status === 'none') throw LendingErrors.noSuchLabourExchange();
        if (state.status === 'confirmed') throw LendingErrors.labourAlreadyConfirmed();
        const { terms } = state;
        if (![terms.workerId, terms.receiverId].includes(command.forCooperative)) {
          throw LendingErrors.confirmsForAnother();
        }
        if (command.forCooperative === state.proposedFor) {
          throw LendingErrors.counterpartConfirmationRequired();
        }
        return [
          {
            type: 'LabourHoursExchanged',
            data: {
              exchangeId: terms.exchangeId,
              movementId: terms.exchangeId,
              kind: 'labour-exchange',
              workerId: terms.workerId,
              receiverId: terms.receiverId,
              minutes: terms.minutes,
              effectiveAt: `${terms.workedOn}T00:00:00.000Z`,
              confirmedBy: command.by,
              confirmedFor: command.forCooperative,
              postings: [{ from: `coop:${terms.receiverId}`, to: `coop:${terms.workerId}`, amountMinor: terms.minutes, asset: LABOUR_ASSET }],
              confirmedAt: command.now,
            },
          },
        ];
      }
      default:
        return assertNever(command);
    }
  },
};

export const labourExchangeStream = (exchangeId: string): string => `labour-exchange-${exchangeId}`;
