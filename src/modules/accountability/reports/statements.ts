import type Database from 'better-sqlite3';
import { sql } from '../../../projections/projection';
import { balanceAsOf, postedKey } from '../../ledger';
import { ExpenseFunction, functionOf } from './functional-classes';
import { ReportRange, spendingIn } from './transparency';

/**
 * The nonprofit statements (US GAAP, ASC 958, as ../shared/DOMAIN.md describes), on a cash basis:
 * pledges are promises, not revenue or receivables, and are reported apart by the sustainers'
 * routes. Net assets are the funds' cash plus loans receivable from member cooperatives, in two
 * classes: without donor restrictions (unrestricted and board-designated funds) and with donor
 * restrictions (donor-restricted funds). Every figure is drawn from the attribution read model and
 * the ledger's balances, and the `reconciliation` says how each ties to the trial balance.
 */
export type NetAssetClass = 'without-donor-restrictions' | 'with-donor-restrictions';

export const classOfFund = (restrictionClass: string | null): NetAssetClass =>
  restrictionClass === 'donor-restricted' ? 'with-donor-restrictions' : 'without-donor-restrictions';

interface FundRow {
  code: string;
  fund_id: string;
  name: string;
  currency: string;
  restriction_class: string;
  purpose: string | null;
}

const funds = (db: Database.Database): FundRow[] =>
  sql(db, 'SELECT code, fund_id, name, currency, restriction_class, purpose FROM attr_funds ORDER BY code').all() as FundRow[];

interface ClassFigures {
  withoutDonorRestrictionsMinor: number;
  withDonorRestrictionsMinor: number;
  totalMinor: number;
}

const zero = (): ClassFigures => ({ withoutDonorRestrictionsMinor: 0, withDonorRestrictionsMinor: 0, totalMinor: 0 });

function addTo(f: ClassFigures, cls: NetAssetClass, amount: number): void {
  if (cls === 'with-donor-restrictions') f.withDonorRestrictionsMinor += amount;
  else f.withoutDonorRestrictionsMinor += amount;
  f.totalMinor += amount;
}

function dayBefore(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) - 86_400_000).toISOString().slice(0, 10);
}

/** Sum of the balances as of a day of every account starting with `prefix`, in one asset. */
function accountsAsOf(db: Database.Database, prefix: string, asset: string, day: string): number {
  const accounts = sql(db, "SELECT account FROM account_balances WHERE asset = ? AND account >= ? AND account < ? || '~'").all(asset, prefix, prefix) as Array<{ account: string }>;
  return accounts.reduce((sum, a) => sum + balanceAsOf(db, postedKey(a.account, asset), day), 0);
}

function loansReceivable(db: Database.Database, currency: string, day: string): Array<{ loanId: string; cooperativeId: string; cooperativeName: string | null; fundCode: string; class: NetAssetClass; amountMinor: number }> {
  const loans = sql(
    db,
    `SELECT l.loan_id, l.borrower_id, l.fund_code, f.restriction_class, c.name AS cooperative_name FROM attr_loans l
     LEFT JOIN attr_funds f ON f.code = l.fund_code LEFT JOIN attr_cooperatives c ON c.cooperative_id = l.borrower_id
     WHERE l.lender_kind = 'fund' AND l.currency = ? AND l.disbursed_day <= ? ORDER BY l.disbursed_day, l.loan_id`,
  ).all(currency, day) as Array<{ loan_id: string; borrower_id: string; fund_code: string; restriction_class: string | null; cooperative_name: string | null }>;
  return loans
    .map((l) => ({
      loanId: l.loan_id,
      cooperativeId: l.borrower_id,
      cooperativeName: l.cooperative_name,
      fundCode: l.fund_code,
      class: classOfFund(l.restriction_class),
      amountMinor: balanceAsOf(db, postedKey(`loan:${l.loan_id}`, currency), day),
    }))
    .filter((l) => l.amountMinor !== 0);
}

function currencies(db: Database.Database): string[] {
  return (sql(db, 'SELECT DISTINCT currency FROM attr_funds ORDER BY currency').all() as Array<{ currency: string }>).map((r) => r.currency);
}

