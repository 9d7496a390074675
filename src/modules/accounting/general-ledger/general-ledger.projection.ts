import type Database from 'better-sqlite3';
import type { RecordedEvent } from '../../../event-store/envelope';
import { Projection, sql } from '../../../projections/projection';
import { dayOf } from '../../../shared/calendar';
import { Posting, VALUE_EVENT_TYPES } from '../../../shared/postings';
import { MovementContext, glAccountFor, inNetworkBooks } from '../chart-of-accounts';

/**
 * The general ledger as an accountant reads it: one debit line and one credit line per posting
 * in the network's books, on the chart of accounts, by business day. Built from the same
 * postings the balances projection books, on the same date (the data's `effectiveAt`, else the
 * event's), so a period's lines agree with the trial balance.
 */
export const generalLedgerProjection: Projection = {
  name: 'accounting-general-ledger',
  version: 1,
  tables: ['gl_lines', 'gl_movements', 'gl_network_loans', 'gl_funds'],
  setup(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS gl_lines (
        position INTEGER NOT NULL, line INTEGER NOT NULL, event_id TEXT NOT NULL, event_type TEXT NOT NULL, movement_id TEXT NOT NULL,
        day TEXT NOT NULL, account_code TEXT NOT NULL, account TEXT NOT NULL, debit INTEGER NOT NULL, credit INTEGER NOT NULL,
        currency TEXT NOT NULL, memo TEXT NOT NULL, counterparty TEXT NOT NULL, PRIMARY KEY (position, line));
      CREATE TABLE IF NOT EXISTS gl_movements (
        movement_id TEXT PRIMARY KEY, kind TEXT, category TEXT, source TEXT, payee TEXT, memo TEXT, reference TEXT);
      CREATE TABLE IF NOT EXISTS gl_network_loans (loan_id TEXT PRIMARY KEY, borrower_id TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS gl_funds (code TEXT PRIMARY KEY, name TEXT NOT NULL, currency TEXT NOT NULL, position INTEGER NOT NULL);
    `);
  },
  // The journal's and the period reports' lines by business day; apply reads only by primary key.
  queryIndexes: [{ name: 'gl_lines_by_day', on: 'gl_lines (day, position, line)' }],
  apply(db, event: RecordedEvent) {
    const data = event.data as Record<string, unknown>;
    if (event.type === 'FundOpened') {
      sql(db, 'INSERT OR IGNORE INTO gl_funds (code, name, currency, position) VALUES (?, ?, ?, ?)').run(data.code, data.name, data.currency, event.globalPosition);
      return;
    }
    if (event.type === 'MovementRequested') {
      sql(db, 'INSERT OR IGNORE INTO gl_movements (movement_id, kind, category, source, payee, memo, reference) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
        data.movementId, data.kind ?? null, data.category ?? null, data.source ?? null, data.payee ?? null, data.memo ?? null,
        (data.invoiceReference ?? data.reference ?? null) as string | null,
      );
      return;
    }
    if (event.type === 'MoneyLoanDisbursed' && typeof data.lenderAccount === 'string' && data.lenderAccount.startsWith('fund:')) {
      sql(db, 'INSERT OR IGNORE INTO gl_network_loans (loan_id, borrower_id) VALUES (?, ?)').run(data.loanId, data.borrowerId);
    }
    if (!VALUE_EVENT_TYPES.has(event.type) || !Array.isArray(data.postings)) return;
    bookPostings(db, event, data);
  },
};

interface MovementRow {
  kind: string | null;
  category: string | null;
  source: string | null;
  payee: string | null;
  memo: string | null;
  reference: string | null;
}

function bookPostings(db: Database.Database, event: RecordedEvent, data: Record<string, unknown>): void {
  const movementId = String(data.movementId ?? event.eventId);
  const original = String(data.reversalOf ?? movementId);
  const movement = sql(db, 'SELECT kind, category, source, payee, memo, reference FROM gl_movements WHERE movement_id = ?').get(original) as MovementRow | undefined;
  const context: MovementContext = {
    kind: movement?.kind ?? (data.kind as string | undefined),
    category: movement?.category ?? undefined,
    source: movement?.source ?? undefined,
    payee: movement?.payee ?? undefined,
  };
  const day = dayOf(String(data.effectiveAt ?? event.effectiveAt));
  const memo = memoOf(event, data, movement);
  const isNetworkLoan = (loanId: string) => sql(db, 'SELECT 1 FROM gl_network_loans WHERE loan_id = ?').get(loanId) !== undefined;
  const fundName = (code: string) => (sql(db, 'SELECT name FROM gl_funds WHERE code = ?').get(code) as { name: string } | undefined)?.name;
  const borrowerOf = (address: string) => {
    if (!address.startsWith('loan:')) return undefined;
    const row = sql(db, 'SELECT borrower_id FROM gl_network_loans WHERE loan_id = ?').get(address.slice(5)) as { borrower_id: string } | undefined;
    return row ? `cooperative ${row.borrower_id}` : undefined;
  };
  const insert = sql(
    db,
    `INSERT INTO gl_lines (position, line, event_id, event_type, movement_id, day, account_code, account, debit, credit, currency, memo, counterparty)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  let line = 0;
  for (const posting of data.postings as Posting[]) {
    if (!inNetworkBooks(posting, isNetworkLoan)) continue;
    const to = glAccountFor(posting.to, context, fundName, event.type);
    const from = glAccountFor(posting.from, context, fundName, event.type);
    // The counterparty of the whole posting: the outside party on either side.
    const counterparty = to.counterparty ?? from.counterparty ?? borrowerOf(posting.to) ?? borrowerOf(posting.from) ?? '';
    for (const [side, debit, credit] of [[to, posting.amountMinor, 0], [from, 0, posting.amountMinor]] as const) {
      insert.run(event.globalPosition, line++, event.eventId, event.type, movementId, day, side.account.code, side.account.name, debit, credit, posting.asset, memo, counterparty);
    }
  }
}

const LABELS: Record<string, string> = {
  MovementReversed: 'reversal',
  ImprovementExpensePaid: 'improvement expense',
  ImprovementExpenseReversed: 'improvement expense reversal',
  MoneyLoanDisbursed: 'loan disbursed',
  MoneyLoanRepaid: 'loan repayment',
  MoneyLoanForgiven: 'loan forgiven',
};

function memoOf(event: RecordedEvent, data: Record<string, unknown>, movement: MovementRow | undefined): string {
  const parts = [
    LABELS[event.type] ?? movement?.kind ?? event.type,
    movement?.category ?? undefined,
    (movement?.reference ?? data.invoiceReference ?? undefined) as string | undefined,
    (movement?.memo ?? data.reason ?? data.purpose ?? undefined) as string | undefined,
  ];
  return parts.filter((p): p is string => typeof p === 'string' && p.length > 0).join(' · ').slice(0, 500);
}
