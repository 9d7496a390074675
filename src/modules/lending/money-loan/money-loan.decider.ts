import { isIsoDate } from '../../../shared/calendar';
import { Decider } from '../../../shared/decider';
import { DomainError, assertNever } from '../../../shared/domain-error';
import { Posting, fundAccount } from '../../../shared/postings';
import { Interval, nthDueDate } from '../../../shared/schedule';

/**
 * A zero-interest money loan from a fund (the revolving loan fund) or from one cooperative to
 * another. Disbursement posts from the lender's account to the loan's own account `loan:<id>`
 * (what the borrower owes); repayments post back from the loan to the lender, so repaid money
 * is in the fund again and can be lent again; forgiving the remainder is an explicit event that
 * posts what is left on the loan to `expense:loan-forgiveness`. The loan account therefore
 * always holds exactly what is outstanding.
 */
export type Lender =
  | { readonly kind: 'fund'; readonly fundId: string; readonly fundCode: string }
  | { readonly kind: 'cooperative'; readonly cooperativeId: string };

export interface Installment {
  readonly dueOn: string;
  readonly amountMinor: number;
}

export const LOAN_INTERVALS: readonly Exclude<Interval, 'once'>[] = ['monthly', 'quarterly', 'yearly'];
export const MAX_INSTALLMENTS = 240;
export const FORGIVENESS_ACCOUNT = 'expense:loan-forgiveness';

export interface MoneyLoanDisbursedData {
  readonly loanId: string;
  /** The loan id again, under the name the balances journal keys entries by. */
  readonly movementId: string;
  readonly kind: 'loan-disbursement';
  readonly lender: Lender;
  readonly lenderAccount: string;
  readonly borrowerId: string;
  readonly amountMinor: number;
  readonly currency: string;
  /** Zero by default; the network lends without interest. */
  readonly interestRateBasisPoints: 0;
  readonly purpose?: string;
  readonly disbursedOn: string;
  readonly effectiveAt: string;
  readonly schedule: readonly Installment[];
  readonly postings: readonly Posting[];
  readonly disbursedBy: string;
  readonly recordedAt: string;
}

export interface MoneyLoanRepaidData {
  readonly loanId: string;
  readonly movementId: string;
  readonly kind: 'loan-repayment';
  readonly repaymentId: string;
  readonly amountMinor: number;
  readonly paidOn: string;
  readonly effectiveAt: string;
  readonly outstandingMinor: number;
  readonly postings: readonly Posting[];
  readonly recordedBy: string;
  readonly recordedAt: string;
}

export interface MoneyLoanForgivenData {
  readonly loanId: string;
  readonly movementId: string;
  readonly kind: 'loan-forgiveness';
  readonly amountMinor: number;
  readonly reason: string;
  readonly forgivenOn: string;
  readonly effectiveAt: string;
  readonly postings: readonly Posting[];
  readonly forgivenBy: string;
  readonly recordedAt: string;
}

export type MoneyLoanEvent =
  | { readonly type: 'MoneyLoanDisbursed'; readonly data: MoneyLoanDisbursedData }
  | { readonly type: 'MoneyLoanRepaid'; readonly data: MoneyLoanRepaidData }
  | { readonly type: 'MoneyLoanForgiven'; readonly data: MoneyLoanForgivenData };

export type MoneyLoanCommand =
  | {
      readonly type: 'DisburseMoneyLoan';
      readonly loanId: string;
      readonly lender: Lender;
      /** The fund's currency for a fund lender; a cooperative lends in the currency it names. */
      readonly lenderCurrency?: string;
      /** A donor-restricted fund's money is for its donor's purpose: it does not lend. */
      readonly lenderDonorRestricted?: boolean;
      readonly borrowerId: string;
      readonly amountMinor: number;
      readonly currency: string;
      readonly purpose?: string;
      readonly disbursedOn: string;
      readonly repayment: { readonly interval: Exclude<Interval, 'once'>; readonly installments: number; readonly firstDueOn: string };
      readonly by: string;
      readonly now: string;
    }
  | { readonly type: 'RepayMoneyLoan'; readonly repaymentId: string; readonly amountMinor: number; readonly currency: string; readonly paidOn: string; readonly by: string; readonly now: string }
  | { readonly type: 'ForgiveMoneyLoan'; readonly reason: string; readonly forgivenOn: string; readonly by: string; readonly now: string };

