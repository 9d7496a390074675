import type Database from 'better-sqlite3';
import type { RecordedEvent } from '../../../event-store/envelope';
import { Projection, sql } from '../../../projections/projection';
import { BUSINESS_DAY_RANGE, isBusinessDay } from '../../../shared/business-date';
import { dayNumber, dayOf } from '../../../shared/calendar';
import { Posting, VALUE_EVENT_TYPES, accountDeltas } from '../../../shared/postings';
import type { FundEvent } from '../../funds/funds.domain';

/**
 * Balances of every account, now, as of any business date, and at any log position, without
 * replaying the log:
 * - `account_balances`: the current balance per account and asset;
 * - `balance_tree`: per balance key, the sum of the changes dated in each business day, month and
 *   year (levels 0, 1, 2), so a change writes three rows, a back-dated one too, and the balance
 *   as of a date is three short range sums: the years before its year, the months of its year
 *   before its month, the days of its month up to it (see balanceAsOf);
 * - `balance_history`: the balance after each log position that changed it, so the balance at a
 *   position is one index seek.
 * Holds on funds (pending outflows) are kept the same way under the key `held|fund:<id>`.
 */
export const balancesProjection: Projection = {
  name: 'balances',
  // 2: improvement expenses post to accounts, and holds can be partly spent (FundHoldReduced).
  // 3: reversed improvement expenses post back, and may restore a hold (FundHoldRestored).
  // 4: money loans post (disbursement, repayment, forgiveness).
  // 5: confirmed labour-hour exchanges post minutes (asset labour-minutes).
  // 6: deposits and fees of loans of things post.
  // 7: the tree over business days is three levels (day, month, year) instead of a Fenwick tree
  //    of 17: a change writes 3 rows instead of up to 17.
  version: 7,
  tables: ['account_balances', 'balance_tree', 'balance_history', 'fund_holds', 'fund_journal'],
  setup(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS account_balances (
        account TEXT NOT NULL, asset TEXT NOT NULL, balance INTEGER NOT NULL, PRIMARY KEY (account, asset));
      CREATE TABLE IF NOT EXISTS balance_tree (
        key TEXT NOT NULL, level INTEGER NOT NULL, bucket INTEGER NOT NULL, sum INTEGER NOT NULL,
        PRIMARY KEY (key, level, bucket)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS balance_history (
        key TEXT NOT NULL, position INTEGER NOT NULL, balance INTEGER NOT NULL, PRIMARY KEY (key, position)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS fund_holds (
        fund_id TEXT NOT NULL, movement_id TEXT NOT NULL, amount INTEGER NOT NULL, PRIMARY KEY (fund_id, movement_id));
      CREATE TABLE IF NOT EXISTS fund_journal (
        account TEXT NOT NULL, position INTEGER NOT NULL, movement_id TEXT NOT NULL, kind TEXT NOT NULL,
        event_type TEXT NOT NULL, counterparty TEXT NOT NULL, asset TEXT NOT NULL, delta INTEGER NOT NULL,
        effective_at TEXT NOT NULL, effective_day TEXT NOT NULL, recorded_at TEXT NOT NULL,
        PRIMARY KEY (account, position, counterparty));
    `);
  },
  // The statements' (fund_journal by business date); apply reads only by primary key.
  queryIndexes: [{ name: 'fund_journal_by_date', on: 'fund_journal (account, effective_day DESC, position DESC)' }],
  batch: {
    begin: (db) => batches.set(db, { tree: new Map(), accounts: new Map(), last: new Map() }),
    end: (db) => {
      const batch = batches.get(db);
      batches.delete(db);
      if (!batch) return;
      // Every bucket and account the batch touched is written, a zero sum too: the same rows as
      // applying each event alone, so a rebuild in other batches replays to the same tables.
      const add = addToBucket(db);
      for (const [key, levels] of batch.tree) {
        for (let level = 0; level < LEVELS; level++) for (const [bucket, delta] of levels[level]) add.run(key, level, bucket, delta);
      }
      const account = addToAccountStatement(db);
      for (const [a, asset, delta] of batch.accounts.values()) account.run(a, asset, delta);
    },
    abandon: (db) => batches.delete(db),
  },
  apply(db, event: RecordedEvent) {
    const data = event.data as { postings?: Posting[]; movementId?: string; kind?: string; effectiveAt?: string };
    if (VALUE_EVENT_TYPES.has(event.type) && data.postings) {
      const effectiveAt = data.effectiveAt ?? event.effectiveAt;
      for (const { account, asset, delta } of accountDeltas(data.postings).values()) {
        changeBalance(db, `${account}|${asset}`, delta, effectiveAt, event.globalPosition);
        addToAccount(db, account, asset, delta);
      }
      for (const p of data.postings) {
        for (const [account, counterparty, delta] of [[p.from, p.to, -p.amountMinor], [p.to, p.from, p.amountMinor]] as const) {
          sql(db, `INSERT INTO fund_journal (account, position, movement_id, kind, event_type, counterparty, asset, delta,
                     effective_at, effective_day, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT (account, position, counterparty) DO UPDATE SET delta = delta + excluded.delta`).run(
            account, event.globalPosition, data.movementId ?? '', data.kind ?? '', event.type, counterparty, p.asset, delta,
            effectiveAt, dayOf(effectiveAt), event.recordedAt,
          );
        }
      }
      return;
    }
    const fundEvent = event as unknown as FundEvent;
    if (fundEvent.type === 'FundHoldPlaced' || fundEvent.type === 'FundHoldReleased') {
      const { fundId, movementId, amountMinor } = fundEvent.data;
      const placed = fundEvent.type === 'FundHoldPlaced';
      // A hold takes effect on its event's business date: when it is recorded (a pending transfer holds
      // money from the moment it is asked for), or the date of an approval recorded after the fact.
      // Releases count from when they are recorded.
      changeBalance(db, heldKey(fundId), placed ? amountMinor : -amountMinor, placed ? event.effectiveAt : event.recordedAt, event.globalPosition);
      if (placed) sql(db, 'INSERT INTO fund_holds (fund_id, movement_id, amount) VALUES (?, ?, ?)').run(fundId, movementId, amountMinor);
      else sql(db, 'DELETE FROM fund_holds WHERE fund_id = ? AND movement_id = ?').run(fundId, movementId);
    }
    if (fundEvent.type === 'FundHoldReduced') {
      const { fundId, movementId, amountMinor, remainingMinor, effectiveAt } = fundEvent.data;
      // A partly spent hold shrinks on the payment's business date, the day its posting lowers the
      // balance: as of any date, held and posted then describe the same money once.
      changeBalance(db, heldKey(fundId), -amountMinor, effectiveAt, event.globalPosition);
      if (remainingMinor > 0) sql(db, 'UPDATE fund_holds SET amount = ? WHERE fund_id = ? AND movement_id = ?').run(remainingMinor, fundId, movementId);
      else sql(db, 'DELETE FROM fund_holds WHERE fund_id = ? AND movement_id = ?').run(fundId, movementId);
    }
    if (fundEvent.type === 'FundHoldRestored') {
      const { fundId, movementId, amountMinor, heldMinor, effectiveAt } = fundEvent.data;
      changeBalance(db, heldKey(fundId), amountMinor, effectiveAt, event.globalPosition);
      sql(db, `INSERT INTO fund_holds (fund_id, movement_id, amount) VALUES (?, ?, ?)
               ON CONFLICT (fund_id, movement_id) DO UPDATE SET amount = excluded.amount`).run(fundId, movementId, heldMinor);
    }
  },
};

export const heldKey = (fundId: string): string => `held|fund:${fundId}`;
export const postedKey = (account: string, asset: string): string => `${account}|${asset}`;

/** Levels of the tree: business day, month, year. */
const LEVELS = 3;

/**
 * The buckets of a business date (YYYY-MM-DD) at each level: its day (days since 1970), its
 * month (year·12 + month − 1) and its year; `monthStart` is the day of its month's first day.
 */
export function dateBuckets(day: string): { day: number; month: number; year: number; monthStart: number } {
  const number = dayNumber(day);
  if (!Number.isFinite(number)) throw new RangeError(`${day} is not a business date`);
  const date = new Date(number * 86_400_000);
  const year = date.getUTCFullYear();
  return { day: number, month: year * 12 + date.getUTCMonth(), year, monthStart: number - (date.getUTCDate() - 1) };
}

/**
 * What a batch of events adds up before it writes (see Projection.batch): the tree's sums per
 * balance key and level (a batch of 500 events touches each key's month and year hundreds of
 * times), the accounts' balances, and each key's latest balance, so the history needs no read per
 * change.
 */
interface Batch {
  readonly tree: Map<string, Array<Map<number, number>>>;
  readonly accounts: Map<string, [account: string, asset: string, delta: number]>;
  readonly last: Map<string, number>;
}
const batches = new WeakMap<Database.Database, Batch>();

const addToBucket = (db: Database.Database) =>
  sql(db, `INSERT INTO balance_tree (key, level, bucket, sum) VALUES (?, ?, ?, ?)
           ON CONFLICT (key, level, bucket) DO UPDATE SET sum = sum + excluded.sum`);
const addToAccountStatement = (db: Database.Database) =>
  sql(db, `INSERT INTO account_balances (account, asset, balance) VALUES (?, ?, ?)
           ON CONFLICT (account, asset) DO UPDATE SET balance = balance + excluded.balance`);

function addToAccount(db: Database.Database, account: string, asset: string, delta: number): void {
  const batch = batches.get(db);
  if (!batch) {
    addToAccountStatement(db).run(account, asset, delta);
    return;
  }
  const id = `${account}\u0000${asset}`;
  const sum = batch.accounts.get(id);
  if (sum) sum[2] += delta;
  else batch.accounts.set(id, [account, asset, delta]);
}

function changeBalance(db: Database.Database, key: string, delta: number, effectiveAt: string, position: number): void {
  const batch = batches.get(db);
  const date = dayOf(effectiveAt);
  // Accepted events are dated in the business range (the catalogue refuses others); one that is
  // not stops the projection where it is (see /health) rather than enter its sums.
  if (!isBusinessDay(date)) throw new RangeError(`business date ${date} is outside ${BUSINESS_DAY_RANGE}`);
  const { day, month, year } = dateBuckets(date);
  const buckets = [day, month, year];
  if (batch) {
    let levels = batch.tree.get(key);
    if (!levels) batch.tree.set(key, (levels = [new Map(), new Map(), new Map()]));
    for (let level = 0; level < LEVELS; level++) levels[level].set(buckets[level], (levels[level].get(buckets[level]) ?? 0) + delta);
  } else {
    const add = addToBucket(db);
    for (let level = 0; level < LEVELS; level++) add.run(key, level, buckets[level], delta);
  }
  const last =
    batch?.last.get(key) ??
    (sql(db, 'SELECT balance FROM balance_history WHERE key = ? ORDER BY position DESC LIMIT 1').get(key) as { balance: number } | undefined)
      ?.balance ??
    0;
  sql(db, `INSERT INTO balance_history (key, position, balance) VALUES (?, ?, ?)
           ON CONFLICT (key, position) DO UPDATE SET balance = balance + ?`).run(key, position, last + delta, delta);
  batch?.last.set(key, last + delta);
}