export interface FinancialPosition {
  readonly asOf: string;
  readonly basis: 'cash';
  readonly currency: string;
  readonly assets: {
    readonly cashByFund: Array<{ fundCode: string; fundName: string; class: NetAssetClass; boardDesignated: boolean; purpose: string | null; amountMinor: number }>;
    readonly cashMinor: number;
    readonly loansReceivable: Array<{ loanId: string; cooperativeId: string; cooperativeName: string | null; fundCode: string; class: NetAssetClass; amountMinor: number }>;
    readonly loansReceivableMinor: number;
    readonly totalMinor: number;
  };
  readonly liabilitiesMinor: number;
  readonly netAssets: {
    readonly withoutDonorRestrictions: { readonly undesignatedMinor: number; readonly boardDesignatedMinor: number; readonly totalMinor: number };
    readonly withDonorRestrictions: { readonly byPurpose: Array<{ purpose: string; amountMinor: number }>; readonly totalMinor: number };
    readonly totalMinor: number;
  };
  /** Each figure and the trial balance account(s) it equals, as of the same day. */
  readonly reconciliation: Array<{ figure: string; accounts: string; statementMinor: number; trialBalanceMinor: number; matches: boolean }>;
}

export function financialPosition(db: Database.Database, asOf: string): FinancialPosition[] {
  return currencies(db).map((currency) => {
    const cashByFund = funds(db)
      .filter((f) => f.currency === currency)
      .map((f) => ({
        fundCode: f.code, fundName: f.name, class: classOfFund(f.restriction_class), boardDesignated: f.restriction_class === 'board-designated',
        purpose: f.purpose, amountMinor: balanceAsOf(db, postedKey(`fund:${f.code}`, currency), asOf),
      }));
    const loans = loansReceivable(db, currency, asOf);
    const cash = cashByFund.reduce((s, f) => s + f.amountMinor, 0);
    const lent = loans.reduce((s, l) => s + l.amountMinor, 0);
    let undesignated = 0;
    let designated = 0;
    const purposes = new Map<string, number>();
    for (const item of [...cashByFund.map((f) => ({ ...f, key: f.fundCode })), ...loans.map((l) => {
      const f = cashByFund.find((x) => x.fundCode === l.fundCode);
      return { class: l.class, boardDesignated: f?.boardDesignated ?? false, purpose: f?.purpose ?? null, fundName: f?.fundName ?? l.fundCode, amountMinor: l.amountMinor };
    })]) {
      if (item.class === 'with-donor-restrictions') {
        const purpose = item.purpose ?? item.fundName;
        purposes.set(purpose, (purposes.get(purpose) ?? 0) + item.amountMinor);
      } else if (item.boardDesignated) designated += item.amountMinor;
      else undesignated += item.amountMinor;
    }
    const withTotal = [...purposes.values()].reduce((s, v) => s + v, 0);
    const tbFunds = accountsAsOf(db, 'fund:', currency, asOf);
    const tbLoans = loans.reduce((s, l) => s + balanceAsOf(db, postedKey(`loan:${l.loanId}`, currency), asOf), 0);
    return {
      asOf,
      basis: 'cash' as const,
      currency,
      assets: { cashByFund, cashMinor: cash, loansReceivable: loans, loansReceivableMinor: lent, totalMinor: cash + lent },
      liabilitiesMinor: 0,
      netAssets: {
        withoutDonorRestrictions: { undesignatedMinor: undesignated, boardDesignatedMinor: designated, totalMinor: undesignated + designated },
        withDonorRestrictions: { byPurpose: [...purposes.entries()].map(([purpose, amountMinor]) => ({ purpose, amountMinor })).sort((a, b) => a.purpose.localeCompare(b.purpose)), totalMinor: withTotal },
        totalMinor: undesignated + designated + withTotal,
      },
      reconciliation: [
        { figure: 'assets.cashMinor', accounts: 'fund:*', statementMinor: cash, trialBalanceMinor: tbFunds, matches: cash === tbFunds },
        { figure: 'assets.loansReceivableMinor', accounts: 'loan:* (loans from funds)', statementMinor: lent, trialBalanceMinor: tbLoans, matches: lent === tbLoans },
        { figure: 'netAssets.totalMinor', accounts: 'fund:* + loan:* (loans from funds)', statementMinor: undesignated + designated + withTotal, trialBalanceMinor: tbFunds + tbLoans, matches: undesignated + designated + withTotal === tbFunds + tbLoans },
      ],
    };
  });
}

