import type Database from 'better-sqlite3';
import { sql } from '../../../projections/projection';
import type { Posting } from '../../../shared/postings';

/**
 * The attribution's book of lots (see attribution.projection.ts and README, "Accountability"):
 * origins and their pieces in each fund's queue, outflows consuming them first in, first out,
 * transfers carrying them, and what reversals, refunds, repayments and forgiveness give back or
 * take. Every function writes the attribution's tables inside the projection's transaction.
 */

export type Data = Record<string, unknown>;

/** What the money did, from a piece's point of view. */
export type OutflowKind =
  | 'disbursement'
  | 'improvement'
  | 'loan'
  | 'loan-forgiven'
  | 'transfer'
  | 'transfer-return'
  | 'refund'
  | 'refund-shortfall'
  | 'other';

/** Causes of a consumption row: taken by the outflow, given back by a reversal, a repayment, a forgiveness. */
export type ConsumptionCause = 'take' | 'restore' | 'repay' | 'forgive';

/** The keys of `data` that are set, and only those. */
export function pick(data: Data, keys: readonly string[]): Data {
  const out: Data = {};
  for (const k of keys) if (data[k] !== undefined) out[k] = data[k];
  return out;
}

/** A reversal puts the money a spending released from restriction back under it. */
export function reverseReleases(db: Database.Database, refId: string, day: string, position: number): void {
  const releases = sql(db, 'SELECT fund_code, currency, SUM(amount) AS amount FROM attr_releases WHERE ref_id = ? GROUP BY fund_code, currency').all(refId) as Array<{
    fund_code: string;
    currency: string;
    amount: number;
  }>;
  for (const r of releases) {
    if (r.amount === 0) continue;
    sql(db, 'INSERT INTO attr_releases (ref_id, fund_code, currency, amount, day, position) VALUES (?, ?, ?, ?, ?, ?)').run(
      refId, r.fund_code, r.currency, -r.amount, day, position,
    );
  }
}

/** Flows the public report counts that are not fund lots: loans lent, repaid, forgiven (any lender), labour minutes. */
export function flow(db: Database.Database, position: number, kind: string, refId: string, asset: string, amount: number, day: string): void {
  sql(db, 'INSERT OR IGNORE INTO attr_flows (position, kind, ref_id, asset, amount, day) VALUES (?, ?, ?, ?, ?, ?)').run(position, kind, refId, asset, amount, day);
}

export function release(db: Database.Database, refId: string, fundId: string, amount: number, day: string, position: number): void {
  const fund = sql(db, 'SELECT code, currency FROM attr_funds WHERE fund_id = ?').get(fundId) as { code: string; currency: string } | undefined;
  if (!fund) return;
  sql(db, `INSERT INTO attr_releases (ref_id, fund_code, currency, amount, day, position) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (ref_id, fund_code, position) DO UPDATE SET amount = amount + excluded.amount`).run(refId, fund.code, fund.currency, amount, day, position);
}

export function newOrigin(db: Database.Database, originId: string, kind: string, fund: string, p: Posting, day: string, position: number, ctx: Data): void {
  const fundRow = sql(db, 'SELECT restriction_class FROM attr_funds WHERE code = ?').get(fund) as { restriction_class: string } | undefined;
  const pledgeId = typeof ctx.pledgeId === 'string' ? ctx.pledgeId : null;
  const interval = pledgeId ? (sql(db, 'SELECT interval FROM attr_pledges WHERE pledge_id = ?').get(pledgeId) as { interval: string } | undefined)?.interval : undefined;
  const restriction = (ctx.restriction as { class?: string } | undefined)?.class ?? fundRow?.restriction_class ?? 'unrestricted';
  const sustainerId = typeof ctx.sustainerId === 'string' ? ctx.sustainerId : null;
  const originKind = kind === 'donation' || kind === 'income' ? kind : 'other';
  sql(db, `INSERT INTO attr_origins (origin_id, kind, fund_code, currency, amount, day, position, sustainer_id, pledge_id, recurring,
             restriction_class, source, category)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (origin_id) DO UPDATE SET amount = amount + excluded.amount`).run(
    originId, originKind, fund, p.asset, p.amountMinor, day, position, sustainerId, pledgeId, interval && interval !== 'once' ? 1 : 0, restriction,
    typeof ctx.source === 'string' ? ctx.source : null, typeof ctx.category === 'string' ? ctx.category : null,
  );
  addPiece(db, originId, fund, p.amountMinor, day, position, null, null);
}

