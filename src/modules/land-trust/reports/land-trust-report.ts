import type Database from 'better-sqlite3';
import { sql } from '../../../projections/projection';
import { toCsv } from '../../../shared/csv';
import type { ImprovementRow } from '../improvements/improvements.queries';

/**
 * Per-property and portfolio reports, as of any business date. Every figure is an indexed sum
 * over rows that carry the day they count from (see improvements/ and properties/); nothing is
 * replayed. All amounts are integer minor units, summed per currency and never mixed.
 */

/** Later than any business date: "as of now". */
const END_OF_TIME = '9999-12-31';

export interface FundFigures {
  fundId: string;
  fundCode: string;
  currency: string;
  allocatedMinor: number;
  spentMinor: number;
  releasedMinor: number;
  /** Still held on the fund for this work: allocated − spent − released. */
  heldMinor: number;
}

export interface ProjectFigures {
  improvementId: string;
  propertyId: string;
  description: string;
  phase: string;
  status: string;
  currency: string;
  estimateMinor: number;
  allocatedMinor: number;
  spentMinor: number;
  releasedMinor: number;
  /** Allocated and neither spent nor released: what the project may still spend. */
  remainingMinor: number;
  /** Actual against estimate: spent − estimate (negative is under budget). */
  varianceMinor: number;
  completedOn?: string;
  inspection?: string;
  resaleCreditMinor?: number;
  byVendor: { vendor: string; spentMinor: number }[];
  byFund: FundFigures[];
}

interface Totals {
  currency: string;
  estimateMinor: number;
  allocatedMinor: number;
  spentMinor: number;
  releasedMinor: number;
  remainingMinor: number;
  varianceMinor: number;
}

export interface Rollup {
  totals: Totals[];
  byPhase: { phase: string; currency: string; estimateMinor: number; spentMinor: number; varianceMinor: number }[];
  byVendor: { vendor: string; currency: string; spentMinor: number }[];
  byFund: FundFigures[];
}

type Sum = { key: string; fund_code?: string; total: number };

function sums(db: Database.Database, text: string, ...args: unknown[]): Map<string, Sum> {
  return new Map((sql(db, text).all(...args) as Sum[]).map((r) => [r.key, r]));
}

function projectFigures(db: Database.Database, row: ImprovementRow, day: string): ProjectFigures {
  const id = row.improvement_id;
  const status = (sql(db, 'SELECT status FROM improvement_status WHERE improvement_id = ? AND day <= ? ORDER BY position DESC LIMIT 1').get(id, day) as { status: string }).status;
  const allocated = sums(db, 'SELECT fund_id AS key, fund_code, SUM(amount) AS total FROM improvement_lines WHERE improvement_id = ? AND approved_day <= ? GROUP BY fund_id, fund_code', id, day);
  const spent = sums(db, 'SELECT fund_id AS key, fund_code, SUM(amount) AS total FROM improvement_charges WHERE improvement_id = ? AND effective_day <= ? GROUP BY fund_id, fund_code', id, day);
  const released = sums(db, 'SELECT fund_id AS key, fund_code, SUM(amount) AS total FROM improvement_releases WHERE improvement_id = ? AND day <= ? GROUP BY fund_id, fund_code', id, day);
  const vendors = sql(db, 'SELECT vendor, SUM(amount) AS total FROM improvement_charges WHERE improvement_id = ? AND effective_day <= ? GROUP BY vendor ORDER BY vendor').all(id, day) as {
    vendor: string;
    total: number;
  }[];
  // Funds in the order the plan (then each increase) named them: the order money is drawn in.
  const order = sql(db, 'SELECT fund_id, fund_code FROM improvement_lines WHERE improvement_id = ? ORDER BY position, seq').all(id) as { fund_id: string; fund_code: string }[];
  const seen = new Set<string>();
  const byFund: FundFigures[] = [];
  for (const { fund_id, fund_code } of order) {
    if (seen.has(fund_id)) continue;
    seen.add(fund_id);
    const a = allocated.get(fund_id)?.total ?? 0;
    const s = spent.get(fund_id)?.total ?? 0;
    const r = released.get(fund_id)?.total ?? 0;
    if (a === 0 && s === 0 && r === 0) continue;
    byFund.push({ fundId: fund_id, fundCode: fund_code, currency: row.currency, allocatedMinor: a, spentMinor: s, releasedMinor: r, heldMinor: a - s - r });
  }
  const total = (list: FundFigures[], field: 'allocatedMinor' | 'spentMinor' | 'releasedMinor') => list.reduce((sum, f) => sum + f[field], 0);
  const allocatedMinor = total(byFund, 'allocatedMinor');
  const spentMinor = total(byFund, 'spentMinor');
  const releasedMinor = total(byFund, 'releasedMinor');
  // What a project reports about its end only holds from the day it ended.
  const ended = status === 'completed';
  return {
    improvementId: id,
    propertyId: row.property_id,
    description: row.description,
    phase: row.phase,
    status,
    currency: row.currency,
    estimateMinor: row.estimate,
    allocatedMinor,
    spentMinor,
    releasedMinor,
    remainingMinor: allocatedMinor - spentMinor - releasedMinor,
    varianceMinor: spentMinor - row.estimate,
    ...(ended && row.completed_on ? { completedOn: row.completed_on, inspection: row.inspection ?? undefined } : {}),
    ...(ended && row.resale_credit !== null ? { resaleCreditMinor: row.resale_credit } : {}),
    byVendor: vendors.map((v) => ({ vendor: v.vendor, spentMinor: v.total })),
    byFund,
  };
}