export interface StatementOfActivities {
  readonly period: string;
  readonly from: string;
  readonly to: string;
  readonly basis: 'cash';
  readonly currency: string;
  readonly revenue: { readonly contributions: ClassFigures; readonly otherIncome: ClassFigures; readonly total: ClassFigures };
  readonly netAssetsReleasedFromRestrictions: ClassFigures;
  readonly expenses: {
    readonly programServices: Array<{ program: string; amountMinor: number }>;
    readonly programServicesMinor: number;
    readonly managementAndGeneralMinor: number;
    readonly fundraisingMinor: number;
    readonly total: ClassFigures;
  };
  /** Transfers between funds of different classes (a board moving general money into a restricted fund, or back). */
  readonly reclassifications: ClassFigures;
  readonly changeInNetAssets: ClassFigures;
  readonly netAssetsAtStart: ClassFigures;
  readonly netAssetsAtEnd: ClassFigures;
  /** start + change = end, in each class. */
  readonly balanced: boolean;
  readonly reconciliation: Array<{ figure: string; accounts: string; statementMinor: number; trialBalanceMinor: number; matches: boolean }>;
}

function netAssetsAt(db: Database.Database, currency: string, day: string): ClassFigures {
  const out = zero();
  for (const f of funds(db).filter((x) => x.currency === currency)) addTo(out, classOfFund(f.restriction_class), balanceAsOf(db, postedKey(`fund:${f.code}`, currency), day));
  for (const l of loansReceivable(db, currency, day)) addTo(out, l.class, l.amountMinor);
  return out;
}

