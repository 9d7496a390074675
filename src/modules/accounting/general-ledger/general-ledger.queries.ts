import type Database from 'better-sqlite3';
import { sql } from '../../../projections/projection';
import { FIXED_ACCOUNTS, fundAccount, type ChartAccount } from '../chart-of-accounts';

export interface GlLine {
  readonly date: string;
  /** One journal entry per recorded event: its global position. */
  readonly journal: number;
  readonly eventId: string;
  readonly eventType: string;
  readonly movementId: string;
  readonly accountCode: string;
  readonly account: string;
  readonly debitMinor: number;
  readonly creditMinor: number;
  readonly currency: string;
  readonly memo: string;
  readonly counterparty: string;
}

interface Raw {
  position: number;
  event_id: string;
  event_type: string;
  movement_id: string;
  day: string;
  account_code: string;
  account: string;
  debit: number;
  credit: number;
  currency: string;
  memo: string;
  counterparty: string;
}

export function countLines(db: Database.Database, from: string, to: string): number {
  return (sql(db, 'SELECT COUNT(*) AS n FROM gl_lines WHERE day BETWEEN ? AND ?').get(from, to) as { n: number }).n;
}

/** A period's lines, by business day, then log position, then line: each journal entry's lines together. */
export function glLines(db: Database.Database, from: string, to: string): GlLine[] {
  return (sql(db, 'SELECT * FROM gl_lines WHERE day BETWEEN ? AND ? ORDER BY day, position, line').all(from, to) as Raw[]).map((r) => ({
    date: r.day,
    journal: r.position,
    eventId: r.event_id,
    eventType: r.event_type,
    movementId: r.movement_id,
    accountCode: r.account_code,
    account: r.account,
    debitMinor: r.debit,
    creditMinor: r.credit,
    currency: r.currency,
    memo: r.memo,
    counterparty: r.counterparty,
  }));
}

/** The fixed accounts and one per fund ever opened (by opening order), with each fund's currency. */
export function chartOfAccounts(db: Database.Database, defaultCurrency: string): Array<ChartAccount & { currency: string }> {
  const funds = sql(db, 'SELECT code, name, currency FROM gl_funds ORDER BY position').all() as Array<{ code: string; name: string; currency: string }>;
  const fundAccounts = funds.map((f) => ({ ...fundAccount(f.code, f.name), currency: f.currency }));
  const fixed = FIXED_ACCOUNTS.map((a) => ({ ...a, currency: defaultCurrency }));
  const at = fixed.findIndex((a) => a.code === '1100') + 1;
  return [...fixed.slice(0, at), ...fundAccounts, ...fixed.slice(at)];
}
