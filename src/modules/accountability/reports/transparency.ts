import type Database from 'better-sqlite3';
import { sql } from '../../../projections/projection';
import { toCsv } from '../../../shared/csv';
import { programOf } from './functional-classes';

/** A figure drawn from fewer givers than this is grouped, never shown alone (DOMAIN.md: groups of at least five). */
export const MIN_GROUP = 5;

export interface ReportRange {
  /** `2026`, `FY2026`, `FY2026-Q1` or `2026-03`. */
  readonly period: string;
  readonly start: string;
  /** Exclusive. */
  readonly end: string;
}

export interface ReceivedRow {
  /** A month (`2026-03`), `one-off`, `recurring`, or a group of several (`2026-01+2026-02`, `all`). */
  readonly group: string;
  readonly currency: string;
  /** null when withheld: even grouped, fewer than five sustainers gave. */
  readonly amountMinor: number | null;
  readonly gifts: number | null;
  /** Exact when at least five; otherwise null and `fewerThanFive`. */
  readonly sustainers: number | null;
  readonly fewerThanFive: boolean;
}

export interface TransparencyReport {
  readonly period: string;
  readonly from: string;
  readonly to: string;
  readonly basis: 'cash';
  readonly minimumGroupSize: number;
  readonly received: {
    readonly byMonth: ReceivedRow[];
    readonly byKind: ReceivedRow[];
    readonly total: ReceivedRow[];
    /** Refunds made in the period, per currency; null when they went to fewer than five sustainers (withheld, like a small group of gifts). */
    readonly refundedMinor: Record<string, number | null>;
    readonly otherIncome: Array<{ currency: string; category: string; amountMinor: number }>;
  };
  readonly spent: {
    readonly byProgram: Array<{ currency: string; program: string; amountMinor: number }>;
    readonly byCategory: Array<{ currency: string; category: string; amountMinor: number }>;
    /** Per currency, every month of the period that had spending (`2026-03`), by the day of each consumption; sums to `totalByCurrency`. */
    readonly byMonth: Array<{ currency: string; month: string; amountMinor: number }>;
    readonly totalByCurrency: Record<string, number>;
  };
  readonly restrictedReleased: Array<{ currency: string; purpose: string; amountMinor: number }>;
  readonly landTrustProjectsCompleted: Array<{ improvementId: string; description: string; phase: string; completedOn: string; currency: string; estimateMinor: number; costMinor: number }>;
  readonly lending: Array<{ currency: string; loansMade: number; lentMinor: number; repaidMinor: number; forgivenMinor: number }>;
  readonly labour: { readonly exchanges: number; readonly minutes: number; readonly hours: number };
}

interface GiftRow {
  sustainer_id: string | null;
  currency: string;
  amount: number;
  day: string;
  recurring: number;
}

export interface Bucket {
  group: string;
  currency: string;
  amount: number;
  gifts: number;
  sustainers: Set<string>;
}

function bucketsOf(gifts: readonly GiftRow[], keyOf: (g: GiftRow) => string): Bucket[] {
  const map = new Map<string, Bucket>();
  for (const g of gifts) {
    const group = keyOf(g);
    const key = `${g.currency}|${group}`;
    const b = map.get(key) ?? { group, currency: g.currency, amount: 0, gifts: 0, sustainers: new Set<string>() };
    b.amount += g.amount;
    b.gifts += 1;
    b.sustainers.add(g.sustainer_id ?? 'unknown');
    map.set(key, b);
  }
  return [...map.values()].sort((a, b) => a.currency.localeCompare(b.currency) || a.group.localeCompare(b.group));
}

function merge(into: Bucket, other: Bucket): Bucket {
  return {
    group: `${into.group}+${other.group}`,
    currency: into.currency,
    amount: into.amount + other.amount,
    gifts: into.gifts + other.gifts,
    sustainers: new Set([...into.sustainers, ...other.sustainers]),
  };
}

/**
 * Groups so that no row stands for fewer than five sustainers: rows under the threshold are
 * merged together, and a merged row still under it is merged into the smallest row that is not.
 * If all of a currency's rows together stand for fewer than five, the amount is withheld.
 */
