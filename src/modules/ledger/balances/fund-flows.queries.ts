import type Database from 'better-sqlite3';
import { sql } from '../../../projections/projection';

/**
 * What came into and went out of the funds per month, by the kind of account on the other side
 * (`sustainer`, `income`, `vendor`, `loan`, `fund`, …: the part of the address before its colon),
 * from the balances read model's journal. Aggregates only: no counterparty's id leaves this query.
 */
export interface FundFlowRow {
  readonly account: string;
  readonly asset: string;
  /** YYYY-MM of the business day. */
  readonly month: string;
  readonly counterpartyKind: string;
  readonly inMinor: number;
  readonly outMinor: number;
}

export function fundFlowsByMonth(db: Database.Database, range: { from: string; to: string }): FundFlowRow[] {
  return sql(
    db,
    `SELECT account, asset, substr(effective_day, 1, 7) AS month,
            CASE WHEN instr(counterparty, ':') > 0 THEN substr(counterparty, 1, instr(counterparty, ':') - 1) ELSE counterparty END AS counterpartyKind,
            SUM(CASE WHEN delta > 0 THEN delta ELSE 0 END) AS inMinor,
            SUM(CASE WHEN delta < 0 THEN -delta ELSE 0 END) AS outMinor
       FROM fund_journal
      WHERE account >= 'fund:' AND account < 'fund;' AND effective_day >= ? AND effective_day < ?
      GROUP BY account, asset, month, counterpartyKind
      ORDER BY month, account, asset, counterpartyKind`,
  ).all(range.from, range.to) as FundFlowRow[];
}

/** The first business day any fund has an entry on, or undefined for an empty ledger. */
export function firstFundEntryDay(db: Database.Database): string | undefined {
  const row = sql(db, `SELECT MIN(effective_day) AS day FROM fund_journal WHERE account >= 'fund:' AND account < 'fund;'`).get() as { day: string | null };
  return row.day ?? undefined;
}
