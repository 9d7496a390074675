import { Decider } from '../../../shared/decider';
import { DomainError, assertNever } from '../../../shared/domain-error';
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

export type FundEvent = { readonly type: 'FundOpened'; readonly data: FundOpenedData };

export type FundCommand = {
  readonly type: 'OpenFund';
  readonly fundId: string;
  readonly code: string;
  readonly name: string;
  readonly currency: string;
  readonly restriction: Restriction;
  readonly description?: string;
  readonly now: string;
};

export type FundState =
  | { readonly status: 'none' }
  | { readonly status: 'open'; readonly fundId: string; readonly code: string; readonly currency: string; readonly restriction: Restriction };

export const FUND_CODE_PATTERN = /^[a-z0-9][a-z0-9-]{1,39}$/;

function checkRestriction(restriction: Restriction): void {
  if (restriction.class === 'donor-restricted' && !restriction.purpose) {
    throw new DomainError('FUND.PURPOSE_REQUIRED', 'A donor-restricted fund needs the purpose it is restricted to.', 400, {
      field: 'restriction.purpose',
    });
  }
  if (restriction.class !== 'donor-restricted' && restriction.restrictedUntil) {
    throw new DomainError('FUND.TIME_RESTRICTION_NOT_ALLOWED', 'Only donor-restricted funds can be restricted until a date.', 400, {
      field: 'restriction.restrictedUntil',
    });
  }
}

export const fundDecider: Decider<FundCommand, FundEvent, FundState> = {
  initialState: () => ({ status: 'none' }),

  evolve(_state, event) {
    switch (event.type) {
      case 'FundOpened':
        return {
          status: 'open',
          fundId: event.data.fundId,
          code: event.data.code,
          currency: event.data.currency,
          restriction: event.data.restriction,
        };
      default:
        return assertNever(event.type);
    }
  },

  decide(command, state) {
    switch (command.type) {
      case 'OpenFund': {
        if (state.status !== 'none') throw new DomainError('FUND.ALREADY_EXISTS', 'This fund id is taken.', 409);
        if (!FUND_CODE_PATTERN.test(command.code)) {
          throw new DomainError('FUND.CODE_INVALID', 'A fund code is 2 to 40 lowercase letters, digits and hyphens.', 400);
        }
        if (!isIsoCurrency(command.currency)) {
          throw new DomainError('FUND.CURRENCY_INVALID', `${command.currency} is not an ISO 4217 currency.`, 400);
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
      default:
        return assertNever(command.type);
    }
  },
};

export const fundStream = (fundId: string): string => `fund-${fundId}`;
/** One stream per code, created with the fund in the same atomic append: codes stay unique. */
export const fundCodeStream = (code: string): string => `fund-code-${code}`;
