import type Database from 'better-sqlite3';
import { sql } from '../../../projections/projection';
import { dateBuckets } from './balances.projection';

/**
 * The balance under `key` for everything dated on or before `day` (YYYY-MM-DD): the years before
 * its year, the months of its year before its month and the days of its month up to it, three
 * range reads of at most a few dozen rows.
 */
export function balanceAsOf(db: Database.Database, key: string, day: string): number {
  const { day: dayNumber, month, year, monthStart } = dateBuckets(day);
  const row = sql(
    db,
    `SELECT (SELECT COALESCE(SUM(sum), 0) FROM balance_tree WHERE key = @key AND level = 2 AND bucket < @year)
          + (SELECT COALESCE(SUM(sum), 0) FROM balance_tree WHERE key = @key AND level = 1 AND bucket >= @firstMonth AND bucket < @month)
          + (SELECT COALESCE(SUM(sum), 0) FROM balance_tree WHERE key = @key AND level = 0 AND bucket >= @monthStart AND bucket <= @day) AS total`,
  ).get({ key, year, firstMonth: year * 12, month, monthStart, day: dayNumber }) as { total: number };
  return row.total;
}

/** The balance under `key` after the last change at or before a log position. */
export function balanceAtPosition(db: Database.Database, key: string, position: number): number {
  const row = sql(db, 'SELECT balance FROM balance_history WHERE key = ? AND position <= ? ORDER BY position DESC LIMIT 1').get(
    key,
    position,
  ) as { balance: number } | undefined;
  return row?.balance ?? 0;
}

export function currentBalance(db: Database.Database, account: string, asset: string): number {
  const row = sql(db, 'SELECT balance FROM account_balances WHERE account = ? AND asset = ?').get(account, asset) as
    | { balance: number }
    | undefined;
  return row?.balance ?? 0;
}

export function currentHeld(db: Database.Database, fundId: string): number {
  return (sql(db, 'SELECT COALESCE(SUM(amount), 0) AS held FROM fund_holds WHERE fund_id = ?').get(fundId) as { held: number }).held;
}

export interface JournalRow {
  position: number;
  movementId: string;
  kind: string;
  eventType: string;
  counterparty: string;
  asset: string;
  deltaMinor: number;
  effectiveAt: string;
  recordedAt: string;
  day: string;
}

/**
 * An account's journal entries, newest business day first, a page at a time: `before` is the
 * day and position of the last entry of the previous page.
 */
export function journalPage(
  db: Database.Database,
  account: string,
  filter: { from?: string; to?: string; kind?: string; before?: { day: string; position: number }; limit: number },
): JournalRow[] {
  const [beforeDay, beforePosition] = filter.before ? [filter.before.day, filter.before.position] : [null, null];
  return sql(
    db,
    `SELECT position, movement_id AS movementId, kind, event_type AS eventType, counterparty, asset, delta AS deltaMinor,
            effective_at AS effectiveAt, recorded_at AS recordedAt, effective_day AS day
     FROM fund_journal WHERE account = ?
       AND (? IS NULL OR effective_day >= ?) AND (? IS NULL OR effective_day <= ?) AND (? IS NULL OR kind = ?)
       AND (? IS NULL OR effective_day < ? OR (effective_day = ? AND position < ?))
     ORDER BY effective_day DESC, position DESC LIMIT ?`,
  ).all(
    account, filter.from ?? null, filter.from ?? null, filter.to ?? null, filter.to ?? null, filter.kind ?? null, filter.kind ?? null,
    beforeDay, beforeDay, beforeDay, beforePosition, filter.limit,
  ) as JournalRow[];
}

/** Every account's current balance per asset. */
export function accountBalances(db: Database.Database): Array<{ account: string; asset: string; balance: number }> {
  return sql(db, 'SELECT account, asset, balance FROM account_balances ORDER BY asset, account').all() as Array<{
    account: string;
    asset: string;
    balance: number;
  }>;
}
