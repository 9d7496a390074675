import type { RecordedEvent } from '../../event-store/envelope';
import type Database from 'better-sqlite3';
import { Projection, sql } from '../../projections/projection';
import type { CooperativeEvent } from './cooperative/cooperative.decider';
import type { Installment, Lender, MoneyLoanEvent } from './money-loan/money-loan.decider';
import type { ResourceEvent } from './resource/resource.decider';
import { LABOUR_ASSET, type LabourExchangeEvent } from './labour/labour-exchange.decider';
import { balanceAsOf, postedKey } from '../ledger';

/**
 * Cooperatives of the lending network and money loans between them. Every repayment and
 * forgiveness is a row carrying its business day, so a loan's standing as of any date is a sum
 * over indexed rows, never a replay.
 */
export const lendingProjection: Projection = {
  name: 'lending',
  // 2: money loans and their dated repayments and forgiveness.
  // 3: resources and loans of things.
  // 4: labour-hour exchanges and limits.
  // 5: deposits and fees of loans of things.
  // 6: cancelled reservations.
  // 7: loans from a fund requested and approved (or rejected) by a second steward.
  version: 7,
  tables: ['cooperatives', 'money_loan_requests', 'money_loans', 'money_loan_entries', 'resources', 'thing_loans', 'labour_exchanges'],
  setup(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS cooperatives (
        cooperative_id TEXT PRIMARY KEY, name TEXT NOT NULL, sector TEXT NOT NULL, contact TEXT NOT NULL,
        registered_at TEXT NOT NULL, position INTEGER NOT NULL, labour_limit INTEGER);
      CREATE TABLE IF NOT EXISTS labour_exchanges (
        exchange_id TEXT PRIMARY KEY, position INTEGER NOT NULL, worker_id TEXT NOT NULL, receiver_id TEXT NOT NULL, minutes INTEGER NOT NULL,
        worked_on TEXT NOT NULL, description TEXT NOT NULL, proposed_for TEXT NOT NULL, status TEXT NOT NULL, confirmed_at TEXT);
      CREATE INDEX IF NOT EXISTS cooperatives_by_name ON cooperatives (name);
      CREATE TABLE IF NOT EXISTS money_loans (
        loan_id TEXT PRIMARY KEY, position INTEGER NOT NULL, lender TEXT NOT NULL, lender_kind TEXT NOT NULL, lender_id TEXT NOT NULL,
        lender_account TEXT NOT NULL, borrower_id TEXT NOT NULL, amount INTEGER NOT NULL, currency TEXT NOT NULL, purpose TEXT,
        disbursed_on TEXT NOT NULL, schedule TEXT NOT NULL, disbursed_by TEXT NOT NULL, recorded_at TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS money_loans_by_borrower ON money_loans (borrower_id, disbursed_on);
      CREATE INDEX IF NOT EXISTS money_loans_by_lender ON money_loans (lender_id, disbursed_on);
      CREATE TABLE IF NOT EXISTS money_loan_requests (
        loan_id TEXT PRIMARY KEY, position INTEGER NOT NULL, lender TEXT NOT NULL, lender_id TEXT NOT NULL, lender_account TEXT NOT NULL,
        borrower_id TEXT NOT NULL, amount INTEGER NOT NULL, currency TEXT NOT NULL, purpose TEXT, disbursed_on TEXT NOT NULL,
        repayment TEXT NOT NULL, requested_by TEXT NOT NULL, requested_at TEXT NOT NULL, status TEXT NOT NULL, decided_by TEXT, reason TEXT);
      CREATE TABLE IF NOT EXISTS money_loan_entries (
        loan_id TEXT NOT NULL, position INTEGER NOT NULL, kind TEXT NOT NULL, entry_id TEXT, amount INTEGER NOT NULL, day TEXT NOT NULL,
        reason TEXT, PRIMARY KEY (loan_id, position));
      CREATE TABLE IF NOT EXISTS resources (
        resource_id TEXT PRIMARY KEY, position INTEGER NOT NULL, owner_id TEXT NOT NULL, kind TEXT NOT NULL, description TEXT NOT NULL,
        condition TEXT NOT NULL, status TEXT NOT NULL, reason TEXT, on_loan TEXT, registered_at TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS resources_by_owner ON resources (owner_id, position);
      CREATE TABLE IF NOT EXISTS thing_loans (
        loan_id TEXT PRIMARY KEY, position INTEGER NOT NULL, resource_id TEXT NOT NULL, owner_id TEXT NOT NULL, borrower_id TEXT NOT NULL,
        start_on TEXT NOT NULL, due_on TEXT NOT NULL, renewal_of TEXT, renewed_by TEXT, reserved_on TEXT NOT NULL, checked_out_on TEXT,
        ended_on TEXT, end_kind TEXT, return_condition TEXT, notes TEXT, charges TEXT);
      CREATE INDEX IF NOT EXISTS thing_loans_by_resource ON thing_loans (resource_id, start_on);
    `);
  },
  apply(db, event: RecordedEvent) {
    const c = event as unknown as CooperativeEvent;
    if (c.type === 'CooperativeRegistered') {
      const d = c.data;
      sql(db, 'INSERT INTO cooperatives (cooperative_id, name, sector, contact, registered_at, position) VALUES (?, ?, ?, ?, ?, ?)').run(
        d.cooperativeId, d.name, d.sector, d.contact, d.registeredAt, event.globalPosition,
      );
      return;
    }
    applyResource(db, event, event as unknown as ResourceEvent);
    applyLabour(db, event);
    const m = event as unknown as MoneyLoanEvent;
    switch (m.type) {
      case 'MoneyLoanRequested': {
        const d = m.data;
        sql(db, `INSERT INTO money_loan_requests (loan_id, position, lender, lender_id, lender_account, borrower_id, amount, currency, purpose,
                   disbursed_on, repayment, requested_by, requested_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending')`).run(
          d.loanId, event.globalPosition, JSON.stringify(d.lender), d.lender.fundId, d.lenderAccount, d.borrowerId, d.amountMinor, d.currency,
          d.purpose ?? null, d.disbursedOn, JSON.stringify(d.repayment), d.requestedBy, d.recordedAt,
        );
        return;
      }
      case 'MoneyLoanRejected':
        sql(db, "UPDATE money_loan_requests SET status = 'rejected', decided_by = ?, reason = ? WHERE loan_id = ?").run(m.data.rejectedBy, m.data.reason, m.data.loanId);
        return;
      case 'MoneyLoanDisbursed': {
        const d = m.data;
        sql(db, "UPDATE money_loan_requests SET status = 'disbursed', decided_by = ? WHERE loan_id = ?").run(d.disbursedBy, d.loanId);
        const lenderId = d.lender.kind === 'fund' ? d.lender.fundId : d.lender.cooperativeId;
        sql(db, `INSERT INTO money_loans (loan_id, position, lender, lender_kind, lender_id, lender_account, borrower_id, amount, currency, purpose,
                   disbursed_on, schedule, disbursed_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
          d.loanId, event.globalPosition, JSON.stringify(d.lender), d.lender.kind, lenderId, d.lenderAccount, d.borrowerId, d.amountMinor, d.currency,
          d.purpose ?? null, d.disbursedOn, JSON.stringify(d.schedule), d.disbursedBy, d.recordedAt,
        );
        return;
      }
      case 'MoneyLoanRepaid':
        sql(db, 'INSERT INTO money_loan_entries (loan_id, position, kind, entry_id, amount, day, reason) VALUES (?, ?, ?, ?, ?, ?, NULL)').run(
          m.data.loanId, event.globalPosition, 'repayment', m.data.repaymentId, m.data.amountMinor, m.data.paidOn,
        );
        return;
      case 'MoneyLoanForgiven':
        sql(db, 'INSERT INTO money_loan_entries (loan_id, position, kind, entry_id, amount, day, reason) VALUES (?, ?, ?, NULL, ?, ?, ?)').run(
          m.data.loanId, event.globalPosition, 'forgiveness', m.data.amountMinor, m.data.forgivenOn, m.data.reason,
        );
        return;
    }
  },
};

export interface CooperativeView {
  readonly cooperativeId: string;
  readonly name: string;
  readonly sector: string;
  readonly contact: string;
  readonly registeredAt: string;
}

interface CooperativeRow {
  cooperative_id: string;
  name: string;
  sector: string;
  contact: string;
  registered_at: string;
}

const toCooperative = (r: CooperativeRow): CooperativeView => ({
  cooperativeId: r.cooperative_id,
  name: r.name,
  sector: r.sector,
  contact: r.contact,
  registeredAt: r.registered_at,
});

/** Cooperatives by name after the cursor `after` (a name); `next` when more follow. */
export function listCooperatives(db: Database.Database, options: { only?: string; after?: string; limit: number }): { items: CooperativeView[]; next?: string } {
  const rows = sql(
    db,
    `SELECT * FROM cooperatives WHERE (? IS NULL OR cooperative_id = ?) AND (? IS NULL OR name > ?) ORDER BY name LIMIT ?`,
  ).all(options.only ?? null, options.only ?? null, options.after ?? null, options.after ?? null, options.limit + 1) as CooperativeRow[];
  const items = rows.slice(0, options.limit).map(toCooperative);
  return { items, ...(rows.length > options.limit ? { next: items[items.length - 1].name } : {}) };
}

export function findCooperative(db: Database.Database, cooperativeId: string): CooperativeView | undefined {
  const row = sql(db, 'SELECT * FROM cooperatives WHERE cooperative_id = ?').get(cooperativeId) as CooperativeRow | undefined;
  return row ? toCooperative(row) : undefined;
}

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
  readonly schedule: readonly Installment[];
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
  const schedule = JSON.parse(r.schedule) as Installment[];
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
  readonly repayment: { interval: string; installments: number; firstDueOn: string };
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

/**
 * One page of a listing in its order: the items after the cursor `after` (the key of the last
 * item of the previous page), at most `limit`, and `next` when more follow. A cursor that names
 * no item of the listing gives an empty page.
 */
export function pageOf<T>(items: readonly T[], key: (item: T) => string, after: string | undefined, limit: number): { items: T[]; next?: string } {
  const start = after === undefined ? 0 : items.findIndex((item) => key(item) === after) + 1;
  if (after !== undefined && start === 0) return { items: [] };
  const page = items.slice(start, start + limit);
  return { items: page, ...(start + limit < items.length && page.length > 0 ? { next: key(page[page.length - 1]) } : {}) };
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

function applyLabour(db: Database.Database, event: RecordedEvent): void {
    const l = event as unknown as LabourExchangeEvent | { type: 'CooperativeLabourLimitSet'; data: { cooperativeId: string; limitMinutes: number } };
    switch (l.type) {
      case 'CooperativeLabourLimitSet':
        sql(db, 'UPDATE cooperatives SET labour_limit = ? WHERE cooperative_id = ?').run(l.data.limitMinutes, l.data.cooperativeId);
        return;
      case 'LabourHoursProposed': {
        const d = l.data;
        sql(db, `INSERT INTO labour_exchanges (exchange_id, position, worker_id, receiver_id, minutes, worked_on, description, proposed_for, status)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'proposed')`).run(d.exchangeId, event.globalPosition, d.workerId, d.receiverId, d.minutes, d.workedOn, d.description, d.proposedFor);
        return;
      }
      case 'LabourHoursExchanged':
        sql(db, "UPDATE labour_exchanges SET status = 'confirmed', confirmed_at = ? WHERE exchange_id = ?").run(l.data.confirmedAt, l.data.exchangeId);
        return;
    }
}

function applyResource(db: Database.Database, event: RecordedEvent, r: ResourceEvent): void {
  const getCharges = (loanId: string) =>
    JSON.parse((sql(db, 'SELECT charges FROM thing_loans WHERE loan_id = ?').get(loanId) as { charges: string | null }).charges ?? '{}') as Record<string, unknown>;
  const setCharges = (loanId: string, charges: Record<string, unknown>) => sql(db, 'UPDATE thing_loans SET charges = ? WHERE loan_id = ?').run(JSON.stringify(charges), loanId);
  const end = (loanId: string, on: string, kind: string, condition: string | null, notes: string | null) =>
    sql(db, 'UPDATE thing_loans SET ended_on = ?, end_kind = ?, return_condition = ?, notes = ? WHERE loan_id = ?').run(on, kind, condition, notes, loanId);
  switch (r.type) {
    case 'ResourceRegistered': {
      const d = r.data;
      sql(db, `INSERT INTO resources (resource_id, position, owner_id, kind, description, condition, status, reason, registered_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(d.resourceId, event.globalPosition, d.ownerId, d.kind, d.description, d.condition, d.status, d.reason ?? null, d.registeredAt);
      return;
    }
    case 'ResourceStatusChanged':
      sql(db, 'UPDATE resources SET status = ?, reason = ? WHERE resource_id = ?').run(r.data.to, r.data.reason ?? null, r.data.resourceId);
      return;
    case 'ThingReserved': {
      const d = r.data;
      sql(db, `INSERT INTO thing_loans (loan_id, position, resource_id, owner_id, borrower_id, start_on, due_on, reserved_on)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(d.loanId, event.globalPosition, d.resourceId, d.ownerId, d.borrowerId, d.startOn, d.dueOn, d.reservedOn);
      if (d.charges) setCharges(d.loanId, { ...d.charges, depositWaived: false, feeWaived: false, depositTaken: false });
      return;
    }
    case 'ThingReservationCancelled':
      end(r.data.loanId, r.data.on, 'cancelled', null, r.data.reason);
      return;
    case 'ThingChargeWaived':
      setCharges(r.data.loanId, { ...getCharges(r.data.loanId), ...(r.data.charge === 'deposit' ? { depositWaived: true } : { feeWaived: true }) });
      return;
    case 'ThingDepositTaken':
      setCharges(r.data.loanId, { ...getCharges(r.data.loanId), depositTaken: true });
      return;
    case 'ThingChargesSettled': {
      const d = r.data;
      setCharges(d.loanId, { ...getCharges(d.loanId), depositReturnedMinor: d.depositReturnedMinor, depositKeptMinor: d.depositKeptMinor, feeChargedMinor: d.feeChargedMinor });
      return;
    }
    case 'ThingCheckedOut':
      sql(db, 'UPDATE thing_loans SET checked_out_on = ? WHERE loan_id = ?').run(r.data.on, r.data.loanId);
      sql(db, 'UPDATE resources SET on_loan = ? WHERE resource_id = ?').run(r.data.loanId, r.data.resourceId);
      return;
    case 'ThingRenewed': {
      const d = r.data;
      end(d.loanId, d.on, 'renewed', null, null);
      sql(db, 'UPDATE thing_loans SET renewed_by = ? WHERE loan_id = ?').run(d.renewalId, d.loanId);
      const carried = (sql(db, 'SELECT charges FROM thing_loans WHERE loan_id = ?').get(d.loanId) as { charges: string | null }).charges;
      sql(db, `INSERT INTO thing_loans (loan_id, position, resource_id, owner_id, borrower_id, start_on, due_on, renewal_of, reserved_on, checked_out_on)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(d.renewalId, event.globalPosition, d.resourceId, d.ownerId, d.borrowerId, d.startOn, d.dueOn, d.loanId, d.on, d.on);
      // The renewal carries the charges of the loan it extends; they are settled at its end.
      if (carried) sql(db, 'UPDATE thing_loans SET charges = ? WHERE loan_id = ?').run(carried, d.renewalId);
      sql(db, 'UPDATE resources SET on_loan = ? WHERE resource_id = ?').run(d.renewalId, d.resourceId);
      return;
    }
    case 'ThingReturned':
      end(r.data.loanId, r.data.on, 'returned', r.data.condition, null);
      sql(db, 'UPDATE resources SET on_loan = NULL, condition = ? WHERE resource_id = ?').run(r.data.condition, r.data.resourceId);
      return;
    case 'ThingLostOrDamaged':
      end(r.data.loanId, r.data.on, r.data.outcome, null, r.data.notes);
      sql(db, 'UPDATE resources SET on_loan = NULL WHERE resource_id = ?').run(r.data.resourceId);
      return;
  }
}

export interface ResourceView {
  readonly resourceId: string;
  /** Shown to network roles and the owner only. */
  readonly ownerId?: string;
  readonly kind: string;
  readonly description: string;
  readonly condition: string;
  /** `on-loan` while a loan is out; otherwise what the owner set. */
  readonly status: string;
  readonly reason?: string;
  /** The loan it is out on: shown to network roles and to the two cooperatives of that loan only. */
  readonly onLoan?: string;
}

interface ResourceRow {
  resource_id: string;
  owner_id: string;
  kind: string;
  description: string;
  condition: string;
  status: string;
  reason: string | null;
  on_loan: string | null;
  on_loan_borrower: string | null;
}

/** `viewer`: the cooperative reading, or undefined for a network role (steward, auditor). */
const toResource = (r: ResourceRow, viewer: string | undefined): ResourceView => ({
  resourceId: r.resource_id,
  // Another cooperative's id is its own to give: a non-owner sees the resource, not who owns it.
  ...(viewer === undefined || viewer === r.owner_id ? { ownerId: r.owner_id } : {}),
  kind: r.kind,
  description: r.description,
  condition: r.condition,
  status: r.on_loan ? 'on-loan' : r.status,
  ...(r.reason ? { reason: r.reason } : {}),
  ...(r.on_loan && (viewer === undefined || viewer === r.owner_id || viewer === r.on_loan_borrower) ? { onLoan: r.on_loan } : {}),
});

const RESOURCE_SELECT = 'SELECT r.*, l.borrower_id AS on_loan_borrower FROM resources r LEFT JOIN thing_loans l ON l.loan_id = r.on_loan';

export function listResources(db: Database.Database, filter: { kind?: string; ownerId?: string; available?: boolean; viewer?: string }): ResourceView[] {
  const rows = sql(db, `${RESOURCE_SELECT} WHERE (? IS NULL OR r.kind = ?) AND (? IS NULL OR r.owner_id = ?) ORDER BY r.position`).all(
    filter.kind ?? null, filter.kind ?? null, filter.ownerId ?? null, filter.ownerId ?? null,
  ) as ResourceRow[];
  const all = rows.map((r) => toResource(r, filter.viewer));
  return filter.available === undefined ? all : all.filter((r) => (r.status === 'available') === filter.available);
}

export function findResource(db: Database.Database, resourceId: string, viewer: string | undefined): ResourceView | undefined {
  const row = sql(db, `${RESOURCE_SELECT} WHERE r.resource_id = ?`).get(resourceId) as ResourceRow | undefined;
  return row ? toResource(row, viewer) : undefined;
}

export interface ThingLoanView {
  readonly loanId: string;
  readonly resourceId: string;
  readonly ownerId: string;
  readonly borrowerId: string;
  readonly startOn: string;
  readonly dueOn: string;
  readonly renewalOf?: string;
  readonly renewedBy?: string;
  readonly checkedOutOn?: string;
  readonly endedOn?: string;
  readonly returnCondition?: string;
  readonly notes?: string;
  readonly asOf: string;
  /** As of `asOf`: reserved, out, overdue (out past the due date), returned, renewed, lost or damaged. */
  readonly status: string;
  readonly returnedLate?: boolean;
  /** Deposit and fee with what was waived, taken and settled (current, not as of asOf). */
  readonly charges?: Record<string, unknown>;
}

interface ThingLoanRow {
  loan_id: string;
  resource_id: string;
  owner_id: string;
  borrower_id: string;
  start_on: string;
  due_on: string;
  renewal_of: string | null;
  renewed_by: string | null;
  reserved_on: string;
  checked_out_on: string | null;
  ended_on: string | null;
  end_kind: string | null;
  return_condition: string | null;
  notes: string | null;
  charges: string | null;
}

function toThingLoan(r: ThingLoanRow, asOf: string): ThingLoanView | undefined {
  if (r.reserved_on > asOf) return undefined;
  const ended = r.ended_on !== null && r.ended_on <= asOf;
  const out = r.checked_out_on !== null && r.checked_out_on <= asOf && !ended;
  const status = ended ? (r.end_kind as string) : out ? (r.due_on < asOf ? 'overdue' : 'out') : 'reserved';
  return {
    loanId: r.loan_id,
    resourceId: r.resource_id,
    ownerId: r.owner_id,
    borrowerId: r.borrower_id,
    startOn: r.start_on,
    dueOn: r.due_on,
    ...(r.renewal_of ? { renewalOf: r.renewal_of } : {}),
    ...(ended && r.renewed_by ? { renewedBy: r.renewed_by } : {}),
    ...(r.checked_out_on && r.checked_out_on <= asOf ? { checkedOutOn: r.checked_out_on } : {}),
    ...(ended ? { endedOn: r.ended_on as string } : {}),
    ...(ended && r.return_condition ? { returnCondition: r.return_condition } : {}),
    ...(ended && r.notes ? { notes: r.notes } : {}),
    asOf,
    status,
    ...(ended && r.end_kind === 'returned' ? { returnedLate: (r.ended_on as string) > r.due_on } : {}),
    ...(r.charges ? { charges: JSON.parse(r.charges) as Record<string, unknown> } : {}),
  };
}

export function findThingLoan(db: Database.Database, loanId: string, asOf: string): ThingLoanView | undefined {
  const row = sql(db, 'SELECT * FROM thing_loans WHERE loan_id = ?').get(loanId) as ThingLoanRow | undefined;
  return row ? toThingLoan(row, asOf) : undefined;
}

export function thingLoanParties(db: Database.Database, loanId: string): { ownerId: string; borrowerId: string } | undefined {
  const row = sql(db, 'SELECT owner_id, borrower_id FROM thing_loans WHERE loan_id = ?').get(loanId) as { owner_id: string; borrower_id: string } | undefined;
  return row ? { ownerId: row.owner_id, borrowerId: row.borrower_id } : undefined;
}

/** Loans of things as of a date, optionally only a cooperative's (lent or borrowed), a resource's, or one status. */
export function listThingLoans(db: Database.Database, filter: { asOf: string; cooperativeId?: string; resourceId?: string; status?: string }): ThingLoanView[] {
  const coop = filter.cooperativeId ?? null;
  const rows = sql(
    db,
    `SELECT * FROM thing_loans WHERE reserved_on <= ? AND (? IS NULL OR owner_id = ? OR borrower_id = ?) AND (? IS NULL OR resource_id = ?)
     ORDER BY start_on, position`,
  ).all(filter.asOf, coop, coop, coop, filter.resourceId ?? null, filter.resourceId ?? null) as ThingLoanRow[];
  const loans = rows.map((r) => toThingLoan(r, filter.asOf)).filter((l): l is ThingLoanView => l !== undefined);
  return filter.status ? loans.filter((l) => l.status === filter.status) : loans;
}

export interface LabourExchangeView {
  readonly exchangeId: string;
  readonly workerId: string;
  readonly receiverId: string;
  readonly minutes: number;
  readonly workedOn: string;
  readonly description: string;
  readonly proposedBy: string;
  readonly status: 'proposed' | 'confirmed';
  readonly confirmedAt?: string;
}

interface ExchangeRow {
  exchange_id: string;
  worker_id: string;
  receiver_id: string;
  minutes: number;
  worked_on: string;
  description: string;
  proposed_for: string;
  status: 'proposed' | 'confirmed';
  confirmed_at: string | null;
}

export function listLabourExchanges(db: Database.Database, filter: { cooperativeId?: string; asOf: string }): LabourExchangeView[] {
  const coop = filter.cooperativeId ?? null;
  const rows = sql(db, 'SELECT * FROM labour_exchanges WHERE worked_on <= ? AND (? IS NULL OR worker_id = ? OR receiver_id = ?) ORDER BY worked_on, position').all(
    filter.asOf, coop, coop, coop,
  ) as ExchangeRow[];
  return rows.map((r) => ({
    exchangeId: r.exchange_id,
    workerId: r.worker_id,
    receiverId: r.receiver_id,
    minutes: r.minutes,
    workedOn: r.worked_on,
    description: r.description,
    proposedBy: r.proposed_for,
    status: r.status,
    ...(r.confirmed_at ? { confirmedAt: r.confirmed_at } : {}),
  }));
}

export interface LabourBalanceView {
  readonly cooperativeId: string;
  readonly name: string;
  /** Minutes worked for others less minutes received, confirmed exchanges dated on or before asOf. */
  readonly balanceMinutes: number;
  readonly limitMinutes?: number;
  /** The balance is past the limit in either direction: flagged, never blocked. */
  readonly flagged: boolean;
}

export function labourBalances(db: Database.Database, filter: { cooperativeId?: string; asOf: string }): LabourBalanceView[] {
  const rows = sql(db, 'SELECT cooperative_id, name, labour_limit FROM cooperatives WHERE (? IS NULL OR cooperative_id = ?) ORDER BY name').all(
    filter.cooperativeId ?? null, filter.cooperativeId ?? null,
  ) as { cooperative_id: string; name: string; labour_limit: number | null }[];
  return rows.map((r) => {
    const balance = balanceAsOf(db, postedKey(`coop:${r.cooperative_id}`, LABOUR_ASSET), filter.asOf);
    return {
      cooperativeId: r.cooperative_id,
      name: r.name,
      balanceMinutes: balance,
      ...(r.labour_limit !== null ? { limitMinutes: r.labour_limit } : {}),
      flagged: r.labour_limit !== null && Math.abs(balance) > r.labour_limit,
    };
  });
}
