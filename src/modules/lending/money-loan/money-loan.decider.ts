import { Decider } from '../../../shared/decider';
import { assertNever } from '../../../shared/domain-error';
import { LendingErrors } from '../lending.errors';
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

export interface Instalment {
  readonly dueOn: string;
  readonly amountMinor: number;
}

export const LOAN_INTERVALS: readonly Exclude<Interval, 'once'>[] = ['monthly', 'quarterly', 'yearly'];
export const MAX_INSTALMENTS = 240;
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
  readonly schedule: readonly Instalment[];
  readonly postings: readonly Posting[];
  /** Who disbursed it: the approving steward for a loan from a fund that was requested first. */
  readonly disbursedBy: string;
  /** The steward who asked for it, when a loan from a fund was requested and approved (absent on direct disbursements). */
  readonly requestedBy?: string;
  readonly recordedAt: string;
}

export interface RepaymentPlan {
  readonly interval: Exclude<Interval, 'once'>;
  readonly instalments: number;
  readonly firstDueOn: string;
}

/**
 * A loan from a fund asked for by one steward, awaiting another's approval, like every other
 * outflow of a fund: the amount is held on the fund (`FundHoldPlaced`) until the approval
 * disburses it or a rejection releases it. `disbursedOn` is the day asked for; the approval may
 * record a later day.
 */
export interface MoneyLoanRequestedData {
  readonly loanId: string;
  readonly lender: Extract<Lender, { kind: 'fund' }>;
  readonly lenderAccount: string;
  readonly borrowerId: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly purpose?: string;
  readonly disbursedOn: string;
  readonly repayment: RepaymentPlan;
  readonly requestedBy: string;
  readonly recordedAt: string;
}

