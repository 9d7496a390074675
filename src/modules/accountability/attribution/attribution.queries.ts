import type Database from 'better-sqlite3';
import { sql } from '../../../projections/projection';
import type { OutflowKind } from './attribution.projection';
import type { GiftTrace, InFundLine, LoanLine, MovedLine, OutflowSource, PaidForLine, SustainerAttribution } from './attribution.views';

export type * from './attribution.views';

/** How an outflow counts for the money it took. Carried money (transfers) is still the origin's, in another fund. */
export type OutflowClass = 'spent' | 'on-loan' | 'refunded' | 'carried';

export function classOf(kind: string): OutflowClass {
  switch (kind as OutflowKind) {
    case 'loan':
      return 'on-loan';
    case 'refund':
      return 'refunded';
    case 'transfer':
    case 'transfer-return':
      return 'carried';
    default:
      return 'spent';
  }
}

export interface OriginRow {
  origin_id: string;
  kind: string;
  fund_code: string;
  currency: string;
  amount: number;
  day: string;
  position: number;
  sustainer_id: string | null;
  pledge_id: string | null;
  recurring: number;
  restriction_class: string;
  source: string | null;
  category: string | null;
  reversed_day: string | null;
  reversed_amount: number | null;
}

export function findOrigin(db: Database.Database, originId: string): OriginRow | undefined {
  return sql(db, 'SELECT * FROM attr_origins WHERE origin_id = ?').get(originId) as OriginRow | undefined;
}

export interface SustainerRow {
  sustainer_id: string;
  erased_day: string | null;
}

export function findSustainer(db: Database.Database, sustainerId: string): SustainerRow | undefined {
  return sql(db, 'SELECT sustainer_id, erased_day FROM attr_sustainers WHERE sustainer_id = ?').get(sustainerId) as SustainerRow | undefined;
}

interface ConsumedRow {
  outflow_id: string;
  kind: string;
  fund_code: string;
  day: string;
  ref_id: string;
  details: string;
  cause: string;
  amount: number;
}

interface FundRow {
  code: string;
  name: string;
  purpose: string | null;
  restriction_class: string;
}

function fundsByCode(db: Database.Database, codes: Iterable<string>): Map<string, FundRow> {
  const out = new Map<string, FundRow>();
  for (const code of codes) {
    const row = sql(db, 'SELECT code, name, purpose, restriction_class FROM attr_funds WHERE code = ?').get(code) as FundRow | undefined;
    if (row) out.set(code, row);
  }
  return out;
}