export function groupSmall(buckets: readonly Bucket[]): ReceivedRow[] {
  const out: ReceivedRow[] = [];
  for (const currency of [...new Set(buckets.map((b) => b.currency))]) {
    const mine = buckets.filter((b) => b.currency === currency);
    const big = mine.filter((b) => b.sustainers.size >= MIN_GROUP);
    const small = mine.filter((b) => b.sustainers.size < MIN_GROUP);
    let rest: Bucket | undefined = small.length ? small.slice(1).reduce(merge, small[0]) : undefined;
    if (rest && rest.sustainers.size < MIN_GROUP && big.length > 0) {
      const target = big.reduce((a, b) => (b.amount < a.amount ? b : a));
      big.splice(big.indexOf(target), 1, merge(target, rest));
      rest = undefined;
    }
    const rows = rest ? [...big, rest] : big;
    for (const b of rows) {
      const enough = b.sustainers.size >= MIN_GROUP;
      out.push({
        group: b.group,
        currency,
        amountMinor: enough ? b.amount : null,
        gifts: enough ? b.gifts : null,
        sustainers: enough ? b.sustainers.size : null,
        fewerThanFive: !enough,
      });
    }
  }
  return out;
}

export function transparencyReport(db: Database.Database, range: ReportRange): TransparencyReport {
  const { start, end } = range;
  const gifts = sql(db, `SELECT sustainer_id, currency, amount, day, recurring FROM attr_origins WHERE kind = 'donation' AND day >= ? AND day < ?`).all(start, end) as GiftRow[];
  // A refund is money returned to one person: the amount of a currency's refunds is shown only
  // when, in every month of the period that had refunds, they went to at least five distinct
  // sustainers (gifts without one count as one). Per month, not per period: every period asked
  // for is whole months, so a quarter's figure less its months' figures (or a year's less its
  // quarters') can never give a month whose refunds went to fewer than five.
  const refundMonths = sql(
    db,
    `SELECT currency, SUM(reversed_amount) AS amount, COUNT(DISTINCT COALESCE(sustainer_id, 'unknown')) AS sustainers
     FROM attr_origins WHERE kind = 'donation' AND reversed_day >= ? AND reversed_day < ?
     GROUP BY currency, substr(reversed_day, 1, 7) ORDER BY currency`,
  ).all(start, end) as Array<{ currency: string; amount: number; sustainers: number }>;
  const refunds = new Map<string, number | null>();
  for (const m of refundMonths) {
    const sofar = refunds.has(m.currency) ? refunds.get(m.currency)! : 0;
    refunds.set(m.currency, sofar === null || m.sustainers < MIN_GROUP ? null : sofar + m.amount);
  }
  const otherIncome = sql(
    db,
    `SELECT currency, COALESCE(category, kind) AS category,
            SUM(amount) - COALESCE(SUM(CASE WHEN reversed_day >= ? AND reversed_day < ? THEN reversed_amount ELSE 0 END), 0) AS amountMinor
     FROM attr_origins WHERE kind <> 'donation' AND day >= ? AND day < ? GROUP BY currency, COALESCE(category, kind) ORDER BY currency, category`,
  ).all(start, end, start, end) as Array<{ currency: string; category: string; amountMinor: number }>;

  const spending = spendingIn(db, start, end);
  const byProgram = new Map<string, { currency: string; program: string; amountMinor: number }>();
  const byCategory = new Map<string, { currency: string; category: string; amountMinor: number }>();
  const totalByCurrency: Record<string, number> = {};
  for (const s of spending) {
    const p = byProgram.get(`${s.currency}|${s.program}`) ?? { currency: s.currency, program: s.program, amountMinor: 0 };
    p.amountMinor += s.amount;
    byProgram.set(`${s.currency}|${s.program}`, p);
    const c = byCategory.get(`${s.currency}|${s.category}`) ?? { currency: s.currency, category: s.category, amountMinor: 0 };
    c.amountMinor += s.amount;
    byCategory.set(`${s.currency}|${s.category}`, c);
    totalByCurrency[s.currency] = (totalByCurrency[s.currency] ?? 0) + s.amount;
  }
  const releases = sql(
    db,
    `SELECT r.currency AS currency, COALESCE(f.purpose, f.name) AS purpose, SUM(r.amount) AS amountMinor
     FROM attr_releases r JOIN attr_funds f ON f.code = r.fund_code WHERE r.day >= ? AND r.day < ?
     GROUP BY r.currency, COALESCE(f.purpose, f.name) HAVING SUM(r.amount) <> 0 ORDER BY r.currency, purpose`,
  ).all(start, end) as Array<{ currency: string; purpose: string; amountMinor: number }>;

  const completed = sql(
    db,
    `SELECT improvement_id, description, phase, completed_on, currency, estimate FROM attr_improvements
     WHERE completed_on >= ? AND completed_on < ? ORDER BY completed_on, improvement_id`,
  ).all(start, end) as Array<{ improvement_id: string; description: string; phase: string; completed_on: string; currency: string; estimate: number }>;
  const costs = improvementCosts(db);

  const lendingRows = sql(
    db,
    `SELECT asset AS currency,
            SUM(CASE WHEN kind = 'loan-lent' THEN 1 ELSE 0 END) AS loansMade,
            SUM(CASE WHEN kind = 'loan-lent' THEN amount ELSE 0 END) AS lentMinor,
            SUM(CASE WHEN kind = 'loan-repaid' THEN amount ELSE 0 END) AS repaidMinor,
            SUM(CASE WHEN kind = 'loan-forgiven' THEN amount ELSE 0 END) AS forgivenMinor
     FROM attr_flows WHERE kind IN ('loan-lent', 'loan-repaid', 'loan-forgiven') AND day >= ? AND day < ? GROUP BY asset ORDER BY asset`,
  ).all(start, end) as TransparencyReport['lending'];
  const labour = sql(db, `SELECT COUNT(*) AS exchanges, COALESCE(SUM(amount), 0) AS minutes FROM attr_flows WHERE kind = 'labour' AND day >= ? AND day < ?`).get(start, end) as {
    exchanges: number;
    minutes: number;
  };

  return {
    period: range.period,
    from: start,
    to: dayBefore(end),
    basis: 'cash',
    minimumGroupSize: MIN_GROUP,
    received: {
      byMonth: groupSmall(bucketsOf(gifts, (g) => g.day.slice(0, 7))),
      byKind: groupSmall(bucketsOf(gifts, (g) => (g.recurring ? 'recurring' : 'one-off'))),
      total: groupSmall(bucketsOf(gifts, () => 'all')),
      refundedMinor: Object.fromEntries(refunds),
      otherIncome: otherIncome.filter((r) => r.amountMinor !== 0),
    },
    spent: {
      byProgram: [...byProgram.values()].filter((r) => r.amountMinor !== 0).sort((a, b) => a.currency.localeCompare(b.currency) || a.program.localeCompare(b.program)),
      byCategory: [...byCategory.values()].filter((r) => r.amountMinor !== 0).sort((a, b) => a.currency.localeCompare(b.currency) || a.category.localeCompare(b.category)),
      byMonth: spentByMonth(db, start, end),
      totalByCurrency,
    },
    restrictedReleased: releases,
    landTrustProjectsCompleted: completed.map((c) => ({
      improvementId: c.improvement_id, description: c.description, phase: c.phase, completedOn: c.completed_on, currency: c.currency,
      estimateMinor: c.estimate, costMinor: costs.get(c.improvement_id) ?? 0,
    })),
    lending: lendingRows,
    labour: { exchanges: labour.exchanges, minutes: labour.minutes, hours: Math.round((labour.minutes / 60) * 100) / 100 },
  };
}