export interface MoneyLoanRejectedData {
  readonly loanId: string;
  readonly reason: string;
  readonly rejectedBy: string;
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
  | { readonly type: 'MoneyLoanRequested'; readonly data: MoneyLoanRequestedData }
  | { readonly type: 'MoneyLoanRejected'; readonly data: MoneyLoanRejectedData }
  | { readonly type: 'MoneyLoanDisbursed'; readonly data: MoneyLoanDisbursedData }
  | { readonly type: 'MoneyLoanRepaid'; readonly data: MoneyLoanRepaidData }
  | { readonly type: 'MoneyLoanForgiven'; readonly data: MoneyLoanForgivenData };

export interface MoneyLoanTerms {
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
  readonly repayment: RepaymentPlan;
  readonly by: string;
  readonly now: string;
}

export type MoneyLoanCommand =
  /** A loan from a fund: asked for by one steward, disbursed on another's approval. */
  | ({ readonly type: 'RequestMoneyLoan' } & MoneyLoanTerms)
  /** `disbursedOn` defaults to the day asked for. */
  | { readonly type: 'ApproveMoneyLoan'; readonly disbursedOn?: string; readonly by: string; readonly now: string }
  | { readonly type: 'RejectMoneyLoan'; readonly reason: string; readonly by: string; readonly now: string }
  /** A loan between cooperatives (and loans from funds in logs written before approvals): disbursed at once. */
  | ({ readonly type: 'DisburseMoneyLoan' } & MoneyLoanTerms)
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

export interface PendingMoneyLoan {
  readonly status: 'pending' | 'rejected';
  readonly request: MoneyLoanRequestedData;
}

export type MoneyLoanState = { readonly status: 'none' } | PendingMoneyLoan | ActiveMoneyLoan;

export const lenderAccountOf = (lender: Lender): string =>
  lender.kind === 'fund' ? fundAccount(lender.fundCode) : `coop:${lender.cooperativeId}`;

export const loanAccount = (loanId: string): string => `loan:${loanId}`;

/** Equal instalments from `firstDueOn`, month-end aware; the last takes the remainder of the division. */
export function repaymentSchedule(amountMinor: number, interval: Exclude<Interval, 'once'>, instalments: number, firstDueOn: string): Instalment[] {
  const base = Math.floor(amountMinor / instalments);
  return Array.from({ length: instalments }, (_, k) => ({
    dueOn: nthDueDate(firstDueOn, interval, k),
    amountMinor: k === instalments - 1 ? amountMinor - base * (instalments - 1) : base,
  }));
}

function requireLoan(state: MoneyLoanState): ActiveMoneyLoan {
  if (state.status === 'none') throw LendingErrors.noSuchMoneyLoan();
  if (state.status === 'pending') throw LendingErrors.loanPending();
  if (state.status === 'rejected') throw LendingErrors.loanRejected(state.request.loanId);
  if (!isActive(state)) throw new Error('unreachable loan state');
  return state;
}

function requirePending(state: MoneyLoanState): PendingMoneyLoan {
  if (state.status === 'none') throw LendingErrors.noSuchMoneyLoan();
  if (state.status !== 'pending') throw LendingErrors.loanAlreadyDecided(state.status);
  return state;
}

/** What every loan's terms must meet, whether disbursed at once or requested from a fund. */
function checkTerms(command: MoneyLoanTerms): void {
  requireDate(command.disbursedOn, 'disbursedOn', command.now);
  const { repayment } = command;
  if (repayment.firstDueOn <= command.disbursedOn) {
    throw LendingErrors.firstDueBeforeDisbursement('repayment.firstDueOn');
  }
  if (!Number.isInteger(repayment.instalments) || repayment.instalments < 1 || repayment.instalments > MAX_INSTALMENTS) {
    throw LendingErrors.instalmentsCount(MAX_INSTALMENTS);
  }
  if (repayment.instalments > command.amountMinor) {
    throw LendingErrors.instalmentTooSmall();
  }
  if (command.lender.kind === 'cooperative' && command.lender.cooperativeId === command.borrowerId) {
    throw LendingErrors.selfLoan();
  }
  if (command.lenderDonorRestricted) {
    throw LendingErrors.fundRestricted();
  }
  if (command.lenderCurrency !== undefined && command.lenderCurrency !== command.currency) {
    throw LendingErrors.fundCurrencyMismatch(command.lenderCurrency, command.currency);
  }
}

function disbursedEvent(
  terms: Omit<MoneyLoanRequestedData, 'requestedBy' | 'recordedAt' | 'lender'> & { lender: Lender },
  extra: { disbursedBy: string; requestedBy?: string; recordedAt: string },
): MoneyLoanEvent {
  const { repayment } = terms;
  return {
    type: 'MoneyLoanDisbursed',
    data: {
      loanId: terms.loanId,
      movementId: terms.loanId,
      kind: 'loan-disbursement',
      lender: terms.lender,
      lenderAccount: terms.lenderAccount,
      borrowerId: terms.borrowerId,
      amountMinor: terms.amountMinor,
      currency: terms.currency,
      interestRateBasisPoints: 0,
      ...(terms.purpose ? { purpose: terms.purpose } : {}),
      disbursedOn: terms.disbursedOn,
      effectiveAt: `${terms.disbursedOn}T00:00:00.000Z`,
      schedule: repaymentSchedule(terms.amountMinor, repayment.interval, repayment.instalments, repayment.firstDueOn),
      postings: [{ from: terms.lenderAccount, to: loanAccount(terms.loanId), amountMinor: terms.amountMinor, asset: terms.currency }],
      disbursedBy: extra.disbursedBy,
      ...(extra.requestedBy ? { requestedBy: extra.requestedBy } : {}),
      recordedAt: extra.recordedAt,
    },
  };
}

function requireDate(value: string, field: string, now: string): void {
  if (value > now.slice(0, 10)) throw LendingErrors.moneyDateInFuture(field);
}

function requireOutstanding(loan: ActiveMoneyLoan, on: string, field: string): void {
  if (loan.status !== 'active') {
    throw LendingErrors.loanClosed(loan.loanId, loan.status);
  }
  if (on < loan.disbursedOn) {
    throw LendingErrors.beforeDisbursement(field, loan.disbursedOn);
  }
}

export const moneyLoanDecider: Decider<MoneyLoanCommand, MoneyLoanEvent, MoneyLoanState> = {
  initialState: () => ({ status: 'none' }),

  evolve(state, event) {
    switch (event.type) {
      case 'MoneyLoanRequested':
        return { status: 'pending', request: event.data };
      case 'MoneyLoanRejected':
        return state.status === 'pending' ? { ...state, status: 'rejected' } : state;
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
        return !isActive(state)
          ? state
          : { ...state, outstandingMinor: event.data.outstandingMinor, status: event.data.outstandingMinor === 0 ? 'repaid' : 'active' };
      case 'MoneyLoanForgiven':
        return !isActive(state) ? state : { ...state, outstandingMinor: 0, status: 'forgiven' };
      default:
        return assertNever(event);
    }
  },

  decide(command, state) {
    switch (command.type) {
      case 'RequestMoneyLoan': {
        if (state.status !== 'none') throw LendingErrors.loanExists();
        checkTerms(command);
        if (command.lender.kind !== 'fund') throw LendingErrors.onlyFundLoansAwaitApproval();
        return [
          {
            type: 'MoneyLoanRequested',
            data: {
              loanId: command.loanId,
              lender: command.lender,
              lenderAccount: lenderAccountOf(command.lender),
              borrowerId: command.borrowerId,
              amountMinor: command.amountMinor,
              currency: command.currency,
              ...(command.purpose ? { purpose: command.purpose } : {}),
              disbursedOn: command.disbursedOn,
              repayment: { interval: command.repayment.interval, instalments: command.repayment.instalments, firstDueOn: command.repayment.firstDueOn },
              requestedBy: command.by,
              recordedAt: command.now,
            },
          },
        ];
      }
      case 'ApproveMoneyLoan': {
        const { request } = requirePending(state);
        if (command.by === request.requestedBy) {
          throw LendingErrors.selfApproval();
        }
        const disbursedOn = command.disbursedOn ?? request.disbursedOn;
        requireDate(disbursedOn, 'disbursedOn', command.now);
        if (disbursedOn < request.disbursedOn) {
          throw LendingErrors.beforeRequest(request.disbursedOn);
        }
        if (request.repayment.firstDueOn <= disbursedOn) {
          throw LendingErrors.firstDueBeforeDisbursement('disbursedOn');
        }
        return [disbursedEvent({ ...request, disbursedOn }, { disbursedBy: command.by, requestedBy: request.requestedBy, recordedAt: command.now })];
      }
      case 'RejectMoneyLoan': {
        const { request } = requirePending(state);
        return [{ type: 'MoneyLoanRejected', data: { loanId: request.loanId, reason: command.reason, rejectedBy: command.by, recordedAt: command.now } }];
      }
      case 'DisburseMoneyLoan': {
        if (state.status !== 'none') throw LendingErrors.loanExists();
        checkTerms(command);
        const { type: _t, lenderCurrency: _c, lenderDonorRestricted: _r, by, now, ...terms } = command;
        return [disbursedEvent({ ...terms, lenderAccount: lenderAccountOf(command.lender) }, { disbursedBy: by, recordedAt: now })];
      }
      case 'RepayMoneyLoan': {
        const loan = requireLoan(state);
        requireDate(command.paidOn, 'paidOn', command.now);
        requireOutstanding(loan, command.paidOn, 'paidOn');
        if (command.currency !== loan.currency) {
          throw LendingErrors.loanCurrencyMismatch(loan.currency, command.currency);
        }
        if (command.amountMinor > loan.outstandingMinor) {
          throw LendingErrors.overpayment(loan.outstandingMinor, command.amountMinor);
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

function isActive(state: MoneyLoanState): state is ActiveMoneyLoan {
  return state.status === 'active' || state.status === 'repaid' || state.status === 'forgiven';
}

export const moneyLoanStream = (loanId: string): string => `money-loan-${loanId}`;
