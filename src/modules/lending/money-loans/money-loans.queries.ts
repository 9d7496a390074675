import type Database from 'better-sqlite3';
import { sql } from '../../../projections/projection';
import type { Instalment, Lender } from '../money-loan/money-loan.decider';

export interface MoneyLoanView {
  readonly loanId: string;
  readonly lender: Lender;
  readonly lenderAccount: string;
  readonly borrowerId: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly interestRateBasisPoints: 0;
  readonly purpose?: string;
  readonly disbursedOn: string;
  readonly schedule: readonly Instalment[];
  readonly asOf: string;
  /** Standing as of `asOf`: what was paid and forgiven by then, what is left, and how far behind the schedule. */
  readonly standing: {
    readonly status: 'current' | 'behind' | 'repaid' | 'forgiven';
    readonly paidMinor: number;
    readonly forgivenMinor: number;
    readonly outstandingMinor: number;
    readonly dueMinor: number;
    readonly behindMinor: number;
    readonly nextDueOn?: string;
  };
  readonly repayments: readonly { repaymentId: string; paidOn: string; amountMinor: number }[];
  readonly forgiveness?: { forgivenOn: string; amountMinor: number; reason: string };
}

interface LoanRow {
  loan_id: string;
  lender: string;
  lender_account: string;
  borrower_id: string;
  amount: number;
  currency: string;
  purpose: string | null;
  disbursed_on: string;
  schedule: string;
}

interface EntryRow {
  kind: 'repayment' | 'forgiveness';
  entry_id: string | null;
  amount: number;
  day: string;
  reason: string | null;
}

function toMoneyLoan(db: Database.Database, r: LoanRow, asOf: string): MoneyLoanView {
  const entries = sql(db, 'SELECT kind, entry_id, amount, day, reason FROM money_loan_entries WHERE loan_id = ? AND day <= ? ORDER BY day, position').all(
    r.loan_id,
    asOf,
  ) as EntryRow[];
  const schedule = JSON.parse(r.schedule) as Instalment[];
  const paid = entries.filter((e) => e.kind === 'repayment').reduce((sum, e) => sum + e.amount, 0);
  const forgivenEntry = entries.find((e) => e.kind === 'forgiveness');
  const forgiven = forgivenEntry?.amount ?? 0;
  const outstanding = r.amount - paid - forgiven;
  const due = schedule.filter((i) => i.dueOn <= asOf).reduce((sum, i) => sum + i.amountMinor, 0);
  const behind = Math.max(0, Math.min(outstanding, due - paid - forgiven));
  let cumulative = 0;
  const nextDue = outstanding === 0 ? undefined : schedule.find((i) => (cumulative += i.amountMinor) > paid + forgiven && i.dueOn > asOf)?.dueOn;
  const status = outstanding === 0 ? (forgiven > 0 ? 'forgiven' : 'repaid') : behind > 0 ? 'behind' : 'current';
  return {
    loanId: r.loan_id,
    lender: JSON.parse(r.lender) as Lender,
    lenderAccount: r.lender_account,
    borrowerId: r.borrower_id,
    amountMinor: r.amount,
    currency: r.currency,
    interestRateBasisPoints: 0,
    ...(r.purpose ? { purpose: r.purpose } : {}),
    disbursedOn: r.disbursed_on,
    schedule,
    asOf,
    standing: { status, paidMinor: paid, forgivenMinor: forgiven, outstandingMinor: outstanding, dueMinor: due, behindMinor: behind, ...(nextDue ? { nextDueOn: nextDue } : {}) },
    repayments: entries.filter((e) => e.kind === 'repayment').map((e) => ({ repaymentId: e.entry_id as string, paidOn: e.day, amountMinor: e.amount })),
    ...(forgivenEntry ? { forgiveness: { forgivenOn: forgivenEntry.day, amountMinor: forgivenEntry.amount, reason: forgivenEntry.reason ?? '' } } : {}),
  };
}

/** A money loan as of a date; undefined when it does not exist or was not yet disbursed by then. */
export function findMoneyLoan(db: Database.Database, loanId: string, asOf: string): MoneyLoanView | undefined {
  const row = sql(db, 'SELECT * FROM money_loans WHERE loan_id = ? AND disbursed_on <= ?').get(loanId, asOf) as LoanRow | undefined;
  return row ? toMoneyLoan(db, row, asOf) : undefined;
}

