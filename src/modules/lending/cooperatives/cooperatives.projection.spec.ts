import { projectionSpec } from '../shared/feed-projection.spec-helper';
import { cooperativesProjection } from './cooperatives.projection';
import { findCooperative, listCooperatives } from './cooperatives.queries';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const registered = (cooperativeId: string, name: string) => ({
  type: 'CooperativeRegistered',
  data: { cooperativeId, name, sector: 'bakery', contact: 'hello@example.org', registeredAt: '2026-03-01T12:00:00.000Z' },
});

describe('cooperatives projection', () => {
  it('keeps one row per registered cooperative with its labour limit', () => {
    const { feed, rows } = projectionSpec(cooperativesProjection);
    feed(registered(A, 'Oven'), registered(B, 'Bakery'), { type: 'CooperativeLabourLimitSet', data: { cooperativeId: A, limitMinutes: 600, setAt: '2026-03-02T12:00:00.000Z' } });
    expect(rows('SELECT cooperative_id, name, sector, position, labour_limit FROM cooperatives ORDER BY position')).toEqual([
      { cooperative_id: A, name: 'Oven', sector: 'bakery', position: 1, labour_limit: 600 },
      { cooperative_id: B, name: 'Bakery', sector: 'bakery', position: 2, labour_limit: null },
    ]);
  });

  it('lists by name with a name as cursor, and finds one', () => {
    const { db, feed } = projectionSpec(cooperativesProjection);
    feed(registered(A, 'Oven'), registered(B, 'Bakery'));
    expect(listCooperatives(db, { limit: 1 })).toEqual({ items: [expect.objectContaining({ cooperativeId: B, name: 'Bakery' })], next: 'Bakery' });
    expect(listCooperatives(db, { limit: 1, after: 'Bakery' })).toEqual({ items: [expect.objectContaining({ cooperativeId: A })] });
    expect(findCooperative(db, A)).toEqual({ cooperativeId: A, name: 'Oven', sector: 'bakery', contact: 'hello@example.org', registeredAt: '2026-03-01T12:00:00.000Z' });
    expect(findCooperative(db, '33333333-3333-4333-8333-333333333333')).toBeUndefined();
  });

  it('ignores events of other read models', () => {
    const { feed, rows } = projectionSpec(cooperativesProjection);
    feed({ type: 'LabourHoursProposed', data: { exchangeId: A } }, { type: 'MoneyLoanRejected', data: { loanId: A } });
    expect(rows('SELECT * FROM cooperatives')).toEqual([]);
  });
});
