import Database from 'better-sqlite3';
import type { RecordedEvent } from '../../../event-store/envelope';
import { donationsProjection } from './donations.projection';
import { donationRows, raisedRows } from './donations.queries';

const gift = (movementId: string, effectiveAt: string, extra: Record<string, unknown> = {}) => ({
  type: 'MovementRequested',
  data: {
    movementId, kind: 'donation', amountMinor: 2_500, currency: 'USD', effectiveAt, requestedBy: 'steward', requestedAt: effectiveAt,
    sustainerId: 's1', fundId: 'f1', method: 'card', postings: [], ...extra,
  },
});
const refund = (movementId: string, effectiveAt: string) => ({
  type: 'MovementReversed',
  data: { movementId, kind: 'donation', reversalOf: movementId, postings: [], effectiveAt, reason: 'charged back', reversedBy: 'steward' },
});

function given(...events: Array<{ type: string; data: unknown }>): Database.Database {
  const db = new Database(':memory:');
  donationsProjection.setup(db);
  for (const event of events) donationsProjection.apply(db, event as unknown as RecordedEvent);
  return db;
}

describe('donations projection', () => {
  it('keeps a donation movement as a gift by the day received, and its reversal as the refund', () => {
    const db = given(
      gift('d1', '2028-01-31T10:00:00.000Z', { pledgeId: 'p1', goodsServicesMinor: 500, restriction: { class: 'donor-restricted', purpose: 'wells' } }),
      refund('d1', '2028-02-03T00:00:00.000Z'),
    );
    expect(donationRows(db, {})).toEqual([
      {
        donation_id: 'd1', sustainer_id: 's1', pledge_id: 'p1', fund_id: 'f1', amount_minor: 2_500, currency: 'USD', method: 'card', goods_minor: 500,
        received_on: '2028-01-31', restriction: '{"class":"donor-restricted","purpose":"wells"}', refunded_on: '2028-02-03', refund_reason: 'charged back',
      },
    ]);
  });

  it('ignores movements of other kinds; a gift without designation is unrestricted', () => {
    const db = given(
      { type: 'MovementRequested', data: { ...gift('m1', '2028-01-01T00:00:00.000Z').data, kind: 'income' } },
      gift('d2', '2028-01-05T00:00:00.000Z'),
      { type: 'MovementReversed', data: { ...refund('m1', '2028-01-06T00:00:00.000Z').data, kind: 'income' } },
    );
    expect(donationRows(db, {}).map((d) => [d.donation_id, d.pledge_id, d.goods_minor, d.restriction, d.refunded_on])).toEqual([
      ['d2', null, 0, '{"class":"unrestricted"}', null],
    ]);
  });

  it('lists by day received with a cursor, and counts refunds by the day refunded', () => {
    const db = given(
      gift('d3', '2028-03-01T00:00:00.000Z'),
      gift('d1', '2028-01-31T00:00:00.000Z'),
      gift('d2', '2028-01-31T00:00:00.000Z', { sustainerId: 's2' }),
      refund('d1', '2029-01-02T00:00:00.000Z'),
    );
    expect(donationRows(db, { page: { limit: 2 } }).map((d) => d.donation_id)).toEqual(['d1', 'd2']);
    expect(donationRows(db, { page: { after: 'd2', limit: 2 } }).map((d) => d.donation_id)).toEqual(['d3']);
    // The cursor is looked up within the reader's own filter: another sustainer's id moves nothing.
    expect(donationRows(db, { sustainerId: 's1', page: { after: 'd2', limit: 5 } })).toEqual([]);
    expect(donationRows(db, { from: '2028-02-01', to: '2029-01-01' }).map((d) => d.donation_id)).toEqual(['d3']);
    expect(raisedRows(db, '2028-01-01', '2029-01-01').map((r) => r.received)).toEqual([2_500, 2_500, 2_500]);
    expect(raisedRows(db, '2029-01-01', '2030-01-01')).toEqual([{ fund_id: 'f1', day: '2029-01-02', currency: 'USD', received: 0, refunded: 2_500 }]);
  });

  it('replayed over its own rows (a data directory from before it had its own name), ends with the same rows', () => {
    const history = [gift('d1', '2028-01-31T00:00:00.000Z'), refund('d1', '2028-02-03T00:00:00.000Z'), gift('d2', '2028-02-01T00:00:00.000Z')];
    const once = donationRows(given(...history), {});
    expect(donationRows(given(...history, ...history), {})).toEqual(once);
  });
});
