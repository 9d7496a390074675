import { functionOf } from './functional-classes';
import { Bucket, groupSmall } from './transparency';

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
