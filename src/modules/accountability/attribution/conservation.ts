import type Database from 'better-sqlite3';

export interface ConservationReport {
  readonly ok: boolean;
  readonly originsChecked: number;
  readonly outflowsChecked: number;
  readonly fundsChecked: number;
  /** At most 20, each a sentence naming what does not add up. */
  readonly problems: string[];
}

const CARRIED = `('transfer', 'transfer-return')`;

/**
 * The attribution's conservation rules, over the whole read model at its position:
 * - every origin (gift, income): spent + still in a fund + out on loan + refunded = its amount
 *   (equivalently: the pieces it is split into, less what was carried between funds, sum to it);
 * - every piece: its remaining amount is its amount less the net of its consumption rows, never negative;
 * - every outflow: the pieces it consumed sum to its amount, and no part of it is uncovered;
 * - every fund: what its pieces still hold is the fund's posted balance in the ledger's balances
 *   (when that read model is in the same database).
 */
export function checkConservation(db: Database.Database): ConservationReport {
  const problems: string[] = [];
  const add = (p: string) => {
    if (problems.length < 20) problems.push(p);
  };
  const origins = db
    .prepare(
      `SELECT o.origin_id AS id, o.amount AS amount,
              (SELECT COALESCE(SUM(p.amount), 0) FROM attr_pieces p WHERE p.origin_id = o.origin_id) AS pieces,
              (SELECT COALESCE(SUM(c.amount), 0) FROM attr_pieces p JOIN attr_consumption c ON c.piece_id = p.piece_id
                 JOIN attr_outflows f ON f.outflow_id = c.outflow_id WHERE p.origin_id = o.origin_id AND f.kind IN ${CARRIED}) AS carried
       FROM attr_origins o`,
    )
    .iterate() as IterableIterator<{ id: string; amount: number; pieces: number; carried: number }>;
  let originsChecked = 0;
  for (const o of origins) {
    originsChecked++;
    if (o.pieces - o.carried !== o.amount) {
      add(`origin ${o.id}: spent + in funds + on loan + refunded = ${o.pieces - o.carried}, not its amount ${o.amount}`);
    }
  }
  const pieces = db
    .prepare(
      `SELECT p.piece_id AS id, p.origin_id AS origin, p.amount AS amount, p.remaining AS remaining,
              (SELECT COALESCE(SUM(c.amount), 0) FROM attr_consumption c WHERE c.piece_id = p.piece_id) AS consumed
       FROM attr_pieces p WHERE p.remaining < 0 OR p.remaining <> p.amount -
              (SELECT COALESCE(SUM(c.amount), 0) FROM attr_consumption c WHERE c.piece_id = p.piece_id)`,
    )
    .all() as Array<{ id: number; origin: string; amount: number; remaining: number; consumed: number }>;
  for (const p of pieces) add(`piece ${p.id} of ${p.origin}: remaining ${p.remaining}, amount ${p.amount} less consumed ${p.consumed}`);
  const outflows = db
    .prepare(
      `SELECT f.outflow_id AS id, f.amount AS amount,
              (SELECT COALESCE(SUM(c.amount), 0) FROM attr_consumption c WHERE c.outflow_id = f.outflow_id AND c.cause = 'take' AND c.piece_id IS NOT NULL) AS taken,
              (SELECT COALESCE(SUM(c.amount), 0) FROM attr_consumption c WHERE c.outflow_id = f.outflow_id AND c.piece_id IS NULL) AS uncovered
       FROM attr_outflows f`,
    )
    .iterate() as IterableIterator<{ id: string; amount: number; taken: number; uncovered: number }>;
  let outflowsChecked = 0;
  for (const f of outflows) {
    outflowsChecked++;
    if (f.taken !== f.amount) add(`outflow ${f.id}: the pieces it consumed sum to ${f.taken}, not its amount ${f.amount}`);
    if (f.uncovered !== 0) add(`outflow ${f.id}: ${f.uncovered} not covered by any money in its fund`);
  }
  let fundsChecked = 0;
  const hasBalances = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'account_balances'").get() !== undefined;
  const funds = db
    .prepare(
      `SELECT f.code AS code, f.currency AS currency,
              (SELECT COALESCE(SUM(p.remaining), 0) FROM attr_pieces p WHERE p.fund_code = f.code) AS remaining
       FROM attr_funds f`,
    )
    .all() as Array<{ code: string; currency: string; remaining: number }>;
  for (const f of funds) {
    fundsChecked++;
    if (!hasBalances) continue;
    const balance =
      (db.prepare('SELECT balance FROM account_balances WHERE account = ? AND asset = ?').get(`fund:${f.code}`, f.currency) as { balance: number } | undefined)
        ?.balance ?? 0;
    if (balance !== f.remaining) add(`fund ${f.code}: its pieces hold ${f.remaining}, its posted balance is ${balance}`);
  }
  return { ok: problems.length === 0, originsChecked, outflowsChecked, fundsChecked, problems };
}
