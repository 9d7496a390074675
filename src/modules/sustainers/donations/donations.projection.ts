import type { RecordedEvent } from '../../../event-store/envelope';
import { Projection, sql } from '../../../projections/projection';
import type { MovementEvent, MovementRequestedData } from '../../funds/funds.domain';

/**
 * Donations as a read model: a donation is a movement of kind `donation` (requested and posted
 * at once), its refund that movement's reversal, dated by the day it was refunded.
 */
export const donationsProjection: Projection = {
  name: 'donations',
  version: 1,
  tables: ['donations'],
  setup(db) {
    db.exec(`CREATE TABLE IF NOT EXISTS donations (
        donation_id TEXT PRIMARY KEY, sustainer_id TEXT NOT NULL, pledge_id TEXT, fund_id TEXT NOT NULL,
        amount_minor INTEGER NOT NULL, currency TEXT NOT NULL, method TEXT NOT NULL, goods_minor INTEGER NOT NULL,
        received_on TEXT NOT NULL, restriction TEXT NOT NULL, refunded_on TEXT, refund_reason TEXT);`);
  },
  queryIndexes: [
    { name: 'donations_by_sustainer', on: 'donations (sustainer_id, received_on)' },
    { name: 'donations_by_pledge', on: 'donations (pledge_id)' },
    { name: 'donations_by_fund', on: 'donations (fund_id, received_on)' },
  ],
  apply(db, event: RecordedEvent) {
    const e = event as unknown as MovementEvent;
    switch (e.type) {
      case 'MovementRequested': {
        if (e.data.kind !== 'donation') return;
        const d = e.data as MovementRequestedData & Required<Pick<MovementRequestedData, 'sustainerId' | 'fundId' | 'method'>>;
        // An upsert, not an insert: a data directory from before this read model had its own name
        // already holds the donations table, which the runner does not drop for a projection it
        // has never seen; replaying the log over those rows then rewrites each one in order.
        sql(
          db,
          `INSERT INTO donations (donation_id, sustainer_id, pledge_id, fund_id, amount_minor, currency, method, goods_minor, received_on, restriction)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (donation_id) DO UPDATE SET sustainer_id = excluded.sustainer_id, pledge_id = excluded.pledge_id, fund_id = excluded.fund_id,
             amount_minor = excluded.amount_minor, currency = excluded.currency, method = excluded.method, goods_minor = excluded.goods_minor,
             received_on = excluded.received_on, restriction = excluded.restriction, refunded_on = NULL, refund_reason = NULL`,
        ).run(
          d.movementId, d.sustainerId, d.pledgeId ?? null, d.fundId, d.amountMinor, d.currency, d.method, d.goodsServicesMinor ?? 0,
          d.effectiveAt.slice(0, 10), JSON.stringify(d.restriction ?? { class: 'unrestricted' }),
        );
        return;
      }
      case 'MovementReversed':
        if (e.data.kind !== 'donation') return;
        sql(db, 'UPDATE donations SET refunded_on = ?, refund_reason = ? WHERE donation_id = ?').run(e.data.effectiveAt.slice(0, 10), e.data.reason, e.data.movementId);
        return;
      default:
        return;
    }
  },
};