/** Who lent and who borrowed, for a loan disbursed or only requested. */
export function moneyLoanParties(db: Database.Database, loanId: string): { lenderId: string; borrowerId: string } | undefined {
  const row = (sql(db, 'SELECT lender_id, borrower_id FROM money_loans WHERE loan_id = ?').get(loanId) ??
    sql(db, 'SELECT lender_id, borrower_id FROM money_loan_requests WHERE loan_id = ?').get(loanId)) as { lender_id: string; borrower_id: string } | undefined;
  return row ? { lenderId: row.lender_id, borrowerId: row.borrower_id } : undefined;
}

/** A loan from a fund awaiting a second steward's approval, or refused. */
export interface MoneyLoanRequestView {
  readonly loanId: string;
  readonly status: 'pending' | 'rejected';
  readonly lender: Lender;
  readonly lenderAccount: string;
  readonly borrowerId: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly purpose?: string;
  /** The business day asked for; the approval may record a later one. */
  readonly disbursedOn: string;
  readonly repayment: { interval: string; instalments: number; firstDueOn: string };
  readonly requestedBy: string;
  readonly requestedAt: string;
  readonly rejection?: { rejectedBy: string; reason: string };
}

interface RequestRow {
  loan_id: string;
  lender: string;
  lender_account: string;
  borrower_id: string;
  amount: number;
  currency: string;
  purpose: string | null;
  disbursed_on: string;
  repayment: string;
  requested_by: string;
  requested_at: string;
  status: 'pending' | 'rejected';
  decided_by: string | null;
  reason: string | null;
}

const toRequest = (r: RequestRow): MoneyLoanRequestView => ({
  loanId: r.loan_id,
  status: r.status,
  lender: JSON.parse(r.lender) as Lender,
  lenderAccount: r.lender_account,
  borrowerId: r.borrower_id,
  amountMinor: r.amount,
  currency: r.currency,
  ...(r.purpose ? { purpose: r.purpose } : {}),
  disbursedOn: r.disbursed_on,
  repayment: JSON.parse(r.repayment) as MoneyLoanRequestView['repayment'],
  requestedBy: r.requested_by,
  requestedAt: r.requested_at,
  ...(r.status === 'rejected' ? { rejection: { rejectedBy: r.decided_by ?? '', reason: r.reason ?? '' } } : {}),
});

/** A requested loan not (or never to be) disbursed; undefined once disbursed or when unknown. */
export function findMoneyLoanRequest(db: Database.Database, loanId: string): MoneyLoanRequestView | undefined {
  const row = sql(db, "SELECT * FROM money_loan_requests WHERE loan_id = ? AND status IN ('pending', 'rejected')").get(loanId) as RequestRow | undefined;
  return row ? toRequest(row) : undefined;
}

/** Pending or rejected loans from funds, oldest first, optionally only a cooperative's. */
export function listMoneyLoanRequests(db: Database.Database, filter: { status: 'pending' | 'rejected'; cooperativeId?: string }): MoneyLoanRequestView[] {
  const coop = filter.cooperativeId ?? null;
  const rows = sql(db, 'SELECT * FROM money_loan_requests WHERE status = ? AND (? IS NULL OR borrower_id = ?) ORDER BY position').all(
    filter.status, coop, coop,
  ) as RequestRow[];
  return rows.map(toRequest);
}

/** Loans disbursed by `asOf`, optionally only those a cooperative lent or borrowed, oldest first. */
export function listMoneyLoans(db: Database.Database, options: { asOf: string; cooperativeId?: string; status?: string }): MoneyLoanView[] {
  const coop = options.cooperativeId ?? null;
  const rows = sql(
    db,
    `SELECT * FROM money_loans WHERE disbursed_on <= ? AND (? IS NULL OR borrower_id = ? OR lender_id = ?) ORDER BY disbursed_on, position`,
  ).all(options.asOf, coop, coop, coop) as LoanRow[];
  const loans = rows.map((r) => toMoneyLoan(db, r, options.asOf));
  return options.status ? loans.filter((l) => l.standing.status === options.status) : loans;
}