export interface ActiveMoneyLoan {
  readonly status: 'active' | 'repaid' | 'forgiven';
  readonly loanId: string;
  readonly lender: Lender;
  readonly lenderAccount: string;
  readonly borrowerId: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly disbursedOn: string;
  readonly outstandingMinor: number;
}

export type MoneyLoanState = { readonly status: 'none' } | ActiveMoneyLoan;

export const lenderAccountOf = (lender: Lender): string =>
  lender.kind === 'fund' ? fundAccount(lender.fundCode) : `coop:${lender.cooperativeId}`;

export const loanAccount = (loanId: string): string => `loan:${loanId}`;

/** Equal instalments from `firstDueOn`, month-end aware; the last takes the remainder of the division. */
export function repaymentSchedule(amountMinor: number, interval: Exclude<Interval, 'once'>, installments: number, firstDueOn: string): Installment[] {
  const base = Math.floor(amountMinor / installments);
  return Array.from({ length: installments }, (_, k) => ({
    dueOn: nthDueDate(firstDueOn, interval, k),
    amountMinor: k === installments - 1 ? amountMinor - base * (installments - 1) : base,
  }));
}

function requireLoan(state: MoneyLoanState): ActiveMoneyLoan {
  if (state.status === 'none') throw new DomainError('LOAN.NOT_FOUND', 'No such money loan.', 404);
  return state;
}

function requireDate(value: string, field: string, now: string): void {
  if (!isIsoDate(value)) throw new DomainError('REQUEST.INVALID_DATE', `${field} is not a calendar date.`, 400, { field });
  if (value > now.slice(0, 10)) throw new DomainError('LOAN.DATE_IN_FUTURE', `${field} is in the future; money moves on the day it moves.`, 422, { field });
}

function requireOutstanding(loan: ActiveMoneyLoan, on: string, field: string): void {
  if (loan.status !== 'active') {
    throw new DomainError('LOAN.CLOSED', `The loan is already ${loan.status}.`, 409, { loanId: loan.loanId, status: loan.status });
  }
  if (on < loan.disbursedOn) {
    throw new DomainError('LOAN.BEFORE_DISBURSEMENT', `${field} is before the loan was disbursed on ${loan.disbursedOn}.`, 422, { field });
  }
}

