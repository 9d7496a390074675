import type Database from 'better-sqlite3';
import { sql } from '../../../projections/projection';

/** Queries over the improvements read model (improvements.projection.ts). */

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
