import type Database from 'better-sqlite3';
import { sql } from '../../../projections/projection';

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
