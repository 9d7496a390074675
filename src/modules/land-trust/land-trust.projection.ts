import type Database from 'better-sqlite3';
import type { RecordedEvent } from '../../event-store/envelope';
import { Projection, sql } from '../../projections/projection';
import { dayOf } from '../../shared/calendar';
import type { ImprovementEvent } from './improvement/improvement.decider';
import type { PropertyEvent } from './property/property.decider';

/**
 * Properties and improvement projects, kept so that a report as of any date is a handful of
 * indexed sums and never a replay: every amount is a row carrying the business day it counts
 * from (an allocation from the day it was approved, a payment from the day it was paid, a
 * release from the day it was recorded), and a status from the day it changed.
 */
export const landTrustProjection: Projection = {
  name: 'land-trust',
  // 2: reversed expenses (negative charges, releases keyed by position).
  version: 2,
  tables: ['properties', 'property_status_changes', 'improvements', 'improvement_status', 'improvement_lines', 'improvement_releases', 'improvement_expenses', 'improvement_charges'],
  setup(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS properties (
        property_id TEXT PRIMARY KEY, address TEXT NOT NULL, parcel_id TEXT NOT NULL, acquired_on TEXT NOT NULL,
        status TEXT NOT NULL, registered_at TEXT NOT NULL, lease_id TEXT, household_id TEXT, lease_starts_on TEXT, lease_term_years INTEGER,
        resale_credit INTEGER NOT NULL DEFAULT 0);
      CREATE TABLE IF NOT EXISTS property_status_changes (
        property_id TEXT NOT NULL, position INTEGER NOT NULL, from_status TEXT NOT NULL, to_status TEXT NOT NULL, reason TEXT,
        changed_at TEXT NOT NULL, PRIMARY KEY (property_id, position));
      CREATE TABLE IF NOT EXISTS improvements (
        improvement_id TEXT PRIMARY KEY, property_id TEXT NOT NULL, position INTEGER NOT NULL, description TEXT NOT NULL, phase TEXT NOT NULL,
        estimate INTEGER NOT NULL, currency TEXT NOT NULL, status TEXT NOT NULL, planned_by TEXT NOT NULL, planned_at TEXT NOT NULL,
        planned_day TEXT NOT NULL, funding_lines TEXT NOT NULL, approved_by TEXT, approved_at TEXT, completed_on TEXT, inspection TEXT,
        inspection_notes TEXT, cancel_reason TEXT, resale_credit INTEGER, pending_increases TEXT NOT NULL DEFAULT '[]');
      CREATE INDEX IF NOT EXISTS improvements_by_property ON improvements (property_id, position);
      CREATE TABLE IF NOT EXISTS improvement_status (
        improvement_id TEXT NOT NULL, position INTEGER NOT NULL, day TEXT NOT NULL, status TEXT NOT NULL, PRIMARY KEY (improvement_id, position));
      CREATE TABLE IF NOT EXISTS improvement_lines (
        hold_id TEXT PRIMARY KEY, improvement_id TEXT NOT NULL, property_id TEXT NOT NULL, position INTEGER NOT NULL, seq INTEGER NOT NULL,
        source TEXT NOT NULL, fund_id TEXT NOT NULL, fund_code TEXT NOT NULL, amount INTEGER NOT NULL, approved_day TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS improvement_lines_by_project ON improvement_lines (improvement_id, approved_day);
      CREATE TABLE IF NOT EXISTS improvement_releases (
        hold_id TEXT NOT NULL, position INTEGER NOT NULL, improvement_id TEXT NOT NULL, fund_id TEXT NOT NULL, fund_code TEXT NOT NULL,
        amount INTEGER NOT NULL, day TEXT NOT NULL, PRIMARY KEY (hold_id, position));
      CREATE TABLE IF NOT EXISTS improvement_expenses (
        expense_id TEXT PRIMARY KEY, improvement_id TEXT NOT NULL, property_id TEXT NOT NULL, position INTEGER NOT NULL, vendor TEXT NOT NULL,
        invoice_reference TEXT NOT NULL, amount INTEGER NOT NULL, currency TEXT NOT NULL, effective_at TEXT NOT NULL, effective_day TEXT NOT NULL,
        recorded_at TEXT NOT NULL, charges TEXT NOT NULL, reversal TEXT);
      CREATE INDEX IF NOT EXISTS improvement_expenses_by_project ON improvement_expenses (improvement_id, effective_day);
      CREATE TABLE IF NOT EXISTS improvement_charges (
        expense_id TEXT NOT NULL, seq INTEGER NOT NULL, improvement_id TEXT NOT NULL, property_id TEXT NOT NULL, phase TEXT NOT NULL,
        vendor TEXT NOT NULL, fund_id TEXT NOT NULL, fund_code TEXT NOT NULL, currency TEXT NOT NULL, amount INTEGER NOT NULL,
        effective_day TEXT NOT NULL, PRIMARY KEY (expense_id, seq));
      CREATE INDEX IF NOT EXISTS improvement_charges_by_project ON improvement_charges (improvement_id, effective_day);
      CREATE INDEX IF NOT EXISTS improvement_charges_by_day ON improvement_charges (effective_day);
    `);
  },
  apply(db, event: RecordedEvent) {
    const day = dayOf(event.recordedAt);
    const p = event as unknown as PropertyEvent;
    switch (p.type) {
      case 'PropertyRegistered': {
        const d = p.data;
        sql(db, 'INSERT INTO properties (property_id, address, parcel_id, acquired_on, status, registered_at) VALUES (?, ?, ?, ?, ?, ?)').run(
          d.propertyId, d.address, d.parcelId, d.acquiredOn, d.status, d.registeredAt,
        );
        return;
      }
      case 'PropertyStatusChanged': {
        const d = p.data;
        sql(db, 'UPDATE properties SET status = ? WHERE property_id = ?').run(d.to, d.propertyId);
        sql(db, 'INSERT INTO property_status_changes (property_id, position, from_status, to_status, reason, changed_at) VALUES (?, ?, ?, ?, ?, ?)').run(
          d.propertyId, event.globalPosition, d.from, d.to, d.reason ?? null, d.changedAt,
        );
        return;
      }
      case 'GroundLeaseRecorded': {
        const d = p.data;
        sql(db, 'UPDATE properties SET lease_id = ?, household_id = ?, lease_starts_on = ?, lease_term_years = ? WHERE property_id = ?').run(
          d.leaseId, d.householdId, d.startsOn, d.termYears, d.propertyId,
        );
        return;
      }
    }
    applyImprovement(db, event, event as unknown as ImprovementEvent, day);
  },
};

function applyImprovement(db: Database.Database, event: RecordedEvent, e: ImprovementEvent, day: string): void {
  const status = (improvementId: string, value: string, on = day) => {
    sql(db, 'UPDATE improvements SET status = ? WHERE improvement_id = ?').run(value, improvementId);
    sql(db, 'INSERT INTO improvement_status (improvement_id, position, day, status) VALUES (?, ?, ?, ?)').run(improvementId, event.globalPosition, on, value);
  };
  const lines = (improvementId: string, source: string, list: readonly { holdId: string; fundId: string; fundCode: string; amountMinor: number; approvedOn: string }[]) => {
    const propertyId = (sql(db, 'SELECT property_id FROM improvements WHERE improvement_id = ?').get(improvementId) as { property_id: string }).property_id;
    list.forEach((l, seq) =>
      sql(db, `INSERT INTO improvement_lines (hold_id, improvement_id, property_id, position, seq, source, fund_id, fund_code, amount, approved_day)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(l.holdId, improvementId, propertyId, event.globalPosition, seq, source, l.fundId, l.fundCode, l.amountMinor, l.approvedOn),
    );
  };
  const releases = (improvementId: string, list: readonly { holdId: string; fundId: string; fundCode: string; amountMinor: number }[], on = day) => {
    for (const r of list) {
      sql(db, 'INSERT INTO improvement_releases (hold_id, position, improvement_id, fund_id, fund_code, amount, day) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
        r.holdId, event.globalPosition, improvementId, r.fundId, r.fundCode, r.amountMinor, on,
      );
    }
  };
  switch (e.type) {
    case 'ImprovementPlanned': {
      const d = e.data;
      // A plan recorded after the fact counts from its business date.
      const plannedDay = d.effectiveAt ? dayOf(d.effectiveAt) : day;
      sql(db, `INSERT INTO improvements (improvement_id, property_id, position, description, phase, estimate, currency, status, planned_by,
                 planned_at, planned_day, funding_lines) VALUES (?, ?, ?, ?, ?, ?, ?, 'planned', ?, ?, ?, ?)`).run(
        d.improvementId, d.propertyId, event.globalPosition, d.description, d.phase, d.estimateMinor, d.currency, d.plannedBy, d.plannedAt, plannedDay,
        JSON.stringify(d.fundingLines),
      );
      sql(db, 'INSERT INTO improvement_status (improvement_id, position, day, status) VALUES (?, ?, ?, ?)').run(d.improvementId, event.globalPosition, plannedDay, 'planned');
      return;
    }
    case 'ImprovementApproved':
      sql(db, 'UPDATE improvements SET approved_by = ?, approved_at = ? WHERE improvement_id = ?').run(e.data.approvedBy, e.data.approvedAt, e.data.improvementId);
      status(e.data.improvementId, 'approved', e.data.effectiveAt ? dayOf(e.data.effectiveAt) : day);
      lines(e.data.improvementId, 'plan', e.data.lines);
      return;
    case 'ImprovementBudgetIncreaseRequested': {
      const d = e.data;
      const row = sql(db, 'SELECT pending_increases FROM improvements WHERE improvement_id = ?').get(d.improvementId) as { pending_increases: string };
      const pending = [...(JSON.parse(row.pending_increases) as unknown[]), { increaseId: d.increaseId, amountMinor: d.amountMinor, fundingLines: d.fundingLines, reason: d.reason, requestedBy: d.requestedBy }];
      sql(db, 'UPDATE improvements SET pending_increases = ? WHERE improvement_id = ?').run(JSON.stringify(pending), d.improvementId);
      return;
    }
    case 'ImprovementBudgetIncreaseApproved': {
      const d = e.data;
      const row = sql(db, 'SELECT pending_increases FROM improvements WHERE improvement_id = ?').get(d.improvementId) as { pending_increases: string };
      const pending = (JSON.parse(row.pending_increases) as { increaseId: string }[]).filter((i) => i.increaseId !== d.increaseId);
      sql(db, 'UPDATE improvements SET pending_increases = ? WHERE improvement_id = ?').run(JSON.stringify(pending), d.improvementId);
      lines(d.improvementId, d.increaseId, d.lines);
      return;
    }
    case 'ImprovementExpensePaid': {
      const d = e.data;
      const effectiveDay = dayOf(d.effectiveAt);
      sql(db, `INSERT INTO improvement_expenses (expense_id, improvement_id, property_id, position, vendor, invoice_reference, amount, currency,
                 effective_at, effective_day, recorded_at, charges) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
        d.expenseId, d.improvementId, d.propertyId, event.globalPosition, d.vendor, d.invoiceReference, d.amountMinor, d.currency, d.effectiveAt,
        effectiveDay, event.recordedAt, JSON.stringify(d.charges.map(({ fundId, fundCode, amountMinor }) => ({ fundId, fundCode, amountMinor }))),
      );
      d.charges.forEach((c, seq) =>
        sql(db, `INSERT INTO improvement_charges (expense_id, seq, improvement_id, property_id, phase, vendor, fund_id, fund_code, currency, amount, effective_day)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(d.expenseId, seq, d.improvementId, d.propertyId, d.phase, d.vendor, c.fundId, c.fundCode, d.currency, c.amountMinor, effectiveDay),
      );
      return;
    }
    case 'ImprovementExpenseReversed': {
      const d = e.data;
      const effectiveDay = dayOf(d.effectiveAt);
      const paid = sql(db, 'SELECT phase FROM improvements WHERE improvement_id = ?').get(d.improvementId) as { phase: string };
      sql(db, 'UPDATE improvement_expenses SET reversal = ? WHERE expense_id = ?').run(
        JSON.stringify({ reason: d.reason, effectiveAt: d.effectiveAt, recordedAt: event.recordedAt, restoredToHolds: d.restoredToHolds }),
        d.expenseId,
      );
      // Spending falls on the reversal's date; the original rows stay as they were.
      d.charges.forEach((c, seq) =>
        sql(db, `INSERT INTO improvement_charges (expense_id, seq, improvement_id, property_id, phase, vendor, fund_id, fund_code, currency, amount, effective_day)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(`${d.expenseId}:reversal`, seq, d.improvementId, d.propertyId, paid.phase, d.vendor, c.fundId, c.fundCode, d.currency, -c.amountMinor, effectiveDay),
      );
      // After the work ended the money is not held again: it is released, on the same date.
      if (!d.restoredToHolds) releases(d.improvementId, d.charges, effectiveDay);
      return;
    }
    case 'ImprovementCompleted': {
      const d = e.data;
      sql(db, 'UPDATE improvements SET completed_on = ?, inspection = ?, inspection_notes = ? WHERE improvement_id = ?').run(
        d.completedOn, d.inspection, d.inspectionNotes ?? null, d.improvementId,
      );
      status(d.improvementId, 'completed');
      releases(d.improvementId, d.released);
      return;
    }
    case 'ImprovementCancelled':
      sql(db, 'UPDATE improvements SET cancel_reason = ? WHERE improvement_id = ?').run(e.data.reason, e.data.improvementId);
      status(e.data.improvementId, 'cancelled');
      releases(e.data.improvementId, e.data.released);
      return;
    case 'ResaleCreditRecorded':
      sql(db, 'UPDATE improvements SET resale_credit = ? WHERE improvement_id = ?').run(e.data.amountMinor, e.data.improvementId);
      sql(db, 'UPDATE properties SET resale_credit = resale_credit + ? WHERE property_id = ?').run(e.data.amountMinor, e.data.propertyId);
      return;
  }
}

export interface PropertyView {
  readonly propertyId: string;
  readonly address: string;
  readonly parcelId: string;
  readonly acquiredOn: string;
  readonly status: string;
  readonly registeredAt: string;
  readonly groundLease?: { leaseId: string; householdId: string; startsOn: string; termYears: number };
  readonly resaleCreditMinor: number;
  readonly statusHistory?: { from: string; to: string; reason?: string; changedAt: string }[];
}

interface PropertyRow {
  property_id: string;
  address: string;
  parcel_id: string;
  acquired_on: string;
  status: string;
  registered_at: string;
  lease_id: string | null;
  household_id: string | null;
  lease_starts_on: string | null;
  lease_term_years: number | null;
  resale_credit: number;
}

function toPropertyView(row: PropertyRow): PropertyView {
  return {
    propertyId: row.property_id,
    address: row.address,
    parcelId: row.parcel_id,
    acquiredOn: row.acquired_on,
    status: row.status,
    registeredAt: row.registered_at,
    ...(row.lease_id
      ? { groundLease: { leaseId: row.lease_id, householdId: row.household_id ?? '', startsOn: row.lease_starts_on ?? '', termYears: row.lease_term_years ?? 0 } }
      : {}),
    resaleCreditMinor: row.resale_credit,
  };
}

export function findProperty(db: Database.Database, propertyId: string): PropertyView | undefined {
  const row = sql(db, 'SELECT * FROM properties WHERE property_id = ?').get(propertyId) as PropertyRow | undefined;
  if (!row) return undefined;
  const history = sql(db, 'SELECT from_status, to_status, reason, changed_at FROM property_status_changes WHERE property_id = ? ORDER BY position').all(propertyId) as {
    from_status: string;
    to_status: string;
    reason: string | null;
    changed_at: string;
  }[];
  return {
    ...toPropertyView(row),
    statusHistory: history.map((h) => ({ from: h.from_status, to: h.to_status, ...(h.reason ? { reason: h.reason } : {}), changedAt: h.changed_at })),
  };
}

/** Properties ordered by parcel id, a page at a time: `after` is the last parcel id of the previous page. */
export function listProperties(db: Database.Database, page: { status?: string; after?: string; limit: number }): PropertyView[] {
  const rows = sql(db, 'SELECT * FROM properties WHERE parcel_id > ? AND (? IS NULL OR status = ?) ORDER BY parcel_id LIMIT ?').all(
    page.after ?? '', page.status ?? null, page.status ?? null, page.limit,
  ) as PropertyRow[];
  return rows.map(toPropertyView);
}

export interface ImprovementRow {
  improvement_id: string;
  property_id: string;
  description: string;
  phase: string;
  estimate: number;
  currency: string;
  status: string;
  planned_by: string;
  planned_at: string;
  planned_day: string;
  funding_lines: string;
  approved_by: string | null;
  approved_at: string | null;
  completed_on: string | null;
  inspection: string | null;
  inspection_notes: string | null;
  cancel_reason: string | null;
  resale_credit: number | null;
  pending_increases: string;
}

/** Projects in the order they were planned, a page at a time: `after` is the last improvement id of the previous page. */
export function listImprovements(db: Database.Database, page: { propertyId?: string; status?: string; after?: string; limit: number }) {
  const afterPosition = page.after
    ? ((sql(db, 'SELECT position FROM improvements WHERE improvement_id = ?').get(page.after) as { position: number } | undefined)?.position ?? -1)
    : -1;
  const rows = sql(
    db,
    `SELECT improvement_id, property_id, description, phase, estimate, currency, status, planned_at, planned_day FROM improvements
     WHERE position > ? AND (? IS NULL OR property_id = ?) AND (? IS NULL OR status = ?) ORDER BY position LIMIT ?`,
  ).all(afterPosition, page.propertyId ?? null, page.propertyId ?? null, page.status ?? null, page.status ?? null, page.limit) as {
    improvement_id: string;
    property_id: string;
    description: string;
    phase: string;
    estimate: number;
    currency: string;
    status: string;
    planned_at: string;
    planned_day: string;
  }[];
  return rows.map((r) => ({
    improvementId: r.improvement_id,
    propertyId: r.property_id,
    description: r.description,
    phase: r.phase,
    estimateMinor: r.estimate,
    currency: r.currency,
    status: r.status,
    plannedAt: r.planned_at,
    plannedOn: r.planned_day,
  }));
}

export function findImprovement(db: Database.Database, improvementId: string) {
  const row = sql(db, 'SELECT * FROM improvements WHERE improvement_id = ?').get(improvementId) as ImprovementRow | undefined;
  if (!row) return undefined;
  const lines = sql(db, 'SELECT hold_id, source, fund_id, fund_code, amount, approved_day FROM improvement_lines WHERE improvement_id = ? ORDER BY position, seq').all(improvementId) as {
    hold_id: string;
    source: string;
    fund_id: string;
    fund_code: string;
    amount: number;
    approved_day: string;
  }[];
  // The approval's business day (its date when recorded after the fact), beside when it was recorded.
  const approval = sql(db, "SELECT day FROM improvement_status WHERE improvement_id = ? AND status = 'approved' ORDER BY position LIMIT 1").get(improvementId) as
    | { day: string }
    | undefined;
  const expenses = sql(db, 'SELECT * FROM improvement_expenses WHERE improvement_id = ? ORDER BY position').all(improvementId) as {
    expense_id: string;
    vendor: string;
    invoice_reference: string;
    amount: number;
    currency: string;
    effective_at: string;
    recorded_at: string;
    charges: string;
    reversal: string | null;
  }[];
  return {
    improvementId: row.improvement_id,
    propertyId: row.property_id,
    description: row.description,
    phase: row.phase,
    estimateMinor: row.estimate,
    currency: row.currency,
    status: row.status,
    plannedBy: row.planned_by,
    plannedAt: row.planned_at,
    plannedOn: row.planned_day,
    fundingLines: JSON.parse(row.funding_lines) as unknown[],
    ...(row.approved_by ? { approvedBy: row.approved_by, approvedAt: row.approved_at, ...(approval ? { approvedOn: approval.day } : {}) } : {}),
    allocation: lines.map((l) => ({ holdId: l.hold_id, source: l.source, fundId: l.fund_id, fundCode: l.fund_code, amountMinor: l.amount, approvedOn: l.approved_day })),
    pendingBudgetIncreases: JSON.parse(row.pending_increases) as unknown[],
    expenses: expenses.map((x) => ({
      expenseId: x.expense_id,
      vendor: x.vendor,
      invoiceReference: x.invoice_reference,
      amountMinor: x.amount,
      currency: x.currency,
      // Expenses recorded before instants were normalised at the edge may carry an offset: answer UTC.
      effectiveAt: new Date(x.effective_at).toISOString(),
      recordedAt: x.recorded_at,
      charges: JSON.parse(x.charges) as unknown[],
      ...(x.reversal ? { reversal: JSON.parse(x.reversal) as unknown } : {}),
    })),
    ...(row.completed_on ? { completedOn: row.completed_on, inspection: row.inspection, ...(row.inspection_notes ? { inspectionNotes: row.inspection_notes } : {}) } : {}),
    ...(row.cancel_reason ? { cancelReason: row.cancel_reason } : {}),
    ...(row.resale_credit !== null ? { resaleCreditMinor: row.resale_credit } : {}),
  };
}
