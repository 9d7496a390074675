import Database from 'better-sqlite3';
import { attributionProjection } from '../attribution/attribution.projection';
import { HistorySimulator } from '../attribution/history.testing';
import { functionOf } from './functional-classes';
import { Bucket, groupSmall, transparencyCsv, transparencyReport } from './transparency';

const bucket = (group: string, sustainers: number, amount: number, currency = 'USD'): Bucket => ({
  group, currency, amount, gifts: sustainers, sustainers: new Set(Array.from({ length: sustainers }, (_, i) => `${group}-${i}`)),
});

describe('public figures in groups of at least five sustainers', () => {
  it('shows a row of five or more as it is', () => {
    expect(groupSmall([bucket('2026-01', 5, 100), bucket('2026-02', 7, 200)])).toEqual([
      { group: '2026-01', currency: 'USD', amountMinor: 100, gifts: 5, sustainers: 5, fewerThanFive: false },
      { group: '2026-02', currency: 'USD', amountMinor: 200, gifts: 7, sustainers: 7, fewerThanFive: false },
    ]);
  });

  it('merges small rows together, and a merged row still small into the smallest large one', () => {
    expect(groupSmall([bucket('2026-01', 3, 10), bucket('2026-02', 3, 20), bucket('2026-03', 9, 500)])).toEqual([
      { group: '2026-03', currency: 'USD', amountMinor: 500, gifts: 9, sustainers: 9, fewerThanFive: false },
      { group: '2026-01+2026-02', currency: 'USD', amountMinor: 30, gifts: 6, sustainers: 6, fewerThanFive: false },
    ]);
    expect(groupSmall([bucket('2026-01', 2, 10), bucket('2026-02', 6, 300), bucket('2026-03', 9, 500)])).toEqual([
      { group: '2026-02+2026-01', currency: 'USD', amountMinor: 310, gifts: 8, sustainers: 8, fewerThanFive: false },
      { group: '2026-03', currency: 'USD', amountMinor: 500, gifts: 9, sustainers: 9, fewerThanFive: false },
    ]);
  });

  it('withholds what fewer than five sustainers gave altogether, per currency', () => {
    expect(groupSmall([bucket('2026-01', 2, 10, 'EUR'), bucket('2026-02', 2, 20, 'EUR'), bucket('all', 5, 70)])).toEqual([
      { group: '2026-01+2026-02', currency: 'EUR', amountMinor: null, gifts: null, sustainers: null, fewerThanFive: true },
      { group: 'all', currency: 'USD', amountMinor: 70, gifts: 5, sustainers: 5, fewerThanFive: false },
    ]);
  });
});

describe('refunds in the public report', () => {
  /** `refunded` sustainers each give a gift that is refunded the next day; eight others give and keep theirs. */
  const reportWith = (refunded: number) => {
    const sim = new HistorySimulator('2026-03-01', 8 + refunded);
    for (let i = 0; i < 8 + refunded; i++) sim.step({ kind: 'gift', sustainer: i, fund: 0, amount: 1_000 + i, recurring: false });
    sim.step({ kind: 'next-day', days: 1 });
    // The simulator's reversals pick among open postings by index: the last `refunded` gifts.
    for (let i = 0; i < refunded; i++) sim.step({ kind: 'reverse', pick: 8 + refunded - 1 - i });
    const db = new Database(':memory:');
    attributionProjection.setup(db);
    for (const e of sim.events) attributionProjection.apply(db, e);
    const report = transparencyReport(db, { period: '2026-03', start: '2026-03-01', end: '2026-04-01' });
    db.close();
    return report;
  };

  it('withholds the amount refunded when fewer than five sustainers were refunded (it would single them out)', () => {
    const report = reportWith(1);
    expect(report.received.total).toEqual([expect.objectContaining({ sustainers: 9, fewerThanFive: false })]);
    expect(report.received.refundedMinor).toEqual({ USD: null });
    expect(transparencyCsv(report)).toContain('refunded,all,USD,,,,fewer than 5 sustainers: withheld');
    expect(reportWith(4).received.refundedMinor).toEqual({ USD: null });
  });

  it('shows it when five or more sustainers were refunded', () => {
    const report = reportWith(5);
    expect(report.received.refundedMinor).toEqual({ USD: 1_008 + 1_009 + 1_010 + 1_011 + 1_012 });
    expect(transparencyCsv(report)).toContain(`refunded,all,USD,${1_008 + 1_009 + 1_010 + 1_011 + 1_012},,,`);
  });
});

describe('refunds withheld per month, so that no period less another gives them', () => {
  it('withholds a quarter\'s refunds when one of its months had refunds to fewer than five sustainers', () => {
    // Twenty gifts on 1 April; five refunded in April, five in May, one in June.
    const sim = new HistorySimulator('2026-04-01', 20);
    for (let i = 0; i < 20; i++) sim.step({ kind: 'gift', sustainer: i, fund: 0, amount: 1_000 + i, recurring: false });
    let open = 20;
    const refund = (n: number) => {
      for (let i = 0; i < n; i++) sim.step({ kind: 'reverse', pick: --open });
    };
    sim.step({ kind: 'next-day', days: 1 });
    refund(5);
    sim.step({ kind: 'next-day', days: 30 });
    refund(5);
    sim.step({ kind: 'next-day', days: 31 });
    refund(1);
    const db = new Database(':memory:');
    attributionProjection.setup(db);
    for (const e of sim.events) attributionProjection.apply(db, e);
    const refunded = (period: string, start: string, end: string) => transparencyReport(db, { period, start, end }).received.refundedMinor;
    const april = refunded('2026-04', '2026-04-01', '2026-05-01').USD;
    const may = refunded('2026-05', '2026-05-01', '2026-06-01').USD;
    expect(april).toEqual(expect.any(Number));
    expect(may).toEqual(expect.any(Number));
    expect(refunded('2026-06', '2026-06-01', '2026-07-01')).toEqual({ USD: null });
    // Were the quarter shown, the quarter less April and May would be June's one refund.
    expect(refunded('FY2026-Q2', '2026-04-01', '2026-07-01')).toEqual({ USD: null });
    expect(refunded('2026-04+05', '2026-04-01', '2026-06-01')).toEqual({ USD: april! + may! });
    db.close();
  });
});

describe('expenses by function from the spending category', () => {
  it.each([
    ['accounting', 'management-and-general'],
    ['Insurance', 'management-and-general'],
    ['bank fees', 'management-and-general'],
    ['appeal_mailings', 'fundraising'],
    ['rehab', 'program'],
    ['water-equipment', 'program'],
    ['staff', 'program'],
  ])('%s is %s', (category, fn) => expect(functionOf(category)).toBe(fn));
});