function dayBefore(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) - 86_400_000).toISOString().slice(0, 10);
}

export interface SpendingRow {
  readonly currency: string;
  readonly fundCode: string;
  readonly fundClass: string;
  readonly program: string;
  readonly category: string;
  readonly kind: string;
  readonly amount: number;
}

/**
 * What was spent in [start, end): disbursements, improvement expenses and forgiven loans, each
 * dated by its business day, a reversal by its own (so a reversal in the period lowers it).
 */
export function spendingIn(db: Database.Database, start: string, end: string): SpendingRow[] {
  const rows = sql(
    db,
    `SELECT o.kind AS kind, o.fund_code AS fund_code, o.currency AS currency, o.details AS details, f.name AS fund_name, f.purpose AS purpose,
            f.restriction_class AS fund_class, SUM(c.amount) AS amount
     FROM attr_consumption c JOIN attr_outflows o ON o.outflow_id = c.outflow_id LEFT JOIN attr_funds f ON f.code = o.fund_code
     WHERE c.day >= ? AND c.day < ? AND o.kind IN ('disbursement', 'improvement', 'loan-forgiven', 'other')
     GROUP BY o.outflow_id`,
  ).all(start, end) as Array<{ kind: string; fund_code: string; currency: string; details: string; fund_name: string | null; purpose: string | null; fund_class: string | null; amount: number }>;
  return rows
    .filter((r) => r.amount !== 0)
    .map((r) => {
      const d = JSON.parse(r.details) as { category?: string; phase?: string };
      const category = r.kind === 'improvement' ? `land-trust-${d.phase ?? 'improvement'}` : r.kind === 'loan-forgiven' ? 'loan-forgiveness' : (d.category ?? 'uncategorised');
      return {
        currency: r.currency,
        fundCode: r.fund_code,
        fundClass: r.fund_class ?? 'unrestricted',
        program: programOf(r.purpose, r.fund_name ?? r.fund_code),
        category,
        kind: r.kind,
        amount: r.amount,
      };
    });
}

