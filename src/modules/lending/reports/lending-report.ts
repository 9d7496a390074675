import type Database from 'better-sqlite3';
import { sql } from '../../../projections/projection';
import { dayNumber, dayOf } from '../../../shared/calendar';
import { toCsv } from '../../../shared/csv';
import { labourBalances, listLabourExchanges } from '../labour-exchanges/labour-exchanges.queries';
import { listThingLoans, ThingLoanView } from '../loans-of-things/loans-of-things.queries';
import { listMoneyLoans, MoneyLoanView } from '../money-loans/money-loans.queries';

/**
 * Lending reports as of a date, from the lending read models alone: per cooperative what it lent
 * and borrowed (things, hours, money) and what is outstanding and overdue; for the network who
 * lent to whom, how much, and how much the shared resources were used.
 */
interface MoneyTotals {
  currency: string;
  loans: number;
  amountMinor: number;
  paidMinor: number;
  forgivenMinor: number;
  outstandingMinor: number;
  behindMinor: number;
}

function moneyTotals(loans: readonly MoneyLoanView[]): MoneyTotals[] {
  const by = new Map<string, MoneyTotals>();
  for (const l of loans) {
    const t = by.get(l.currency) ?? { currency: l.currency, loans: 0, amountMinor: 0, paidMinor: 0, forgivenMinor: 0, outstandingMinor: 0, behindMinor: 0 };
    t.loans += 1;
    t.amountMinor += l.amountMinor;
    t.paidMinor += l.standing.paidMinor;
    t.forgivenMinor += l.standing.forgivenMinor;
    t.outstandingMinor += l.standing.outstandingMinor;
    t.behindMinor += l.standing.behindMinor;
    by.set(l.currency, t);
  }
  return [...by.values()].sort((a, b) => a.currency.localeCompare(b.currency));
}

function thingTotals(loans: readonly ThingLoanView[]) {
  return {
    loans: loans.filter((l) => l.checkedOutOn !== undefined).length,
    reserved: loans.filter((l) => l.status === 'reserved').length,
    out: loans.filter((l) => l.status === 'out').length,
    overdue: loans.filter((l) => l.status === 'overdue').length,
    returnedLate: loans.filter((l) => l.returnedLate === true).length,
    lostOrDamaged: loans.filter((l) => l.status === 'lost' || l.status === 'damaged').length,
  };
}

const moneyLine = (l: MoneyLoanView) => ({
  loanId: l.loanId,
  lender: l.lender.kind === 'fund' ? `fund:${l.lender.fundCode}` : l.lender.cooperativeId,
  borrowerId: l.borrowerId,
  currency: l.currency,
  amountMinor: l.amountMinor,
  ...l.standing,
});

const thingLine = (l: ThingLoanView) => ({
  loanId: l.loanId,
  resourceId: l.resourceId,
  ownerId: l.ownerId,
  borrowerId: l.borrowerId,
  startOn: l.startOn,
  dueOn: l.dueOn,
  status: l.status,
  ...(l.renewalOf ? { renewalOf: l.renewalOf } : {}),
  ...(l.returnedLate !== undefined ? { returnedLate: l.returnedLate } : {}),
});

