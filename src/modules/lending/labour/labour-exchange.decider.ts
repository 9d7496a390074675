import { Decider } from '../../../shared/decider';
import { DomainError, assertNever } from '../../../shared/domain-error';
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
        if (state.status !== 'none') throw new DomainError('LABOUR.ALREADY_EXISTS', 'This exchange id is taken.', 409);
        const { terms } = command;
        if (terms.workerId === terms.receiverId) throw new DomainError('LABOUR.SAME_COOPERATIVE', 'Hours move between two different cooperatives.', 422);
        if (![terms.workerId, terms.receiverId].includes(command.forCooperative)) {
          throw new DomainError('COOPERATIVE.ACTING_FOR_ANOTHER', 'A cooperative proposes only hours it gave or received.', 403);
        }
        if (!Number.isInteger(terms.minutes) || terms.minutes < 1 || terms.minutes > MAX_MINUTES) {
          throw new DomainError('LABOUR.MINUTES_INVALID', `Minutes are a whole number from 1 to ${MAX_MINUTES}.`, 400, { field: 'minutes' });
        }
        if (terms.workedOn > command.now.slice(0, 10)) throw new DomainError('LABOUR.DATE_IN_FUTURE', 'Hours are recorded once worked.', 422, { field: 'workedOn' });
        return [{ type: 'LabourHoursProposed', data: { ...terms, proposedBy: command.by, proposedFor: command.forCooperative, proposedAt: command.now } }];
      }
      case 'ConfirmHours': {
        if (state.status === 'none') throw new DomainError('LABOUR.NOT_FOUND', 'No such labour exchange.', 404);
        if (state.status === 'confirmed') throw new DomainError('LABOUR.ALREADY_CONFIRMED', 'Both sides already confirmed these hours.', 409);
        const { terms } = state;
        if (![terms.workerId, terms.receiverId].includes(command.forCooperative)) {
          throw new DomainError('COOPERATIVE.ACTING_FOR_ANOTHER', 'Only the two cooperatives of an exchange confirm it.', 403);
        }
        if (command.forCooperative === state.proposedFor) {
          throw new DomainError('LABOUR.COUNTERPART_CONFIRMATION_REQUIRED', 'The other cooperative confirms these hours; a side does not confirm its own proposal.', 409);
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
