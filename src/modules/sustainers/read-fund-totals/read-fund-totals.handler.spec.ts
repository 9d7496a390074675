import Database from 'better-sqlite3';
import type { RecordedEvent } from '../../../event-store/envelope';
import type { Projection } from '../../../projections/projection';
import type { ReadModelDatabase } from '../../../projections/read-model-database';
import { fundsProjection } from '../../funds';
import { donationsProjection } from '../donations/donations.projection';
import { pledgeDecider } from '../pledge/pledge.decider';
import { pledgesProjection } from '../pledges/pledges.projection';
import { ReadFundTotalsHandler, ReadFundTotalsQuery } from './read-fund-totals.handler';

const projections: Projection[] = [fundsProjection, pledgesProjection, donationsProjection];
const opened = (fundId: string, code: string) => ({
  type: 'FundOpened',
  data: { fundId, code, name: code, currency: 'USD', restriction: { class: 'unrestricted' }, openedAt: '2028-01-01T00:00:00.000Z' },
});
const gift = (movementId: string, fundId: string, effectiveAt: string) => ({
  type: 'MovementRequested',
  data: {
    movementId, kind: 'donation', amountMinor: 2_500, currency: 'USD', effectiveAt, requestedBy: 'steward', requestedAt: effectiveAt,
    sustainerId: 's1', fundId, method: 'card', postings: [],
  },
});
const refund = (movementId: string, effectiveAt: string) => ({
  type: 'MovementReversed',
  data: { movementId, kind: 'donation', reversalOf: movementId, postings: [], effectiveAt, reason: 'charged back', reversedBy: 'steward' },
});
const pledged = pledgeDecider.decide(
  {
    type: 'MakePledge', pledgeId: 'p1', sustainer: { status: 'active', sustainerId: 's1', anonymous: false }, sustainerId: 's1',
    fund: { fundId: 'f2', code: 'seeds', currency: 'USD', status: 'open', restriction: { class: 'unrestricted' } },
    amountMinor: 1_000, currency: 'USD', interval: 'monthly', startDate: '2028-02-15', instalments: 1, by: 'steward', now: '2028-01-10T00:00:00.000Z',
  },
  pledgeDecider.initialState(),
);

function totals(year: number, by: 'month' | 'quarter' | 'year', ...events: Array<{ type: string; data: unknown }>) {
  const db = new Database(':memory:');
  for (const p of projections) p.setup(db);
  for (const event of events) for (const p of projections) p.apply(db, event as unknown as RecordedEvent);
  return new ReadFundTotalsHandler({ db } as ReadModelDatabase).execute(new ReadFundTotalsQuery(year, by));
}

describe('read fund totals', () => {
  const history = [opened('f1', 'water'), opened('f2', 'seeds'), gift('d1', 'f1', '2028-01-31T10:00:00.000Z'), refund('d1', '2028-04-02T00:00:00.000Z'), ...pledged];

  it('counts a gift by the day received, its refund by the day refunded, and what pledges promised apart', async () => {
    expect((await totals(2028, 'quarter', ...history)).items).toEqual([
      { fundId: 'f2', fundCode: 'seeds', period: '2028-Q1', currency: 'USD', receivedMinor: 0, refundedMinor: 0, promisedMinor: 1_000, netMinor: 0 },
      { fundId: 'f1', fundCode: 'water', period: '2028-Q1', currency: 'USD', receivedMinor: 2_500, refundedMinor: 0, promisedMinor: 0, netMinor: 2_500 },
      { fundId: 'f1', fundCode: 'water', period: '2028-Q2', currency: 'USD', receivedMinor: 0, refundedMinor: 2_500, promisedMinor: 0, netMinor: -2_500 },
    ]);
  });

  it('groups by month or year, and leaves other years out', async () => {
    expect((await totals(2028, 'month', ...history)).items.map((r) => [r.fundCode, r.period])).toEqual([
      ['seeds', '2028-02'],
      ['water', '2028-01'],
      ['water', '2028-04'],
    ]);
    expect((await totals(2028, 'year', ...history)).items.map((r) => [r.fundCode, r.period, r.netMinor])).toEqual([
      ['seeds', '2028', 0],
      ['water', '2028', 0],
    ]);
    expect(await totals(2029, 'year', ...history)).toEqual({ year: 2029, by: 'year', items: [] });
  });
});
