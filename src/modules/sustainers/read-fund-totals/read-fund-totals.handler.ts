import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ReadModelDatabase } from '../../../projections/read-model-database';
import { quarterOf } from '../../../shared/schedule';
import { findFund } from '../../funds';
import { raisedRows } from '../donations/donations.queries';
import { dueInstalments } from '../pledge/pledge-standing';
import { pledgeStatesOf } from '../pledges/pledges.queries';

export type FundTotalsPeriod = 'month' | 'quarter' | 'year';

interface FundTotalsRow {
  fundId: string;
  fundCode: string | null;
  period: string;
  currency: string;
  receivedMinor: number;
  refundedMinor: number;
  promisedMinor: number;
}

export type FundTotals = { year: number; by: FundTotalsPeriod; items: Array<FundTotalsRow & { netMinor: number }> };

export class ReadFundTotalsQuery {
  constructor(
    readonly year: number,
    readonly by: FundTotalsPeriod,
  ) {}
}

/** Raised per fund and month, quarter or year: received by day received, refunds by day refunded, and what pledges promised for it apart. */
@QueryHandler(ReadFundTotalsQuery)
export class ReadFundTotalsHandler implements IQueryHandler<ReadFundTotalsQuery, FundTotals> {
  constructor(private readonly readModels: ReadModelDatabase) {}

  async execute({ year, by }: ReadFundTotalsQuery): Promise<FundTotals> {
    const db = this.readModels.db;
    const from = `${year}-01-01`;
    const to = `${year + 1}-01-01`;
    const periodOf = (day: string) => (by === 'month' ? day.slice(0, 7) : by === 'quarter' ? quarterOf(day) : day.slice(0, 4));
    const rows = new Map<string, FundTotalsRow>();
    const add = (fundId: string, day: string, currency: string, delta: { receivedMinor?: number; refundedMinor?: number; promisedMinor?: number }) => {
      const period = periodOf(day);
      const key = `${fundId}|${period}|${currency}`;
      const row = rows.get(key) ?? { fundId, fundCode: findFund(db, fundId)?.code ?? null, period, currency, receivedMinor: 0, refundedMinor: 0, promisedMinor: 0 };
      rows.set(key, {
        ...row,
        receivedMinor: row.receivedMinor + (delta.receivedMinor ?? 0),
        refundedMinor: row.refundedMinor + (delta.refundedMinor ?? 0),
        promisedMinor: row.promisedMinor + (delta.promisedMinor ?? 0),
      });
    };
    for (const r of raisedRows(db, from, to)) add(r.fund_id, r.day, r.currency, { receivedMinor: r.received, refundedMinor: r.refunded });
    for (const s of pledgeStatesOf(db, {})) {
      if (s.status === 'none') continue;
      for (const i of dueInstalments(s, `${year}-12-31`)) if (i.dueOn >= from) add(s.made.fundId, i.dueOn, s.made.currency, { promisedMinor: i.amountMinor });
    }
    const items = [...rows.values()]
      .map((r) => ({ ...r, netMinor: r.receivedMinor - r.refundedMinor }))
      .sort((a, b) => (a.fundCode ?? '').localeCompare(b.fundCode ?? '') || a.period.localeCompare(b.period) || a.currency.localeCompare(b.currency));
    return { year, by, items };
  }
}
