import type Database from 'better-sqlite3';
import type { RecordedEvent } from '../../../event-store/envelope';
import { Projection, sql } from '../../../projections/projection';
import { dayOf } from '../../../shared/calendar';
import type { ImprovementEvent } from '../improvement/improvement.decider';

/**
 * Improvement projects, kept so that a report as of any date is a handful of indexed sums and
 * never a replay: every amount is a row carrying the business day it counts from (an
 * allocation from the day it was approved, a payment from the day it was paid, a release from
 * the day it was recorded), and a status from the day it changed.
 */
export const improvementsProjection: Projection = {
  name: 'land-trust-improvements',
  version: 1,
  tables: ['improvements', 'improvement_status', 'improvement_lines', 'improvement_releases', 'improvement_expenses', 'improvement_charges'],
  setup(db) {
    db.exec(`
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
    applyImprovement(db, event, event as unknown as ImprovementEvent);
  },
};

function applyImprovement(db: Database.Database, event: RecordedEvent, e: ImprovementEvent): void {
  const day = dayOf(event.recordedAt);
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
      return;
  }
}