export function cooperativeReport(db: Database.Database, cooperative: { cooperativeId: string; name: string }, asOf: string) {
  const id = cooperative.cooperativeId;
  const money = listMoneyLoans(db, { asOf, cooperativeId: id });
  const lentMoney = money.filter((l) => l.lender.kind === 'cooperative' && l.lender.cooperativeId === id);
  const borrowedMoney = money.filter((l) => l.borrowerId === id);
  const things = listThingLoans(db, { asOf, cooperativeId: id });
  const lentThings = things.filter((l) => l.ownerId === id);
  const borrowedThings = things.filter((l) => l.borrowerId === id);
  const exchanges = listLabourExchanges(db, { asOf, cooperativeId: id }).filter((e) => e.status === 'confirmed');
  const [balance] = labourBalances(db, { asOf, cooperativeId: id });
  return {
    cooperativeId: id,
    name: cooperative.name,
    asOf,
    money: {
      lent: moneyTotals(lentMoney),
      borrowed: moneyTotals(borrowedMoney),
      loans: money.map(moneyLine),
    },
    things: {
      lent: thingTotals(lentThings),
      borrowed: thingTotals(borrowedThings),
      loans: things.map(thingLine),
    },
    hours: {
      workedMinutes: exchanges.filter((e) => e.workerId === id).reduce((s, e) => s + e.minutes, 0),
      receivedMinutes: exchanges.filter((e) => e.receiverId === id).reduce((s, e) => s + e.minutes, 0),
      balanceMinutes: balance?.balanceMinutes ?? 0,
      ...(balance?.limitMinutes !== undefined ? { limitMinutes: balance.limitMinutes } : {}),
      flagged: balance?.flagged ?? false,
    },
  };
}

interface Flow {
  kind: 'money' | 'things' | 'hours';
  from: string;
  to: string;
  currency?: string;
  amountMinor?: number;
  outstandingMinor?: number;
  loans?: number;
  minutes?: number;
}

export function networkReport(db: Database.Database, asOf: string) {
  const money = listMoneyLoans(db, { asOf });
  const things = listThingLoans(db, { asOf });
  const exchanges = listLabourExchanges(db, { asOf }).filter((e) => e.status === 'confirmed');
  const flows = new Map<string, Flow>();
  const flow = (key: string, init: Flow) => flows.get(key) ?? (flows.set(key, init), init);
  for (const l of money) {
    const from = l.lender.kind === 'fund' ? `fund:${l.lender.fundCode}` : l.lender.cooperativeId;
    const f = flow(`money|${from}|${l.borrowerId}|${l.currency}`, { kind: 'money', from, to: l.borrowerId, currency: l.currency, amountMinor: 0, outstandingMinor: 0, loans: 0 });
    f.amountMinor = (f.amountMinor ?? 0) + l.amountMinor;
    f.outstandingMinor = (f.outstandingMinor ?? 0) + l.standing.outstandingMinor;
    f.loans = (f.loans ?? 0) + 1;
  }
  // A renewal continues the loan it extends: it is not counted as a second loan.
  for (const l of things.filter((x) => x.checkedOutOn !== undefined && !x.renewalOf)) {
    const f = flow(`things|${l.ownerId}|${l.borrowerId}`, { kind: 'things', from: l.ownerId, to: l.borrowerId, loans: 0 });
    f.loans = (f.loans ?? 0) + 1;
  }
  for (const e of exchanges) {
    const f = flow(`hours|${e.workerId}|${e.receiverId}`, { kind: 'hours', from: e.workerId, to: e.receiverId, minutes: 0 });
    f.minutes = (f.minutes ?? 0) + e.minutes;
  }
  return {
    asOf,
    money: moneyTotals(money),
    flows: [...flows.values()].sort((a, b) => `${a.kind}|${a.from}|${a.to}`.localeCompare(`${b.kind}|${b.from}|${b.to}`)),
    utilisation: resourceUtilisation(db, asOf, things),
    overdueThings: things.filter((l) => l.status === 'overdue').map(thingLine),
    moneyBehind: money.filter((l) => l.standing.status === 'behind').map(moneyLine),
    hours: labourBalances(db, { asOf }),
  };
}

/**
 * Days each resource was out on loan from its registration day to asOf (both counted), over
 * those days: 0.25 means out a quarter of the time. The day of a check-out counts as out; the
 * day it came back does not.
 */
