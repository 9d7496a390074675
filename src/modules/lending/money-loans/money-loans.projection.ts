import type { RecordedEvent } from '../../../event-store/envelope';
import { Projection, sql } from '../../../projections/projection';
import type { MoneyLoanEvent } from '../money-loan/money-loan.decider';

/**
 * Money loans between cooperatives and from funds: requests awaiting a second steward, loans
 * disbursed, and every repayment and forgiveness as a row carrying its business day, so a loan's
 * standing as of any date is a sum over indexed rows, never a replay.
 */
export const moneyLoansProjection: Projection = {
  name: 'lending-money-loans',
  // 2: a request's stored repayment plan spells `instalments` (MoneyLoanRequested v2).
  version: 2,
  tables: ['money_loan_requests', 'money_loans', 'money_loan_entries'],
  setup(db) {
    db.exec(`
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
    `);
  },
  apply(db, event: RecordedEvent) {
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
