import type Database from 'better-sqlite3';
import { sql } from '../../../projections/projection';
import { balanceAsOf, postedKey } from '../../ledger';
import { LABOUR_ASSET } from '../labour/labour-exchange.decider';

export interface LabourExchangeView {
  readonly exchangeId: string;
  readonly workerId: string;
  readonly receiverId: string;
  readonly minutes: number;
  readonly workedOn: string;
  readonly description: string;
  readonly proposedBy: string;
  readonly status: 'proposed' | 'confirmed';
  readonly confirmedAt?: string;
}

interface ExchangeRow {
  exchange_id: string;
  worker_id: string;
  receiver_id: string;
  minutes: number;
  worked_on: string;
  description: string;
  proposed_for: string;
  status: 'proposed' | 'confirmed';
  confirmed_at: string | null;
}

export function listLabourExchanges(db: Database.Database, filter: { cooperativeId?: string; asOf: string }): LabourExchangeView[] {
  const coop = filter.cooperativeId ?? null;
  const rows = sql(db, 'SELECT * FROM labour_exchanges WHERE worked_on <= ? AND (? IS NULL OR worker_id = ? OR receiver_id = ?) ORDER BY worked_on, position').all(
    filter.asOf, coop, coop, coop,
  ) as ExchangeRow[];
  return rows.map((r) => ({
    exchangeId: r.exchange_id,
    workerId: r.worker_id,
    receiverId: r.receiver_id,
    minutes: r.minutes,
    workedOn: r.worked_on,
    description: r.description,
    proposedBy: r.proposed_for,
    status: r.status,
    ...(r.confirmed_at ? { confirmedAt: r.confirmed_at } : {}),
  }));
}

export interface LabourBalanceView {
  readonly cooperativeId: string;
  readonly name: string;
  /** Minutes worked for others less minutes received, confirmed exchanges dated on or before asOf. */
  readonly balanceMinutes: number;
  readonly limitMinutes?: number;
  /** The balance is past the limit in either direction: flagged, never blocked. */
  readonly flagged: boolean;
}

export function labourBalances(db: Database.Database, filter: { cooperativeId?: string; asOf: string }): LabourBalanceView[] {
  const rows = sql(db, 'SELECT cooperative_id, name, labour_limit FROM cooperatives WHERE (? IS NULL OR cooperative_id = ?) ORDER BY name').all(
    filter.cooperativeId ?? null, filter.cooperativeId ?? null,
  ) as { cooperative_id: string; name: string; labour_limit: number | null }[];
  return rows.map((r) => {
    const balance = balanceAsOf(db, postedKey(`coop:${r.cooperative_id}`, LABOUR_ASSET), filter.asOf);
    return {
      cooperativeId: r.cooperative_id,
      name: r.name,
      balanceMinutes: balance,
      ...(r.labour_limit !== null ? { limitMinutes: r.labour_limit } : {}),
      flagged: r.labour_limit !== null && Math.abs(balance) > r.labour_limit,
    };
  });
}