function resourceUtilisation(db: Database.Database, asOf: string, things: readonly ThingLoanView[]) {
  const resources = sql(db, 'SELECT resource_id, owner_id, kind, description, registered_at FROM resources ORDER BY position').all() as {
    resource_id: string;
    owner_id: string;
    kind: string;
    description: string;
    registered_at: string;
  }[];
  return resources
    .filter((r) => dayOf(r.registered_at) <= asOf)
    .map((r) => {
      const since = dayOf(r.registered_at);
      const days = dayNumber(asOf) - dayNumber(since) + 1;
      let out = 0;
      for (const l of things) {
        if (l.resourceId !== r.resource_id || !l.checkedOutOn) continue;
        const start = l.renewalOf ? l.startOn : l.checkedOutOn;
        const end = l.endedOn ?? asOf;
        out += Math.max(0, dayNumber(end) - dayNumber(start) + (l.endedOn ? 0 : 1));
      }
      return {
        resourceId: r.resource_id,
        ownerId: r.owner_id,
        kind: r.kind,
        description: r.description,
        since,
        days,
        daysOnLoan: out,
        utilisation: Math.round((out / days) * 10_000) / 10_000,
      };
    });
}

export const LENDING_CSV_HEADER = [
  'section', 'cooperativeId', 'from', 'to', 'kind', 'id', 'status', 'currency', 'amountMinor', 'paidMinor', 'forgivenMinor', 'outstandingMinor',
  'behindMinor', 'loans', 'minutes', 'days', 'daysOnLoan', 'utilisation',
] as const;

export function cooperativeCsvRows(report: ReturnType<typeof cooperativeReport>): Record<string, unknown>[] {
  const c = report.cooperativeId;
  return [
    ...report.money.lent.map((t) => ({ section: 'money-lent', cooperativeId: c, ...t })),
    ...report.money.borrowed.map((t) => ({ section: 'money-borrowed', cooperativeId: c, ...t })),
    ...report.money.loans.map((l) => ({ section: 'money-loan', cooperativeId: c, id: l.loanId, from: l.lender, to: l.borrowerId, ...l })),
    { section: 'things-lent', cooperativeId: c, loans: report.things.lent.loans, status: `out ${report.things.lent.out}; overdue ${report.things.lent.overdue}` },
    { section: 'things-borrowed', cooperativeId: c, loans: report.things.borrowed.loans, status: `out ${report.things.borrowed.out}; overdue ${report.things.borrowed.overdue}` },
    ...report.things.loans.map((l) => ({ section: 'thing-loan', cooperativeId: c, id: l.loanId, from: l.ownerId, to: l.borrowerId, status: l.status })),
    { section: 'hours', cooperativeId: c, minutes: report.hours.balanceMinutes, status: report.hours.flagged ? 'flagged' : 'within-limit' },
  ];
}

export function networkCsvRows(report: ReturnType<typeof networkReport>): Record<string, unknown>[] {
  return [
    ...report.money.map((t) => ({ section: 'money', ...t })),
    ...report.flows.map((f) => ({ section: 'flow', ...f })),
    ...report.utilisation.map((u) => ({ section: 'utilisation', id: u.resourceId, cooperativeId: u.ownerId, kind: u.kind, days: u.days, daysOnLoan: u.daysOnLoan, utilisation: u.utilisation })),
    ...report.overdueThings.map((l) => ({ section: 'overdue-thing', id: l.loanId, from: l.ownerId, to: l.borrowerId, status: l.status })),
    ...report.moneyBehind.map((l) => ({ section: 'money-behind', id: l.loanId, from: l.lender, to: l.borrowerId, ...l })),
    ...report.hours.map((h) => ({ section: 'hours', cooperativeId: h.cooperativeId, minutes: h.balanceMinutes, status: h.flagged ? 'flagged' : 'within-limit' })),
  ];
}

/** A report's rows as CSV, through the one CSV writer (formulas defused): a column per header, empty when a row has no such field. */
export function lendingCsv(rows: readonly Record<string, unknown>[]): string {
  return toCsv(LENDING_CSV_HEADER, rows.map((row) => LENDING_CSV_HEADER.map((column) => row[column] ?? '')));
}