function add<K extends string>(map: Map<string, Record<K, number> & Record<string, unknown>>, key: string, base: Record<string, unknown>, values: Record<K, number>): void {
  const entry = map.get(key) ?? ({ ...base, ...Object.fromEntries(Object.keys(values).map((k) => [k, 0])) } as Record<K, number> & Record<string, unknown>);
  for (const k of Object.keys(values) as K[]) (entry as Record<K, number>)[k] += values[k];
  map.set(key, entry);
}

/** Projects rolled up: totals per currency, by phase, by vendor and by fund. */
export function rollUp(projects: readonly ProjectFigures[]): Rollup {
  const totals = new Map();
  const phases = new Map();
  const vendors = new Map();
  const funds = new Map();
  for (const p of projects) {
    const { estimateMinor, allocatedMinor, spentMinor, releasedMinor, remainingMinor, varianceMinor, currency } = p;
    add(totals, currency, { currency }, { estimateMinor, allocatedMinor, spentMinor, releasedMinor, remainingMinor, varianceMinor });
    add(phases, `${p.phase}|${currency}`, { phase: p.phase, currency }, { estimateMinor, spentMinor, varianceMinor });
    for (const v of p.byVendor) add(vendors, `${v.vendor}|${currency}`, { vendor: v.vendor, currency }, { spentMinor: v.spentMinor });
    for (const f of p.byFund) {
      add(funds, `${f.fundCode}|${f.fundId}`, { fundId: f.fundId, fundCode: f.fundCode, currency }, { allocatedMinor: f.allocatedMinor, spentMinor: f.spentMinor, releasedMinor: f.releasedMinor, heldMinor: f.heldMinor });
    }
  }
  const sorted = <T>(map: Map<string, T>): T[] => [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
  return { totals: sorted(totals), byPhase: sorted(phases), byVendor: sorted(vendors), byFund: sorted(funds) };
}

function projectsOf(db: Database.Database, propertyId: string, day: string): ProjectFigures[] {
  const rows = sql(db, 'SELECT * FROM improvements WHERE property_id = ? AND planned_day <= ? ORDER BY position').all(propertyId, day) as ImprovementRow[];
  return rows.map((row) => projectFigures(db, row, day));
}

/** The property's status on a day: the last change recorded on or before it, else the status it was registered with. */
function propertyStatusAsOf(db: Database.Database, propertyId: string, registeredStatus: string, day: string): string {
  const changes = sql(db, 'SELECT from_status, to_status, changed_at FROM property_status_changes WHERE property_id = ? ORDER BY position').all(propertyId) as {
    from_status: string;
    to_status: string;
    changed_at: string;
  }[];
  const before = changes.filter((c) => c.changed_at.slice(0, 10) <= day);
  if (before.length > 0) return before[before.length - 1].to_status;
  return changes.length > 0 ? changes[0].from_status : registeredStatus;
}

export function propertyReport(db: Database.Database, property: { propertyId: string; address: string; parcelId: string; status: string }, asOf: string | undefined) {
  const day = asOf ?? END_OF_TIME;
  return db.transaction(() => {
    const projects = projectsOf(db, property.propertyId, day);
    const status = propertyStatusAsOf(db, property.propertyId, property.status, day);
    return { propertyId: property.propertyId, address: property.address, parcelId: property.parcelId, status, ...(asOf ? { asOf } : {}), projects, ...rollUp(projects) };
  })();
}

/**
 * The fiscal quarter and year a month (YYYY-MM) falls in, named as `parsePeriod` names them:
 * fiscal years by the calendar year they end in.
 */
export function fiscalPeriodsOf(month: string, fiscalYearStartMonth: number): { quarter: string; fiscalYear: string } {
  const year = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  const fy = fiscalYearStartMonth === 1 || m < fiscalYearStartMonth ? year : year + 1;
  const quarter = Math.floor(((m - fiscalYearStartMonth + 12) % 12) / 3) + 1;
  return { quarter: `FY${fy}-Q${quarter}`, fiscalYear: `FY${fy}` };
}

function regroup(rows: readonly { month: string; currency: string; spentMinor: number }[], name: (month: string) => string) {
  const out = new Map<string, { period: string; currency: string; spentMinor: number }>();
  for (const r of rows) {
    const period = name(r.month);
    const key = `${period}|${r.currency}`;
    const entry = out.get(key) ?? { period, currency: r.currency, spentMinor: 0 };
    out.set(key, { ...entry, spentMinor: entry.spentMinor + r.spentMinor });
  }
  return [...out.values()];
}

export interface PeriodRangeLike {
  readonly period: string;
  readonly start: string;
  readonly end: string;
}

/**
 * The portfolio: each property's totals, the whole rolled up, spending per calendar month, fiscal
 * quarter and fiscal year, and with a period, what was spent within it (by property, phase,
 * vendor and fund).
 */
export function portfolioReport(db: Database.Database, asOf: string | undefined, range: PeriodRangeLike | undefined, fiscalYearStartMonth: number) {
  const day = asOf ?? END_OF_TIME;
  return db.transaction(() => {
    const properties = sql(db, 'SELECT property_id, address, parcel_id, status FROM properties ORDER BY parcel_id').all() as {
      property_id: string;
      address: string;
      parcel_id: string;
      status: string;
    }[];
    const all: ProjectFigures[] = [];
    const perProperty = properties.map((p) => {
      const projects = projectsOf(db, p.property_id, day);
      all.push(...projects);
      const { totals } = rollUp(projects);
      return { propertyId: p.property_id, address: p.address, parcelId: p.parcel_id, projects: projects.length, totals };
    });
    const byMonth = sql(
      db,
      `SELECT substr(effective_day, 1, 7) AS month, currency, SUM(amount) AS spentMinor FROM improvement_charges
       WHERE effective_day <= ? GROUP BY month, currency ORDER BY month, currency`,
    ).all(day) as { month: string; currency: string; spentMinor: number }[];
    return {
      ...(asOf ? { asOf } : {}),
      properties: perProperty,
      ...rollUp(all),
      byMonth,
      byQuarter: regroup(byMonth, (m) => fiscalPeriodsOf(m, fiscalYearStartMonth).quarter),
      byFiscalYear: regroup(byMonth, (m) => fiscalPeriodsOf(m, fiscalYearStartMonth).fiscalYear),
      ...(range ? { period: periodSpending(db, range) } : {}),
    };
  })();
}

function periodSpending(db: Database.Database, range: PeriodRangeLike) {
  const grouped = (select: string, by: string) =>
    sql(
      db,
      `SELECT ${select}currency, SUM(amount) AS spentMinor FROM improvement_charges
       WHERE effective_day >= ? AND effective_day < ? GROUP BY ${by}currency ORDER BY ${by}currency`,
    ).all(range.start, range.end);
  return {
    period: range.period,
    start: range.start,
    end: range.end,
    totals: grouped('', ''),
    byProperty: grouped('property_id AS propertyId, ', 'property_id, '),
    byPhase: grouped('phase, ', 'phase, '),
    byVendor: grouped('vendor, ', 'vendor, '),
    byFund: grouped('fund_id AS fundId, fund_code AS fundCode, ', 'fund_code, fund_id, '),
  };
}

const FIGURES = ['estimateMinor', 'allocatedMinor', 'spentMinor', 'releasedMinor', 'remainingMinor', 'heldMinor', 'varianceMinor'];
export const REPORT_CSV_HEADER = ['section', 'propertyId', 'improvementId', 'description', 'phase', 'status', 'vendor', 'fundCode', 'period', 'currency', ...FIGURES];

/** One table for every section of a report: a row per project, per project and fund or vendor, and per roll-up line. */
export function reportCsvRows(report: { projects?: ProjectFigures[] } & Rollup & { propertyId?: string }): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  for (const p of report.projects ?? []) {
    const { byVendor, byFund, ...project } = p;
    rows.push({ section: 'project', ...project });
    for (const f of byFund) rows.push({ section: 'project-fund', propertyId: p.propertyId, improvementId: p.improvementId, ...f });
    for (const v of byVendor) rows.push({ section: 'project-vendor', propertyId: p.propertyId, improvementId: p.improvementId, currency: p.currency, ...v });
  }
  const propertyId = report.propertyId;
  for (const t of report.totals) rows.push({ section: 'total', propertyId, ...t });
  for (const x of report.byPhase) rows.push({ section: 'phase', propertyId, ...x });
  for (const x of report.byVendor) rows.push({ section: 'vendor', propertyId, ...x });
  for (const x of report.byFund) rows.push({ section: 'fund', propertyId, ...x });
  return rows;
}

/** Rows of named cells as one CSV table under REPORT_CSV_HEADER, through the shared writer (formulas defused). */
export function reportCsv(rows: readonly Record<string, unknown>[]): string {
  return toCsv(REPORT_CSV_HEADER, rows.map((row) => REPORT_CSV_HEADER.map((column) => row[column])));
}
