import type Database from 'better-sqlite3';
import type { RecordedEvent } from '../../../event-store/envelope';
import { Projection, sql } from '../../../projections/projection';
import { dayOf } from '../../../shared/calendar';
import type { Posting } from '../../../shared/postings';

/**
 * Attribution of every fund's money to where it came from (README, "Accountability").
 *
 * - Every inflow into a fund that is not a transfer starts an **origin** (`attr_origins`: a gift,
 *   an income, or any other inflow) and its first **piece** (`attr_pieces`): money of one origin,
 *   in one fund, with its place in that fund's queue (the business day it arrived, then log
 *   position).
 * - Every outflow (`attr_outflows`: disbursement, improvement expense, loan disbursement,
 *   transfer out, refund) **consumes** pieces of its fund first in, first out (`attr_consumption`,
 *   one signed row per piece and cause, dated on the outflow's business day).
 * - A transfer's consumption of a piece creates a child piece in the receiving fund with the same
 *   origin (its place in the queue: the transfer's day).
 * - Reversals: an outflow reversed (a disbursement, an improvement expense) gives back the very
 *   amounts it took from each piece; an inflow reversed (a refund, a reversed income) takes back
 *   its own origin's pieces still in the fund first, and what is missing from the fund's other
 *   pieces first in, first out (recorded as spent on the refund); a transfer reversed takes back
 *   its own child pieces first (returning them to the pieces they came from), then other pieces
 *   first in, first out (carried to the source fund as new pieces).
 * - A loan repayment gives back to the pieces the loan took, oldest first; a forgiveness turns
 *   what is still out on the loan into money spent (on forgiveness of that loan).
 *
 * Allocation happens in log order, when an outflow is recorded; `asOf` views count rows by their
 * business day. It is a pure function of the log: `ledger replay` rebuilds the same rows.
 */
export const ATTRIBUTION_TABLES = [
  'attr_funds',
  'attr_context',
  'attr_pledges',
  'attr_cooperatives',
  'attr_properties',
  'attr_improvements',
  'attr_loans',
  'attr_sustainers',
  'attr_origins',
  'attr_pieces',
  'attr_outflows',
  'attr_consumption',
  'attr_releases',
  'attr_flows',
] as const;

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

