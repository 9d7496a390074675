import { toCsv } from '../../shared/csv';
import { decimal, type ChartAccount } from './chart-of-accounts';
import type { GlLine } from './general-ledger/general-ledger.queries';

/**
 * The CSV layouts an accountant imports. Amounts are decimal strings in the currency's minor-unit
 * precision, never negative (a debit column and a credit column), so no cell starts with `-`.
 *
 * - `generic`: one line per debit or credit, for any spreadsheet or tool that maps columns.
 * - `gnucash`: GnuCash's CSV transaction import (File › Import › Import Transactions from CSV)
 *   with "Multi-split" ticked: one row per split, grouped by `Transaction ID`. Map Deposit to
 *   Amount and Withdrawal to Amount (Negated) (GnuCash 5; "Deposit"/"Withdrawal" in 3 and 4).
 * - `quickbooks`: QuickBooks Online's journal entry import (Settings › Import data › Journal
 *   entries): Journal No., Journal Date (MM/DD/YYYY), Account Name, Debits, Credits, Description.
 */
export const GL_LAYOUTS = ['generic', 'gnucash', 'quickbooks'] as const;
export type GlLayout = (typeof GL_LAYOUTS)[number];

export const GL_HEADERS: Record<GlLayout, readonly string[]> = {
  generic: ['Date', 'Journal', 'Account Code', 'Account', 'Debit', 'Credit', 'Currency', 'Memo', 'Counterparty', 'Movement ID', 'Event Type'],
  gnucash: ['Date', 'Transaction ID', 'Number', 'Description', 'Notes', 'Currency', 'Full Account Name', 'Memo', 'Deposit', 'Withdrawal'],
  quickbooks: ['Journal No.', 'Journal Date', 'Account Name', 'Debits', 'Credits', 'Description', 'Currency Code'],
};

const amount = (minor: number, currency: string) => (minor === 0 ? '' : decimal(minor, currency));
const usDate = (day: string) => `${day.slice(5, 7)}/${day.slice(8, 10)}/${day.slice(0, 4)}`;
/** QuickBooks Online imports sub-accounts as `Parent:Sub` only when the parent exists; flat names avoid that step. */
export const quickbooksName = (name: string) => name.split(':').join(' - ');

export function generalLedgerCsv(lines: readonly GlLine[], layout: GlLayout): string {
  const rows = lines.map((l) => {
    const debit = amount(l.debitMinor, l.currency);
    const credit = amount(l.creditMinor, l.currency);
    switch (layout) {
      case 'generic':
        return [l.date, l.journal, l.accountCode, l.account, debit, credit, l.currency, l.memo, l.counterparty, l.movementId, l.eventType];
      case 'gnucash':
        return [l.date, l.eventId, l.journal, l.memo, `movement ${l.movementId}`, l.currency, l.account, l.counterparty, debit, credit];
      case 'quickbooks':
        return [l.journal, usDate(l.date), quickbooksName(l.account), debit, credit, [l.memo, l.counterparty].filter(Boolean).join(' · '), l.currency];
    }
  });
  return toCsv(GL_HEADERS[layout], rows);
}

export const CHART_HEADERS: Record<GlLayout, readonly string[]> = {
  generic: ['Code', 'Account', 'Type', 'Currency', 'Placeholder', 'Description'],
  // GnuCash's own account export, which File › Import › Import Accounts from CSV reads back.
  gnucash: ['Type', 'Full Account Name', 'Account Name', 'Account Code', 'Description', 'Account Color', 'Notes', 'Symbol', 'Namespace', 'Hidden', 'Tax Info', 'Placeholder'],
  quickbooks: ['Account Name', 'Type', 'Detail Type', 'Description'],
};

const GNUCASH_TYPES: Record<ChartAccount['type'], string> = { asset: 'ASSET', equity: 'EQUITY', income: 'INCOME', expense: 'EXPENSE' };
const QUICKBOOKS_TYPES: Record<ChartAccount['type'], [string, string]> = {
  asset: ['Bank', 'Cash on hand'],
  equity: ['Equity', 'Opening Balance Equity'],
  income: ['Income', 'Non-Profit Income'],
  expense: ['Expenses', 'Other Miscellaneous Service Cost'],
};

export function chartCsv(accounts: ReadonlyArray<ChartAccount & { currency: string }>, layout: GlLayout): string {
  const rows = accounts
    .filter((a) => layout !== 'quickbooks' || !a.placeholder)
    .map((a) => {
      switch (layout) {
        case 'generic':
          return [a.code, a.name, a.type, a.currency, a.placeholder, a.description];
        case 'gnucash':
          return [GNUCASH_TYPES[a.type], a.name, a.name.split(':').pop(), a.code, a.description, '', '', a.currency, 'CURRENCY', 'F', 'F', a.placeholder ? 'T' : 'F'];
        case 'quickbooks': {
          const [type, detail] = a.code === '1300' ? ['Other Current Assets', 'Loans To Others'] : QUICKBOOKS_TYPES[a.type];
          return [quickbooksName(a.name), type, detail, a.description];
        }
      }
    });
  return toCsv(CHART_HEADERS[layout], rows);
}
