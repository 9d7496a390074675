import type Database from 'better-sqlite3';
import type { RecordedEvent } from '../../../event-store/envelope';
import { Projection, sql } from '../../../projections/projection';
import { dayOf } from '../../../shared/calendar';
import type { Posting } from '../../../shared/postings';
import {
  Data,
  OutflowKind,
  consumption,
  flow,
  giveBack,
  newOrigin,
  outflow,
  outstandingByPiece,
  pick,
  release,
  restoreOutflowId,
  reverseReleases,
  reverseTransfer,
  takeBack,
  transfer,
} from './lots';

export type { ConsumptionCause, OutflowKind } from './lots';

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
    `);
  },
  // The reports' (by sustainer, by business day). The FIFO of apply goes through the others.
  queryIndexes: [
    { name: 'attr_origins_by_sustainer', on: 'attr_origins (sustainer_id, day)' },
    { name: 'attr_origins_by_day', on: 'attr_origins (day)' },
    { name: 'attr_outflows_by_day', on: 'attr_outflows (day)' },
    { name: 'attr_flows_by_day', on: 'attr_flows (kind, day)' },
  ],
  apply(db, event: RecordedEvent) {
    const handler = HANDLERS[event.type];
    if (handler) handler(db, event as RecordedEvent<Record<string, unknown>>);
  },
};

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
    reverseReleases(db, original, day, e.globalPosition);
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
    reverseReleases(db, d.expenseId, day, e.globalPosition);
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