export function statementOfActivities(db: Database.Database, range: ReportRange): StatementOfActivities[] {
  const { start, end } = range;
  const opening = dayBefore(start);
  const closing = dayBefore(end);
  const fundClass = new Map(funds(db).map((f) => [f.code, classOfFund(f.restriction_class)]));
  return currencies(db).map((currency) => {
    const contributions = zero();
    const otherIncome = zero();
    const origins = sql(
      db,
      `SELECT kind, fund_code, amount, day, reversed_day, reversed_amount FROM attr_origins WHERE currency = ? AND
         ((day >= ? AND day < ?) OR (reversed_day >= ? AND reversed_day < ?))`,
    ).all(currency, start, end, start, end) as Array<{ kind: string; fund_code: string; amount: number; day: string; reversed_day: string | null; reversed_amount: number | null }>;
    for (const o of origins) {
      const target = o.kind === 'donation' ? contributions : otherIncome;
      const cls = fundClass.get(o.fund_code) ?? 'without-donor-restrictions';
      if (o.day >= start && o.day < end) addTo(target, cls, o.amount);
      if (o.reversed_day && o.reversed_day >= start && o.reversed_day < end) addTo(target, cls, -(o.reversed_amount ?? 0));
    }
    const revenue = zero();
    for (const f of [contributions, otherIncome]) {
      revenue.withDonorRestrictionsMinor += f.withDonorRestrictionsMinor;
      revenue.withoutDonorRestrictionsMinor += f.withoutDonorRestrictionsMinor;
      revenue.totalMinor += f.totalMinor;
    }
    const released = (sql(db, 'SELECT COALESCE(SUM(amount), 0) AS s FROM attr_releases WHERE currency = ? AND day >= ? AND day < ?').get(currency, start, end) as { s: number }).s;
    const releases: ClassFigures = { withDonorRestrictionsMinor: -released, withoutDonorRestrictionsMinor: released, totalMinor: 0 };

    const spending = spendingIn(db, start, end).filter((s) => s.currency === currency);
    const programs = new Map<string, number>();
    const byFunction: Record<ExpenseFunction, number> = { program: 0, 'management-and-general': 0, fundraising: 0 };
    const expenseClasses = zero();
    for (const s of spending) {
      const fn = s.kind === 'disbursement' ? functionOf(s.category) : 'program';
      byFunction[fn] += s.amount;
      if (fn === 'program') programs.set(s.program, (programs.get(s.program) ?? 0) + s.amount);
      // Expenses are reported without donor restrictions; restricted money reaches that class by its release.
      addTo(expenseClasses, 'without-donor-restrictions', s.amount);
    }

    const reclassifications = zero();
    const transfers = sql(
      db,
      `SELECT fund_code, details, amount FROM attr_outflows WHERE currency = ? AND kind IN ('transfer', 'transfer-return') AND day >= ? AND day < ?`,
    ).all(currency, start, end) as Array<{ fund_code: string; details: string; amount: number }>;
    for (const t of transfers) {
      const from = fundClass.get(t.fund_code) ?? 'without-donor-restrictions';
      const to = fundClass.get((JSON.parse(t.details) as { toFundCode?: string }).toFundCode ?? '') ?? 'without-donor-restrictions';
      if (from === to) continue;
      addTo(reclassifications, from, -t.amount);
      addTo(reclassifications, to, t.amount);
    }

    const change: ClassFigures = {
      withoutDonorRestrictionsMinor:
        revenue.withoutDonorRestrictionsMinor + releases.withoutDonorRestrictionsMinor - expenseClasses.withoutDonorRestrictionsMinor + reclassifications.withoutDonorRestrictionsMinor,
      withDonorRestrictionsMinor:
        revenue.withDonorRestrictionsMinor + releases.withDonorRestrictionsMinor - expenseClasses.withDonorRestrictionsMinor + reclassifications.withDonorRestrictionsMinor,
      totalMinor: 0,
    };
    change.totalMinor = change.withoutDonorRestrictionsMinor + change.withDonorRestrictionsMinor;
    const atStart = netAssetsAt(db, currency, opening);
    const atEnd = netAssetsAt(db, currency, closing);
    const balanced =
      atStart.withoutDonorRestrictionsMinor + change.withoutDonorRestrictionsMinor === atEnd.withoutDonorRestrictionsMinor &&
      atStart.withDonorRestrictionsMinor + change.withDonorRestrictionsMinor === atEnd.withDonorRestrictionsMinor;

    const delta = (prefix: string) => accountsAsOf(db, prefix, currency, closing) - accountsAsOf(db, prefix, currency, opening);
    const tbContributions = -delta('sustainer:');
    const tbIncome = -delta('income:');
    const tbExpenses = delta('vendor:') + delta('expense:');
    return {
      period: range.period,
      from: start,
      to: closing,
      basis: 'cash' as const,
      currency,
      revenue: { contributions, otherIncome, total: revenue },
      netAssetsReleasedFromRestrictions: releases,
      expenses: {
        programServices: [...programs.entries()].map(([program, amountMinor]) => ({ program, amountMinor })).filter((p) => p.amountMinor !== 0).sort((a, b) => a.program.localeCompare(b.program)),
        programServicesMinor: byFunction.program,
        managementAndGeneralMinor: byFunction['management-and-general'],
        fundraisingMinor: byFunction.fundraising,
        total: expenseClasses,
      },
      reclassifications,
      changeInNetAssets: change,
      netAssetsAtStart: atStart,
      netAssetsAtEnd: atEnd,
      balanced,
      reconciliation: [
        { figure: 'revenue.contributions.totalMinor', accounts: '−Δ sustainer:*', statementMinor: contributions.totalMinor, trialBalanceMinor: tbContributions, matches: contributions.totalMinor === tbContributions },
        { figure: 'revenue.otherIncome.totalMinor', accounts: '−Δ income:*', statementMinor: otherIncome.totalMinor, trialBalanceMinor: tbIncome, matches: otherIncome.totalMinor === tbIncome },
        { figure: 'expenses.total.totalMinor', accounts: 'Δ vendor:* + Δ expense:*', statementMinor: expenseClasses.totalMinor, trialBalanceMinor: tbExpenses, matches: expenseClasses.totalMinor === tbExpenses },
      ],
    };
  });
}