function addPiece(db: Database.Database, originId: string, fund: string, amount: number, day: string, position: number, parent: number | null, via: string | null): number {
  const r = sql(db, `INSERT INTO attr_pieces (origin_id, fund_code, amount, remaining, day, position, parent_id, via_outflow)
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(originId, fund, amount, amount, day, position, parent, via);
  return Number(r.lastInsertRowid);
}

export function consumption(db: Database.Database, pieceId: number | null, outflowId: string, cause: ConsumptionCause, amount: number, day: string, position: number): void {
  sql(db, 'INSERT INTO attr_consumption (piece_id, outflow_id, cause, amount, day, position) VALUES (?, ?, ?, ?, ?, ?)').run(
    pieceId, outflowId, cause, amount, day, position,
  );
}

function changeRemaining(db: Database.Database, pieceId: number, delta: number): void {
  sql(db, 'UPDATE attr_pieces SET remaining = remaining + ? WHERE piece_id = ?').run(delta, pieceId);
}

interface QueuedPiece {
  piece_id: number;
  origin_id: string;
  remaining: number;
}

const FIRST_PAGE = 4;
const NEXT_PAGE = 64;

/**
 * Takes `amount` from the fund's pieces, oldest first (optionally only those matching `filter`).
 * Returns the takes and what could not be covered.
 */
function takeFifo(
  db: Database.Database,
  fund: string,
  amount: number,
  filter?: { sql: string; value: unknown },
): { takes: Array<{ piece: QueuedPiece; amount: number }>; short: number } {
  const takes: Array<{ piece: QueuedPiece; amount: number }> = [];
  let left = amount;
  const query = filter
    ? `SELECT piece_id, origin_id, remaining FROM attr_pieces WHERE fund_code = ? AND remaining > 0 AND ${filter.sql}
       ORDER BY day, position, piece_id LIMIT ?`
    : `SELECT piece_id, origin_id, remaining FROM attr_pieces WHERE fund_code = ? AND remaining > 0
       ORDER BY day, position, piece_id LIMIT ?`;
  // Most outflows are covered by the first piece or two: the first page is small, the next ones larger.
  let page = FIRST_PAGE;
  while (left > 0) {
    const batch = (filter ? sql(db, query).all(fund, filter.value, page) : sql(db, query).all(fund, page)) as QueuedPiece[];
    page = NEXT_PAGE;
    if (batch.length === 0) break;
    for (const piece of batch) {
      if (left === 0) break;
      const take = Math.min(left, piece.remaining);
      changeRemaining(db, piece.piece_id, -take);
      takes.push({ piece, amount: take });
      left -= take;
    }
  }
  return { takes, short: left };
}

interface OutflowSpec {
  id: string;
  kind: OutflowKind;
  fund: string;
  currency: string;
  amount: number;
  day: string;
  position: number;
  refId: string;
  details: Data;
}

function insertOutflow(db: Database.Database, o: OutflowSpec): void {
  sql(db, `INSERT INTO attr_outflows (outflow_id, kind, fund_code, currency, amount, day, position, ref_id, details)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (outflow_id) DO UPDATE SET amount = amount + excluded.amount`).run(
    o.id, o.kind, o.fund, o.currency, o.amount, o.day, o.position, o.refId, JSON.stringify(o.details),
  );
}

/** An outflow: consumes the fund's pieces first in, first out. What no piece covers is a row without a piece. */
export function outflow(db: Database.Database, o: OutflowSpec): Array<{ piece: QueuedPiece; amount: number }> {
  insertOutflow(db, o);
  const { takes, short } = takeFifo(db, o.fund, o.amount);
  for (const t of takes) consumption(db, t.piece.piece_id, o.id, 'take', t.amount, o.day, o.position);
  if (short > 0) consumption(db, null, o.id, 'take', short, o.day, o.position);
  return takes;
}

export function transfer(db: Database.Database, movementId: string, from: string, to: string, p: Posting, day: string, position: number, ctx: Data): void {
  const takes = outflow(db, {
    id: movementId, kind: 'transfer', fund: from, currency: p.asset, amount: p.amountMinor, day, position, refId: movementId,
    details: { toFundCode: to, ...pick(ctx, ['memo']) },
  });
  carry(db, takes, to, day, position, movementId);
  const covered = takes.reduce((s, t) => s + t.amount, 0);
  if (covered < p.amountMinor) {
    // Never expected (a fund cannot send what it lacks): the uncovered part arrives without an origin.
    newOrigin(db, `${movementId}|uncovered`, 'other', to, { ...p, amountMinor: p.amountMinor - covered }, day, position, {});
  }
}

function carry(db: Database.Database, takes: Array<{ piece: QueuedPiece; amount: number }>, to: string, day: string, position: number, via: string): void {
  for (const t of takes) addPiece(db, t.piece.origin_id, to, t.amount, day, position, t.piece.piece_id, via);
}

/** What a (piece, outflow) pair still holds: the net of its rows. */
export function outstandingByPiece(db: Database.Database, outflowId: string): Array<{ piece_id: number; amount: number }> {
  return sql(db, `SELECT piece_id, SUM(amount) AS amount FROM attr_consumption WHERE outflow_id = ? AND piece_id IS NOT NULL
                  GROUP BY piece_id ORDER BY MIN(seq)`).all(outflowId) as Array<{ piece_id: number; amount: number }>;
}

/** Gives back up to `amount` of what an outflow took, to the pieces it took it from, in the order taken. Returns what was left over. */
export function giveBack(db: Database.Database, outflowId: string, amount: number, day: string, position: number, cause: ConsumptionCause): number {
  let left = amount;
  for (const { piece_id, amount: held } of outstandingByPiece(db, outflowId)) {
    if (left === 0) break;
    if (held <= 0) continue;
    const back = Math.min(left, held);
    consumption(db, piece_id, outflowId, cause, -back, day, position);
    changeRemaining(db, piece_id, back);
    left -= back;
  }
  // An uncovered part (a row without a piece) is given back last.
  if (left > 0) {
    const uncovered = (sql(db, 'SELECT COALESCE(SUM(amount), 0) AS s FROM attr_consumption WHERE outflow_id = ? AND piece_id IS NULL').get(outflowId) as { s: number }).s;
    const back = Math.min(left, uncovered);
    if (back > 0) {
      consumption(db, null, outflowId, cause, -back, day, position);
      left -= back;
    }
  }
  return left;
}

export function restoreOutflowId(db: Database.Database, outflowId: string, amount: number, day: string, position: number): void {
  giveBack(db, outflowId, amount, day, position, 'restore');
  sql(db, 'UPDATE attr_outflows SET reversed_day = ? WHERE outflow_id = ?').run(day, outflowId);
}

/** The reversal of an inflow (a refund, a reversed income): its own pieces in the fund first, then the fund's others. */
export function takeBack(db: Database.Database, originId: string, fund: string, p: Posting, day: string, position: number): void {
  const own = takeFifo(db, fund, p.amountMinor, { sql: 'origin_id = ?', value: originId });
  const refundId = `refund|${originId}`;
  const ownTaken = p.amountMinor - own.short;
  if (ownTaken > 0) {
    insertOutflow(db, { id: refundId, kind: 'refund', fund, currency: p.asset, amount: ownTaken, day, position, refId: originId, details: {} });
    for (const t of own.takes) consumption(db, t.piece.piece_id, refundId, 'take', t.amount, day, position);
  }
  if (own.short > 0) {
    outflow(db, {
      id: `refund-shortfall|${originId}`, kind: 'refund-shortfall', fund, currency: p.asset, amount: own.short, day, position, refId: originId,
      details: { note: 'returned money of a gift or income the fund had already spent' },
    });
  }
  sql(db, 'UPDATE attr_origins SET reversed_day = ?, reversed_amount = COALESCE(reversed_amount, 0) + ? WHERE origin_id = ?').run(day, p.amountMinor, originId);
}

/** A transfer reversed: its own pieces in the receiving fund go back to the pieces they came from; any shortfall is carried as new pieces. */
export function reverseTransfer(db: Database.Database, originalId: string, from: string, to: string, p: Posting, day: string, position: number): void {
  const returnId = `transfer-return|${originalId}`;
  const own = takeFifo(db, from, p.amountMinor, { sql: 'via_outflow = ?', value: originalId });
  const ownTaken = p.amountMinor - own.short;
  if (ownTaken > 0) {
    insertOutflow(db, { id: returnId, kind: 'transfer-return', fund: from, currency: p.asset, amount: ownTaken, day, position, refId: originalId, details: { toFundCode: to } });
    for (const t of own.takes) {
      consumption(db, t.piece.piece_id, returnId, 'take', t.amount, day, position);
      const parent = (sql(db, 'SELECT parent_id FROM attr_pieces WHERE piece_id = ?').get(t.piece.piece_id) as { parent_id: number | null }).parent_id;
      if (parent !== null) {
        consumption(db, parent, originalId, 'restore', -t.amount, day, position);
        changeRemaining(db, parent, t.amount);
      }
    }
  }
  if (own.short > 0) {
    const shortId = `transfer-return-shortfall|${originalId}`;
    const takes = outflow(db, { id: shortId, kind: 'transfer', fund: from, currency: p.asset, amount: own.short, day, position, refId: originalId, details: { toFundCode: to } });
    carry(db, takes, to, day, position, shortId);
  }
  sql(db, 'UPDATE attr_outflows SET reversed_day = ? WHERE outflow_id = ?').run(day, originalId);
}

