import type Database from 'better-sqlite3';
import type { RecordedEvent } from '../../../event-store/envelope';
import { Projection, sql } from '../../../projections/projection';
import type { ResourceEvent } from '../resource/resource.decider';

/**
 * The resources cooperatives share and the loans of things made of them (reservations, check-outs,
 * renewals, returns, deposits and fees). One read model: a check-out or a return changes the
 * resource and its loan together.
 */
export const loansOfThingsProjection: Projection = {
  name: 'lending-loans-of-things',
  version: 1,
  tables: ['resources', 'thing_loans'],
  setup(db) {
    db.exec(`
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
    applyResource(db, event, event as unknown as ResourceEvent);
  },
};

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