/** Where one gift (or income) went, as of the end of `asOf` (a business day). */
export function traceOrigin(db: Database.Database, origin: OriginRow, asOf: string): GiftTrace {
  const erased = origin.sustainer_id
    ? Boolean((sql(db, 'SELECT erased_day FROM attr_sustainers WHERE sustainer_id = ?').get(origin.sustainer_id) as { erased_day: string | null } | undefined)?.erased_day)
    : false;
  const base = {
    donationId: origin.origin_id,
    kind: origin.kind,
    sustainerId: origin.sustainer_id,
    erased,
    asOf,
    receivedOn: origin.day,
    fundCode: origin.fund_code,
    currency: origin.currency,
    restrictionClass: origin.restriction_class,
    recurring: origin.recurring === 1,
    pledgeId: origin.pledge_id,
  };
  if (origin.day > asOf) {
    return {
      ...base, received: false, totals: { amountMinor: 0, spentMinor: 0, inFundsMinor: 0, onLoanMinor: 0, refundedMinor: 0 },
      paidFor: [], loans: [], inFunds: [], moved: [], refund: null, conserved: true,
    };
  }
  const pieces = sql(db, 'SELECT fund_code, SUM(amount) AS amount FROM attr_pieces WHERE origin_id = ? AND day <= ? GROUP BY fund_code').all(
    origin.origin_id,
    asOf,
  ) as Array<{ fund_code: string; amount: number }>;
  const consumed = sql(
    db,
    `SELECT o.outflow_id, o.kind, p.fund_code, o.day, o.ref_id, o.details, c.cause, SUM(c.amount) AS amount
     FROM attr_pieces p
     JOIN attr_consumption c ON c.piece_id = p.piece_id AND c.day <= ?
     JOIN attr_outflows o ON o.outflow_id = c.outflow_id
     WHERE p.origin_id = ? AND p.day <= ?
     GROUP BY o.outflow_id, p.fund_code, c.cause
     ORDER BY o.day, o.position, o.outflow_id, c.cause`,
  ).all(asOf, origin.origin_id, asOf) as ConsumedRow[];

  const inFund = new Map<string, number>();
  for (const p of pieces) inFund.set(p.fund_code, (inFund.get(p.fund_code) ?? 0) + p.amount);
  let spent = 0;
  let onLoan = 0;
  let refunded = 0;
  const spentBy = new Map<string, { row: ConsumedRow; amount: number }>();
  const loans = new Map<string, { row: ConsumedRow; take: number; repay: number; forgive: number; restore: number }>();
  const moved = new Map<string, { row: ConsumedRow; amount: number }>();
  for (const row of consumed) {
    inFund.set(row.fund_code, (inFund.get(row.fund_code) ?? 0) - row.amount);
    const cls = classOf(row.kind);
    if (cls === 'spent') {
      spent += row.amount;
      const entry = spentBy.get(row.outflow_id) ?? { row, amount: 0 };
      entry.amount += row.amount;
      spentBy.set(row.outflow_id, entry);
    } else if (cls === 'on-loan') {
      onLoan += row.amount;
      const entry = loans.get(row.outflow_id) ?? { row, take: 0, repay: 0, forgive: 0, restore: 0 };
      if (row.cause === 'take') entry.take += row.amount;
      else if (row.cause === 'repay') entry.repay -= row.amount;
      else if (row.cause === 'forgive') entry.forgive -= row.amount;
      else entry.restore -= row.amount;
      loans.set(row.outflow_id, entry);
    } else if (cls === 'refunded') {
      refunded += row.amount;
    } else if (row.cause === 'take') {
      // Carried between funds: each transfer out, and each return of a reversed transfer, as its own line.
      const key = `${row.outflow_id}|${row.fund_code}`;
      const entry = moved.get(key) ?? { row, amount: 0 };
      entry.amount += row.amount;
      moved.set(key, entry);
    }
  }
  let inFunds = 0;
  const funds = fundsByCode(db, inFund.keys());
  const inFundLines: InFundLine[] = [];
  for (const [code, amount] of [...inFund.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    inFunds += amount;
    if (amount === 0) continue;
    const f = funds.get(code);
    inFundLines.push({ fundCode: code, fundName: f?.name ?? null, purpose: f?.purpose ?? null, restrictionClass: f?.restriction_class ?? null, amountMinor: amount });
  }
  const paidFor: PaidForLine[] = [];
  for (const { row, amount } of spentBy.values()) {
    if (amount !== 0) paidFor.push(paidForLine(db, row, amount));
  }
  const loanLines: LoanLine[] = [];
  for (const l of loans.values()) {
    const loan = sql(db, 'SELECT borrower_id FROM attr_loans WHERE loan_id = ?').get(l.row.ref_id) as { borrower_id: string } | undefined;
    const cooperativeId = loan?.borrower_id ?? '';
    const outstanding = l.take - l.repay - l.forgive - l.restore;
    loanLines.push({
      loanId: l.row.ref_id,
      cooperativeId,
      cooperativeName: cooperativeName(db, cooperativeId),
      fundCode: l.row.fund_code,
      lentOn: l.row.day,
      lentMinor: l.take,
      repaidMinor: l.repay + l.restore,
      forgivenMinor: l.forgive,
      outstandingMinor: outstanding,
      status: outstanding > 0 ? 'outstanding' : l.forgive === 0 ? 'repaid' : l.repay + l.restore === 0 ? 'forgiven' : 'partly-forgiven',
    });
  }
  const movedLines: MovedLine[] = [];
  for (const { row, amount } of moved.values()) {
    if (amount === 0) continue;
    const details = JSON.parse(row.details) as { toFundCode?: string };
    movedLines.push({ fromFundCode: row.fund_code, toFundCode: details.toFundCode ?? '', on: row.day, amountMinor: amount, returned: row.kind === 'transfer-return' });
  }
  const reversedAmount = origin.reversed_day && origin.reversed_day <= asOf ? (origin.reversed_amount ?? 0) : 0;
  const amount = origin.amount;
  return {
    ...base,
    received: true,
    totals: { amountMinor: amount, spentMinor: spent, inFundsMinor: inFunds, onLoanMinor: onLoan, refundedMinor: refunded },
    paidFor,
    loans: loanLines,
    inFunds: inFundLines,
    moved: movedLines,
    refund: reversedAmount > 0 ? { on: origin.reversed_day!, amountMinor: reversedAmount, fromThisGiftMinor: refunded } : null,
    conserved: spent + inFunds + onLoan + refunded === amount,
  };
}

function cooperativeName(db: Database.Database, cooperativeId: string): string | null {
  return (sql(db, 'SELECT name FROM attr_cooperatives WHERE cooperative_id = ?').get(cooperativeId) as { name: string } | undefined)?.name ?? null;
}

function paidForLine(db: Database.Database, row: ConsumedRow, amount: number): PaidForLine {
  const d = JSON.parse(row.details) as Record<string, string | undefined>;
  const common = { on: row.day, fundCode: row.fund_code, amountMinor: amount };
  switch (row.kind) {
    case 'disbursement':
      return {
        kind: 'disbursement', ...common, movementId: row.ref_id, payee: d.payee, category: d.category,
        ...(d.purpose ? { purpose: d.purpose } : {}),
      };
    case 'improvement': {
      const project = sql(db, 'SELECT description FROM attr_improvements WHERE improvement_id = ?').get(d.improvementId) as { description: string } | undefined;
      const property = sql(db, 'SELECT address FROM attr_properties WHERE property_id = ?').get(d.propertyId) as { address: string } | undefined;
      return {
        kind: 'improvement', ...common, improvementId: d.improvementId, expenseId: row.ref_id, propertyId: d.propertyId,
        ...(property ? { propertyAddress: property.address } : {}), ...(project ? { projectDescription: project.description } : {}),
        phase: d.phase, vendor: d.vendor,
      };
    }
    case 'loan-forgiven': {
      const loan = sql(db, 'SELECT borrower_id FROM attr_loans WHERE loan_id = ?').get(row.ref_id) as { borrower_id: string } | undefined;
      return {
        kind: 'loan-forgiven', ...common, loanId: row.ref_id, cooperativeId: loan?.borrower_id,
        cooperativeName: loan ? (cooperativeName(db, loan.borrower_id) ?? undefined) : undefined,
      };
    }
    case 'refund-shortfall':
      // Never the other gift's id: it would name another sustainer's donation.
      return { kind: 'refund-shortfall', ...common, note: 'returned to a giver whose own gift the fund had already spent' };
    default:
      return { kind: 'other', ...common };
  }
}

/** Every gift a sustainer gave in a calendar year, traced as of `asOf`. */
export function traceSustainerYear(db: Database.Database, sustainer: SustainerRow, year: number, asOf: string): SustainerAttribution {
  const origins = sql(
    db,
    `SELECT * FROM attr_origins WHERE sustainer_id = ? AND day >= ? AND day <= ? AND day <= ? ORDER BY day, position`,
  ).all(sustainer.sustainer_id, `${year}-01-01`, `${year}-12-31`, asOf) as OriginRow[];
  const gifts = origins.map((o) => traceOrigin(db, o, asOf));
  const totals: Record<string, { amountMinor: number; spentMinor: number; inFundsMinor: number; onLoanMinor: number; refundedMinor: number }> = {};
  const byPurpose = new Map<string, { currency: string; kind: string; purpose: string; category: string | null; amountMinor: number }>();
  const purposes = new Map<string, string>();
  const purposeOf = (code: string): string => {
    if (!purposes.has(code)) {
      const f = sql(db, 'SELECT name, purpose FROM attr_funds WHERE code = ?').get(code) as { name: string; purpose: string | null } | undefined;
      purposes.set(code, f?.purpose ?? f?.name ?? code);
    }
    return purposes.get(code)!;
  };
  for (const g of gifts) {
    const t = (totals[g.currency] ??= { amountMinor: 0, spentMinor: 0, inFundsMinor: 0, onLoanMinor: 0, refundedMinor: 0 });
    t.amountMinor += g.totals.amountMinor;
    t.spentMinor += g.totals.spentMinor;
    t.inFundsMinor += g.totals.inFundsMinor;
    t.onLoanMinor += g.totals.onLoanMinor;
    t.refundedMinor += g.totals.refundedMinor;
    for (const line of g.paidFor) {
      const purpose = line.purpose ?? purposeOf(line.fundCode);
      const category = line.category ?? line.phase ?? null;
      const key = `${g.currency}|${line.kind}|${purpose}|${category ?? ''}`;
      const entry = byPurpose.get(key) ?? { currency: g.currency, kind: line.kind, purpose, category, amountMinor: 0 };
      entry.amountMinor += line.amountMinor;
      byPurpose.set(key, entry);
    }
  }
  return {
    sustainerId: sustainer.sustainer_id,
    erased: sustainer.erased_day !== null,
    year,
    asOf,
    totalsByCurrency: totals,
    paidForByPurpose: [...byPurpose.values()].sort((a, b) => b.amountMinor - a.amountMinor || a.purpose.localeCompare(b.purpose)),
    gifts,
  };
}

/** What a fund holds as of a day, by kind of origin: the sum over its pieces. */
export function fundRemainingAsOf(db: Database.Database, fundCode: string, asOf: string): number {
  const added = (sql(db, 'SELECT COALESCE(SUM(amount), 0) AS s FROM attr_pieces WHERE fund_code = ? AND day <= ?').get(fundCode, asOf) as { s: number }).s;
  const taken = (
    sql(
      db,
      `SELECT COALESCE(SUM(c.amount), 0) AS s FROM attr_consumption c JOIN attr_pieces p ON p.piece_id = c.piece_id
       WHERE p.fund_code = ? AND p.day <= ? AND c.day <= ?`,
    ).get(fundCode, asOf, asOf) as { s: number }
  ).s;
  return added - taken;
}

/**
 * The other way round: which gifts and incomes paid for an outflow (a disbursement's movement id,
 * an improvement expense id, a loan id), net of reversals, as of a day. Names sustainers by id
 * only: for stewards' and auditors' read sides, never for a public one.
 */
export function traceOutflow(db: Database.Database, refId: string, asOf: string): OutflowSource[] {
  return (
    sql(
      db,
      `SELECT g.origin_id AS originId, g.kind AS originKind, g.sustainer_id AS sustainerId, g.day AS receivedOn, SUM(c.amount) AS amountMinor
       FROM attr_outflows o JOIN attr_consumption c ON c.outflow_id = o.outflow_id AND c.day <= ?
       JOIN attr_pieces p ON p.piece_id = c.piece_id JOIN attr_origins g ON g.origin_id = p.origin_id
       WHERE (o.ref_id = ? OR o.outflow_id = ?) AND o.kind NOT IN ('transfer-return', 'refund')
       GROUP BY g.origin_id ORDER BY MIN(g.day), g.origin_id`,
    ).all(asOf, refId, refId) as OutflowSource[]
  ).filter((s) => s.amountMinor !== 0);
}