export const attributionProjection: Projection = {
  name: 'attribution',
  version: 1,
  tables: ATTRIBUTION_TABLES,
  setup(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS attr_funds (
        code TEXT PRIMARY KEY, fund_id TEXT NOT NULL, name TEXT NOT NULL, currency TEXT NOT NULL,
        restriction_class TEXT NOT NULL, purpose TEXT, restricted_until TEXT);
      CREATE TABLE IF NOT EXISTS attr_context (movement_id TEXT PRIMARY KEY, kind TEXT NOT NULL, data TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS attr_pledges (pledge_id TEXT PRIMARY KEY, interval TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS attr_cooperatives (cooperative_id TEXT PRIMARY KEY, name TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS attr_properties (property_id TEXT PRIMARY KEY, address TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS attr_improvements (
        improvement_id TEXT PRIMARY KEY, property_id TEXT NOT NULL, description TEXT NOT NULL, phase TEXT NOT NULL,
        currency TEXT NOT NULL, estimate INTEGER NOT NULL, completed_on TEXT, cancelled_on TEXT);
      CREATE TABLE IF NOT EXISTS attr_loans (
        loan_id TEXT PRIMARY KEY, borrower_id TEXT NOT NULL, lender_kind TEXT NOT NULL, fund_code TEXT, currency TEXT NOT NULL,
        amount INTEGER NOT NULL, purpose TEXT, disbursed_day TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS attr_sustainers (sustainer_id TEXT PRIMARY KEY, erased_day TEXT);
      CREATE TABLE IF NOT EXISTS attr_origins (
        origin_id TEXT PRIMARY KEY, kind TEXT NOT NULL, fund_code TEXT NOT NULL, currency TEXT NOT NULL, amount INTEGER NOT NULL,
        day TEXT NOT NULL, position INTEGER NOT NULL, sustainer_id TEXT, pledge_id TEXT, recurring INTEGER NOT NULL,
        restriction_class TEXT NOT NULL, source TEXT, category TEXT, reversed_day TEXT, reversed_amount INTEGER);
      CREATE INDEX IF NOT EXISTS attr_origins_by_sustainer ON attr_origins (sustainer_id, day);
      CREATE INDEX IF NOT EXISTS attr_origins_by_day ON attr_origins (day);
      CREATE TABLE IF NOT EXISTS attr_pieces (
        piece_id INTEGER PRIMARY KEY, origin_id TEXT NOT NULL, fund_code TEXT NOT NULL, amount INTEGER NOT NULL,
        remaining INTEGER NOT NULL, day TEXT NOT NULL, position INTEGER NOT NULL, parent_id INTEGER, via_outflow TEXT);
      CREATE INDEX IF NOT EXISTS attr_pieces_queue ON attr_pieces (fund_code, day, position, piece_id) WHERE remaining > 0;
      CREATE INDEX IF NOT EXISTS attr_pieces_by_origin ON attr_pieces (origin_id, fund_code);
      CREATE INDEX IF NOT EXISTS attr_pieces_by_via ON attr_pieces (via_outflow) WHERE via_outflow IS NOT NULL;
      CREATE TABLE IF NOT EXISTS attr_outflows (
        outflow_id TEXT PRIMARY KEY, kind TEXT NOT NULL, fund_code TEXT NOT NULL, currency TEXT NOT NULL, amount INTEGER NOT NULL,
        day TEXT NOT NULL, position INTEGER NOT NULL, ref_id TEXT NOT NULL, details TEXT NOT NULL, reversed_day TEXT);
      CREATE INDEX IF NOT EXISTS attr_outflows_by_ref ON attr_outflows (ref_id);
      CREATE INDEX IF NOT EXISTS attr_outflows_by_day ON attr_outflows (day);
      CREATE TABLE IF NOT EXISTS attr_consumption (
        seq INTEGER PRIMARY KEY, piece_id INTEGER, outflow_id TEXT NOT NULL, cause TEXT NOT NULL,
        amount INTEGER NOT NULL, day TEXT NOT NULL, position INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS attr_consumption_by_piece ON attr_consumption (piece_id, day);
      CREATE INDEX IF NOT EXISTS attr_consumption_by_outflow ON attr_consumption (outflow_id, seq);
      CREATE TABLE IF NOT EXISTS attr_releases (
        ref_id TEXT NOT NULL, fund_code TEXT NOT NULL, currency TEXT NOT NULL, amount INTEGER NOT NULL, day TEXT NOT NULL,
        position INTEGER NOT NULL, PRIMARY KEY (ref_id, fund_code, position));
      CREATE TABLE IF NOT EXISTS attr_flows (
        position INTEGER NOT NULL, kind TEXT NOT NULL, ref_id TEXT NOT NULL, asset TEXT NOT NULL, amount INTEGER NOT NULL, day TEXT NOT NULL,
        PRIMARY KEY (position, kind, ref_id));
      CREATE INDEX IF NOT EXISTS attr_flows_by_day ON attr_flows (kind, day);
    `);
  },
  apply(db, event: RecordedEvent) {
    const handler = HANDLERS[event.type];
    if (handler) handler(db, event as RecordedEvent<Record<string, unknown>>);
  },
};

type Data = Record<string, unknown>;
type Handler = (db: Database.Database, event: RecordedEvent<Data>) => void;

const FUND = 'fund:';
const codeOf = (account: string): string | undefined => (account.startsWith(FUND) ? account.slice(FUND.length) : undefined);

function context(db: Database.Database, movementId: string): { kind: string; data: Data } | undefined {
  const row = sql(db, 'SELECT kind, data FROM attr_context WHERE movement_id = ?').get(movementId) as { kind: string; data: string } | undefined;
  return row ? { kind: row.kind, data: JSON.parse(row.data) as Data } : undefined;
}

const HANDLERS: Record<string, Handler> = {
  FundOpened(db, e) {
    const d = e.data as { fundId: string; code: string; name: string; currency: string; restriction: { class: string; purpose?: string; restrictedUntil?: string } };
    sql(db, `INSERT OR REPLACE INTO attr_funds (code, fund_id, name, currency, restriction_class, purpose, restricted_until)
             VALUES (?, ?, ?, ?, ?, ?, ?)`).run(
      d.code, d.fundId, d.name, d.currency, d.restriction.class, d.restriction.purpose ?? null, d.restriction.restrictedUntil ?? null,
    );
  },
  MovementRequested(db, e) {
    const d = e.data;
    const keep: Data = {};
    for (const k of ['payee', 'category', 'purpose', 'memo', 'source', 'reference', 'sustainerId', 'pledgeId', 'method', 'fundId', 'fromFundId', 'toFundId', 'restriction']) {
      if (d[k] !== undefined) keep[k] = d[k];
    }
    sql(db, 'INSERT OR REPLACE INTO attr_context (movement_id, kind, data) VALUES (?, ?, ?)').run(d.movementId, d.kind, JSON.stringify(keep));
  },
  PledgeMade(db, e) {
    sql(db, 'INSERT OR REPLACE INTO attr_pledges (pledge_id, interval) VALUES (?, ?)').run(e.data.pledgeId, e.data.interval);
  },
  PledgeAmended(db, e) {
    if (typeof e.data.interval === 'string') sql(db, 'UPDATE attr_pledges SET interval = ? WHERE pledge_id = ?').run(e.data.interval, e.data.pledgeId);
  },
  SustainerRegistered(db, e) {
    sql(db, 'INSERT OR IGNORE INTO attr_sustainers (sustainer_id) VALUES (?)').run(e.data.sustainerId);
  },
  SustainerErased(db, e) {
    sql(db, 'UPDATE attr_sustainers SET erased_day = COALESCE(erased_day, ?) WHERE sustainer_id = ?').run(dayOf(e.recordedAt), e.data.sustainerId);
  },
  CooperativeRegistered(db, e) {
    sql(db, 'INSERT OR REPLACE INTO attr_cooperatives (cooperative_id, name) VALUES (?, ?)').run(e.data.cooperativeId, e.data.name);
  },
  PropertyRegistered(db, e) {
    sql(db, 'INSERT OR REPLACE INTO attr_properties (property_id, address) VALUES (?, ?)').run(e.data.propertyId, e.data.address);
  },
  ImprovementPlanned(db, e) {
    const d = e.data as { improvementId: string; propertyId: string; description: string; phase: string; currency: string; estimateMinor: number };
    sql(db, `INSERT OR REPLACE INTO attr_improvements (improvement_id, property_id, description, phase, currency, estimate)
             VALUES (?, ?, ?, ?, ?, ?)`).run(d.improvementId, d.propertyId, d.description, d.phase, d.currency, d.estimateMinor);
  },
  ImprovementCompleted(db, e) {
    sql(db, 'UPDATE attr_improvements SET completed_on = ? WHERE improvement_id = ?').run(e.data.completedOn, e.data.improvementId);
  },
  ImprovementCancelled(db, e) {
    sql(db, 'UPDATE attr_improvements SET cancelled_on = ? WHERE improvement_id = ?').run(dayOf(e.data.cancelledAt as string), e.data.improvementId);
  },
  MovementPosted(db, e) {
    const d = e.data as { movementId: string; kind: string; postings: Posting[]; effectiveAt: string; restrictionRelease?: { fundId: string; amountMinor: number } };
    const day = dayOf(d.effectiveAt ?? e.effectiveAt);
    const ctx = context(db, d.movementId);
    for (const p of d.postings) {
      const from = codeOf(p.from);
      const to = codeOf(p.to);
      if (from && to) {
        transfer(db, d.movementId, from, to, p, day, e.globalPosition, ctx?.data ?? {});
      } else if (to) {
        newOrigin(db, d.movementId, d.kind, to, p, day, e.globalPosition, ctx?.data ?? {});
      } else if (from) {
        const kind: OutflowKind = d.kind === 'disbursement' ? 'disbursement' : 'other';
        const details = pick(ctx?.data ?? {}, ['payee', 'category', 'purpose', 'memo']);
        if (!details.payee) details.payee = p.to.startsWith('vendor:') ? p.to.slice('vendor:'.length) : p.to;
        outflow(db, { id: d.movementId, kind, fund: from, currency: p.asset, amount: p.amountMinor, day, position: e.globalPosition, refId: d.movementId, details });
      }
    }
    if (d.restrictionRelease) release(db, d.movementId, d.restrictionRelease.fundId, d.restrictionRelease.amountMinor, day, e.globalPosition);
  },
  MovementReversed(db, e) {
    const d = e.data as { movementId: string; kind: string; reversalOf: string; postings: Posting[]; effectiveAt: string };
    const day = dayOf(d.effectiveAt ?? e.effectiveAt);
    const original = d.reversalOf;
    for (const p of d.postings) {
      const from = codeOf(p.from);
      const to = codeOf(p.to);
      if (from && to) {
        reverseTransfer(db, original, from, to, p, day, e.globalPosition);
      } else if (from) {
        // Money leaves a fund: the reversal of an inflow (a refund of a gift, a reversed income).
        takeBack(db, original, from, p, day, e.globalPosition);
      } else if (to) {
        // Money comes back into a fund: the reversal of an outflow gives back what it took.
        restoreOutflowId(db, original, p.amountMinor, day, e.globalPosition);
      }
    }
    // A restricted disbursement reversed puts its released money back under restriction.
    const releases = sql(db, 'SELECT fund_code, currency, SUM(amount) AS amount FROM attr_releases WHERE ref_id = ? GROUP BY fund_code, currency').all(original) as Array<{
      fund_code: string;
      currency: string;
      amount: number;
    }>;
    for (const r of releases) {
      if (r.amount !== 0) {
        sql(db, 'INSERT INTO attr_releases (ref_id, fund_code, currency, amount, day, position) VALUES (?, ?, ?, ?, ?, ?)').run(
          original, r.fund_code, r.currency, -r.amount, day, e.globalPosition,
        );
      }
    }
  },
  ImprovementExpensePaid(db, e) {
    const d = e.data as {
      improvementId: string; propertyId: string; expenseId: string; phase: string; vendor: string; invoiceReference: string; effectiveAt: string;
      postings: Posting[]; restrictionReleases: Array<{ fundId: string; amountMinor: number }>;
    };
    const day = dayOf(d.effectiveAt);
    for (const p of d.postings) {
      const from = codeOf(p.from);
      if (!from) continue;
      outflow(db, {
        id: `${d.expenseId}|${from}`, kind: 'improvement', fund: from, currency: p.asset, amount: p.amountMinor, day, position: e.globalPosition,
        refId: d.expenseId,
        details: { improvementId: d.improvementId, propertyId: d.propertyId, phase: d.phase, vendor: d.vendor, invoiceReference: d.invoiceReference },
      });
    }
    for (const r of d.restrictionReleases ?? []) release(db, d.expenseId, r.fundId, r.amountMinor, day, e.globalPosition);
  },
  ImprovementExpenseReversed(db, e) {
    const d = e.data as { expenseId: string; effectiveAt: string; postings: Posting[] };
    const day = dayOf(d.effectiveAt);
    for (const p of d.postings) {
      const to = codeOf(p.to);
      if (to) restoreOutflowId(db, `${d.expenseId}|${to}`, p.amountMinor, day, e.globalPosition);
    }
    const releases = sql(db, 'SELECT fund_code, currency, SUM(amount) AS amount FROM attr_releases WHERE ref_id = ? GROUP BY fund_code, currency').all(d.expenseId) as Array<{
      fund_code: string; currency: string; amount: number;
    }>;
    for (const r of releases) {
      if (r.amount !== 0) {
        sql(db, 'INSERT INTO attr_releases (ref_id, fund_code, currency, amount, day, position) VALUES (?, ?, ?, ?, ?, ?)').run(
          d.expenseId, r.fund_code, r.currency, -r.amount, day, e.globalPosition,
        );
      }
    }
  },
  MoneyLoanDisbursed(db, e) {
    const d = e.data as {
      loanId: string; lender: { kind: string; fundCode?: string }; borrowerId: string; amountMinor: number; currency: string;
      purpose?: string; effectiveAt: string; postings: Posting[];
    };
    const day = dayOf(d.effectiveAt);
    flow(db, e.globalPosition, 'loan-lent', d.loanId, d.currency, d.amountMinor, day);
    sql(db, `INSERT OR REPLACE INTO attr_loans (loan_id, borrower_id, lender_kind, fund_code, currency, amount, purpose, disbursed_day)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(
      d.loanId, d.borrowerId, d.lender.kind, d.lender.kind === 'fund' ? (d.lender.fundCode ?? null) : null, d.currency, d.amountMinor, d.purpose ?? null, day,
    );
    for (const p of d.postings) {
      const from = codeOf(p.from);
      if (!from) continue;
      outflow(db, {
        id: `loan|${d.loanId}`, kind: 'loan', fund: from, currency: p.asset, amount: p.amountMinor, day, position: e.globalPosition, refId: d.loanId,
        details: { loanId: d.loanId, cooperativeId: d.borrowerId, ...(d.purpose ? { purpose: d.purpose } : {}) },
      });
    }
  },
  MoneyLoanRepaid(db, e) {
    const d = e.data as { loanId: string; effectiveAt: string; postings: Posting[]; movementId: string; amountMinor: number };
    const day = dayOf(d.effectiveAt);
    flow(db, e.globalPosition, 'loan-repaid', d.loanId, d.postings[0]?.asset ?? '', d.amountMinor, day);
    for (const p of d.postings) {
      const to = codeOf(p.to);
      if (!to) continue;
      const short = giveBack(db, `loan|${d.loanId}`, p.amountMinor, day, e.globalPosition, 'repay');
      // More repaid than the fund lent (never expected): the excess is a new inflow of its own.
      if (short > 0) newOrigin(db, d.movementId, 'loan-repayment', to, { ...p, amountMinor: short }, day, e.globalPosition, {});
    }
  },
  MoneyLoanForgiven(db, e) {
    const d = e.data as { loanId: string; effectiveAt: string; amountMinor: number; postings: Posting[] };
    const day = dayOf(d.effectiveAt);
    flow(db, e.globalPosition, 'loan-forgiven', d.loanId, d.postings[0]?.asset ?? '', d.amountMinor, day);
    const loan = sql(db, 'SELECT fund_code, currency FROM attr_outflows WHERE outflow_id = ?').get(`loan|${d.loanId}`) as
      | { fund_code: string; currency: string }
      | undefined;
    if (!loan) return;
    const forgiven = `loan-forgiven|${d.loanId}`;
    const out = outstandingByPiece(db, `loan|${d.loanId}`);
    let total = 0;
    for (const { piece_id, amount } of out) {
      if (amount <= 0) continue;
      consumption(db, piece_id, `loan|${d.loanId}`, 'forgive', -amount, day, e.globalPosition);
      consumption(db, piece_id, forgiven, 'take', amount, day, e.globalPosition);
      total += amount;
    }
    if (total > 0) {
      sql(db, `INSERT INTO attr_outflows (outflow_id, kind, fund_code, currency, amount, day, position, ref_id, details)
               VALUES (?, 'loan-forgiven', ?, ?, ?, ?, ?, ?, ?)`).run(
        forgiven, loan.fund_code, loan.currency, total, day, e.globalPosition, d.loanId, JSON.stringify({ loanId: d.loanId }),
      );
    }
  },
  LabourHoursExchanged(db, e) {
    const d = e.data as { exchangeId: string; minutes: number; effectiveAt: string };
    flow(db, e.globalPosition, 'labour', d.exchangeId, 'labour-minutes', d.minutes, dayOf(d.effectiveAt));
  },
};

/** Flows the public report counts that are not fund lots: loans lent, repaid, forgiven (any lender), labour minutes. */
function flow(db: Database.Database, position: number, kind: string, refId: string, asset: string, amount: number, day: string): void {
  sql(db, 'INSERT OR IGNORE INTO attr_flows (position, kind, ref_id, asset, amount, day) VALUES (?, ?, ?, ?, ?, ?)').run(position, kind, refId, asset, amount, day);
}

function pick(data: Data, keys: readonly string[]): Data {
  const out: Data = {};
  for (const k of keys) if (data[k] !== undefined) out[k] = data[k];
  return out;
}

function release(db: Database.Database, refId: string, fundId: string, amount: number, day: string, position: number): void {
  const fund = sql(db, 'SELECT code, currency FROM attr_funds WHERE fund_id = ?').get(fundId) as { code: string; currency: string } | undefined;
  if (!fund) return;
  sql(db, `INSERT INTO attr_releases (ref_id, fund_code, currency, amount, day, position) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (ref_id, fund_code, position) DO UPDATE SET amount = amount + excluded.amount`).run(refId, fund.code, fund.currency, amount, day, position);
}

function newOrigin(db: Database.Database, originId: string, kind: string, fund: string, p: Posting, day: string, position: number, ctx: Data): void {
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

function consumption(db: Database.Database, pieceId: number | null, outflowId: string, cause: ConsumptionCause, amount: number, day: string, position: number): void {
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
       ORDER BY day, position, piece_id LIMIT 64`
    : `SELECT piece_id, origin_id, remaining FROM attr_pieces WHERE fund_code = ? AND remaining > 0
       ORDER BY day, position, piece_id LIMIT 64`;
  while (left > 0) {
    const batch = (filter ? sql(db, query).all(fund, filter.value) : sql(db, query).all(fund)) as QueuedPiece[];
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
function outflow(db: Database.Database, o: OutflowSpec): Array<{ piece: QueuedPiece; amount: number }> {
  insertOutflow(db, o);
  const { takes, short } = takeFifo(db, o.fund, o.amount);
  for (const t of takes) consumption(db, t.piece.piece_id, o.id, 'take', t.amount, o.day, o.position);
  if (short > 0) consumption(db, null, o.id, 'take', short, o.day, o.position);
  return takes;
}

function transfer(db: Database.Database, movementId: string, from: string, to: string, p: Posting, day: string, position: number, ctx: Data): void {
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
function outstandingByPiece(db: Database.Database, outflowId: string): Array<{ piece_id: number; amount: number }> {
  return sql(db, `SELECT piece_id, SUM(amount) AS amount FROM attr_consumption WHERE outflow_id = ? AND piece_id IS NOT NULL
                  GROUP BY piece_id ORDER BY MIN(seq)`).all(outflowId) as Array<{ piece_id: number; amount: number }>;
}

/** Gives back up to `amount` of what an outflow took, to the pieces it took it from, in the order taken. Returns what was left over. */
function giveBack(db: Database.Database, outflowId: string, amount: number, day: string, position: number, cause: ConsumptionCause): number {
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

function restoreOutflowId(db: Database.Database, outflowId: string, amount: number, day: string, position: number): void {
  giveBack(db, outflowId, amount, day, position, 'restore');
  sql(db, 'UPDATE attr_outflows SET reversed_day = ? WHERE outflow_id = ?').run(day, outflowId);
}

/** The reversal of an inflow (a refund, a reversed income): its own pieces in the fund first, then the fund's others. */
function takeBack(db: Database.Database, originId: string, fund: string, p: Posting, day: string, position: number): void {
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
function reverseTransfer(db: Database.Database, originalId: string, from: string, to: string, p: Posting, day: string, position: number): void {
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