export const moneyLoanDecider: Decider<MoneyLoanCommand, MoneyLoanEvent, MoneyLoanState> = {
  initialState: () => ({ status: 'none' }),

  evolve(state, event) {
    switch (event.type) {
      case 'MoneyLoanDisbursed': {
        const d = event.data;
        return {
          status: 'active',
          loanId: d.loanId,
          lender: d.lender,
          lenderAccount: d.lenderAccount,
          borrowerId: d.borrowerId,
          amountMinor: d.amountMinor,
          currency: d.currency,
          disbursedOn: d.disbursedOn,
          outstandingMinor: d.amountMinor,
        };
      }
      case 'MoneyLoanRepaid':
        return state.status === 'none'
          ? state
          : { ...state, outstandingMinor: event.data.outstandingMinor, status: event.data.outstandingMinor === 0 ? 'repaid' : 'active' };
      case 'MoneyLoanForgiven':
        return state.status === 'none' ? state : { ...state, outstandingMinor: 0, status: 'forgiven' };
      default:
        return assertNever(event);
    }
  },

  decide(command, state) {
    switch (command.type) {
      case 'DisburseMoneyLoan': {
        if (state.status !== 'none') throw new DomainError('LOAN.ALREADY_EXISTS', 'This loan id is taken.', 409);
        requireDate(command.disbursedOn, 'disbursedOn', command.now);
        const { repayment } = command;
        if (!isIsoDate(repayment.firstDueOn)) {
          throw new DomainError('REQUEST.INVALID_DATE', 'repayment.firstDueOn is not a calendar date.', 400, { field: 'repayment.firstDueOn' });
        }
        if (repayment.firstDueOn <= command.disbursedOn) {
          throw new DomainError('LOAN.DUE_BEFORE_START', 'The first repayment falls due after the loan is disbursed.', 422, { field: 'repayment.firstDueOn' });
        }
        if (!Number.isInteger(repayment.installments) || repayment.installments < 1 || repayment.installments > MAX_INSTALLMENTS) {
          throw new DomainError('LOAN.INSTALLMENTS_INVALID', `A schedule has 1 to ${MAX_INSTALLMENTS} instalments.`, 400, { field: 'repayment.installments' });
        }
        if (repayment.installments > command.amountMinor) {
          throw new DomainError('LOAN.INSTALLMENTS_INVALID', 'Every instalment is at least one minor unit.', 400, { field: 'repayment.installments' });
        }
        if (command.lender.kind === 'cooperative' && command.lender.cooperativeId === command.borrowerId) {
          throw new DomainError('LOAN.SELF_LOAN', 'A cooperative does not lend to itself.', 422);
        }
        if (command.lenderDonorRestricted) {
          throw new DomainError('LOAN.FUND_RESTRICTED', 'A donor-restricted fund is spent on its purpose; it does not lend.', 422);
        }
        if (command.lenderCurrency !== undefined && command.lenderCurrency !== command.currency) {
          throw new DomainError('LOAN.CURRENCY_MISMATCH', `The lending fund keeps ${command.lenderCurrency}, not ${command.currency}.`, 422, {
            fundCurrency: command.lenderCurrency,
          });
        }
        const lenderAccount = lenderAccountOf(command.lender);
        const effectiveAt = `${command.disbursedOn}T00:00:00.000Z`;
        return [
          {
            type: 'MoneyLoanDisbursed',
            data: {
              loanId: command.loanId,
              movementId: command.loanId,
              kind: 'loan-disbursement',
              lender: command.lender,
              lenderAccount,
              borrowerId: command.borrowerId,
              amountMinor: command.amountMinor,
              currency: command.currency,
              interestRateBasisPoints: 0,
              ...(command.purpose ? { purpose: command.purpose } : {}),
              disbursedOn: command.disbursedOn,
              effectiveAt,
              schedule: repaymentSchedule(command.amountMinor, repayment.interval, repayment.installments, repayment.firstDueOn),
              postings: [{ from: lenderAccount, to: loanAccount(command.loanId), amountMinor: command.amountMinor, asset: command.currency }],
              disbursedBy: command.by,
              recordedAt: command.now,
            },
          },
        ];
      }
      case 'RepayMoneyLoan': {
        const loan = requireLoan(state);
        requireDate(command.paidOn, 'paidOn', command.now);
        requireOutstanding(loan, command.paidOn, 'paidOn');
        if (command.currency !== loan.currency) {
          throw new DomainError('LOAN.CURRENCY_MISMATCH', `The loan is in ${loan.currency}, not ${command.currency}.`, 422);
        }
        if (command.amountMinor > loan.outstandingMinor) {
          throw new DomainError('LOAN.OVERPAYMENT', `Only ${loan.outstandingMinor} is outstanding; ${command.amountMinor} is more than is owed.`, 422, {
            outstandingMinor: loan.outstandingMinor,
            requestedMinor: command.amountMinor,
          });
        }
        return [
          {
            type: 'MoneyLoanRepaid',
            data: {
              loanId: loan.loanId,
              movementId: loan.loanId,
              kind: 'loan-repayment',
              repaymentId: command.repaymentId,
              amountMinor: command.amountMinor,
              paidOn: command.paidOn,
              effectiveAt: `${command.paidOn}T00:00:00.000Z`,
              outstandingMinor: loan.outstandingMinor - command.amountMinor,
              postings: [{ from: loanAccount(loan.loanId), to: loan.lenderAccount, amountMinor: command.amountMinor, asset: loan.currency }],
              recordedBy: command.by,
              recordedAt: command.now,
            },
          },
        ];
      }
      case 'ForgiveMoneyLoan': {
        const loan = requireLoan(state);
        requireDate(command.forgivenOn, 'forgivenOn', command.now);
        requireOutstanding(loan, command.forgivenOn, 'forgivenOn');
        return [
          {
            type: 'MoneyLoanForgiven',
            data: {
              loanId: loan.loanId,
              movementId: loan.loanId,
              kind: 'loan-forgiveness',
              amountMinor: loan.outstandingMinor,
              reason: command.reason,
              forgivenOn: command.forgivenOn,
              effectiveAt: `${command.forgivenOn}T00:00:00.000Z`,
              postings: [{ from: loanAccount(loan.loanId), to: FORGIVENESS_ACCOUNT, amountMinor: loan.outstandingMinor, asset: loan.currency }],
              forgivenBy: command.by,
              recordedAt: command.now,
            },
          },
        ];
      }
      default:
        return assertNever(command);
    }
  },
};

export const moneyLoanStream = (loanId: string): string => `money-loan-${loanId}`;
