import { balancesProjection } from '../../ledger/index';
import { cooperativesProjection } from '../cooperatives/cooperatives.projection';
import { LABOUR_ASSET } from '../labour/labour-exchange.decider';
import { projectionSpec } from '../shared/feed-projection.spec-helper';
import { labourExchangesProjection } from './labour-exchanges.projection';
import { labourBalances, listLabourExchanges } from './labour-exchanges.queries';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const X = '44444444-4444-4444-8444-444444444444';
const registered = (cooperativeId: string, name: string) => ({
  type: 'CooperativeRegistered',
  data: { cooperativeId, name, sector: 'farm', contact: 'c', registeredAt: '2026-03-01T12:00:00.000Z' },
});
const proposed = { exchangeId: X, workerId: A, receiverId: B, minutes: 90, workedOn: '2026-03-03', description: 'harvest', proposedBy: 'cooperative:a', proposedFor: A, proposedAt: '2026-03-04T09:00:00.000Z' };
const exchanged = {
  exchangeId: X, movementId: '55555555-5555-4555-8555-555555555555', kind: 'labour-exchange', workerId: A, receiverId: B, minutes: 90,
  effectiveAt: '2026-03-03T00:00:00.000Z', confirmedBy: 'cooperative:a', confirmedFor: B,
  postings: [{ from: `coop:${B}`, to: `coop:${A}`, amountMinor: 90, asset: LABOUR_ASSET }], confirmedAt: '2026-03-05T09:00:00.000Z',
};

describe('labour exchanges projection', () => {
  it('records a proposal, then its confirmation', () => {
    const { feed, rows } = projectionSpec(labourExchangesProjection);
    feed({ type: 'LabourHoursProposed', data: proposed });
    expect(rows('SELECT exchange_id, worker_id, receiver_id, minutes, worked_on, proposed_for, status, confirmed_at FROM labour_exchanges')).toEqual([
      { exchange_id: X, worker_id: A, receiver_id: B, minutes: 90, worked_on: '2026-03-03', proposed_for: A, status: 'proposed', confirmed_at: null },
    ]);
    feed({ type: 'LabourHoursExchanged', data: exchanged });
    expect(rows('SELECT status, confirmed_at FROM labour_exchanges')).toEqual([{ status: 'confirmed', confirmed_at: '2026-03-05T09:00:00.000Z' }]);
  });

  it('lists exchanges worked by asOf, a cooperative on either side', () => {
    const { db, feed } = projectionSpec(labourExchangesProjection);
    feed({ type: 'LabourHoursProposed', data: proposed });
    expect(listLabourExchanges(db, { cooperativeId: B, asOf: '2026-03-03' })).toEqual([
      { exchangeId: X, workerId: A, receiverId: B, minutes: 90, workedOn: '2026-03-03', description: 'harvest', proposedBy: A, status: 'proposed' },
    ]);
    expect(listLabourExchanges(db, { asOf: '2026-03-02' })).toEqual([]);
  });

  it('balances from the postings, flagged past the limit set on the cooperative', () => {
    const { db, feed } = projectionSpec(cooperativesProjection, balancesProjection, labourExchangesProjection);
    feed(registered(A, 'Alpha'), registered(B, 'Beta'), { type: 'CooperativeLabourLimitSet', data: { cooperativeId: B, limitMinutes: 60, setAt: '2026-03-01T12:00:00.000Z' } });
    feed({ type: 'LabourHoursProposed', data: proposed }, { type: 'LabourHoursExchanged', data: exchanged });
    expect(labourBalances(db, { asOf: '2026-03-03' })).toEqual([
      { cooperativeId: A, name: 'Alpha', balanceMinutes: 90, flagged: false },
      { cooperativeId: B, name: 'Beta', balanceMinutes: -90, limitMinutes: 60, flagged: true },
    ]);
    expect(labourBalances(db, { cooperativeId: B, asOf: '2026-03-02' })).toEqual([{ cooperativeId: B, name: 'Beta', balanceMinutes: 0, limitMinutes: 60, flagged: false }]);
  });
});