/** What `spendingIn` counts, by currency and month of each consumption's day (months with no net spending left out). */
function spentByMonth(db: Database.Database, start: string, end: string): Array<{ currency: string; month: string; amountMinor: number }> {
  return sql(
    db,
    `SELECT o.currency AS currency, substr(c.day, 1, 7) AS month, SUM(c.amount) AS amountMinor
     FROM attr_consumption c JOIN attr_outflows o ON o.outflow_id = c.outflow_id
     WHERE c.day >= ? AND c.day < ? AND o.kind IN ('disbursement', 'improvement', 'loan-forgiven', 'other')
     GROUP BY o.currency, substr(c.day, 1, 7) HAVING SUM(c.amount) <> 0 ORDER BY o.currency, month`,
  ).all(start, end) as Array<{ currency: string; month: string; amountMinor: number }>;
}

function improvementCosts(db: Database.Database): Map<string, number> {
  const rows = sql(
    db,
    `SELECT o.details AS details, SUM(c.amount) AS amount FROM attr_outflows o JOIN attr_consumption c ON c.outflow_id = o.outflow_id
     WHERE o.kind = 'improvement' GROUP BY o.outflow_id`,
  ).all() as Array<{ details: string; amount: number }>;
  const out = new Map<string, number>();
  for (const r of rows) {
    const id = (JSON.parse(r.details) as { improvementId: string }).improvementId;
    out.set(id, (out.get(id) ?? 0) + r.amount);
  }
  return out;
}

const CSV_COLUMNS = ['section', 'group', 'currency', 'amount_minor', 'count', 'sustainers', 'note'];

/** One table with a `section` column, through the one CSV writer. */
export function transparencyCsv(r: TransparencyReport): string {
  const rows: unknown[][] = [];
  const received = (section: string, list: ReceivedRow[]) => {
    for (const x of list) rows.push([section, x.group, x.currency, x.amountMinor ?? '', x.gifts ?? '', x.sustainers ?? '', x.fewerThanFive ? 'fewer than 5 sustainers: withheld' : '']);
  };
  received('received-month', r.received.byMonth);
  received('received-kind', r.received.byKind);
  received('received-total', r.received.total);
  for (const [currency, amount] of Object.entries(r.received.refundedMinor)) rows.push(['refunded', 'all', currency, amount ?? '', '', '', amount === null ? 'fewer than 5 sustainers: withheld' : '']);
  for (const x of r.received.otherIncome) rows.push(['other-income', x.category, x.currency, x.amountMinor, '', '', '']);
  for (const x of r.spent.byProgram) rows.push(['spent-program', x.program, x.currency, x.amountMinor, '', '', '']);
  for (const x of r.spent.byCategory) rows.push(['spent-category', x.category, x.currency, x.amountMinor, '', '', '']);
  for (const x of r.spent.byMonth) rows.push(['spent-month', x.month, x.currency, x.amountMinor, '', '', '']);
  for (const x of r.restrictedReleased) rows.push(['restricted-released', x.purpose, x.currency, x.amountMinor, '', '', '']);
  for (const x of r.landTrustProjectsCompleted) rows.push(['land-trust-completed', x.description, x.currency, x.costMinor, '', '', `${x.phase}, completed ${x.completedOn}, estimate ${x.estimateMinor}`]);
  for (const x of r.lending) {
    rows.push(['lent', 'all', x.currency, x.lentMinor, x.loansMade, '', '']);
    rows.push(['repaid', 'all', x.currency, x.repaidMinor, '', '', '']);
    rows.push(['forgiven', 'all', x.currency, x.forgivenMinor, '', '', '']);
  }
  rows.push(['labour-minutes', 'all', 'labour-minutes', r.labour.minutes, r.labour.exchanges, '', '']);
  return toCsv(CSV_COLUMNS, rows);
}
