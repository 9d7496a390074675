import type { RecordedEvent } from '../../../event-store/envelope';
import { Projection, sql } from '../../../projections/projection';
import type { LabourExchangeEvent } from '../labour/labour-exchange.decider';

/**
 * Labour-hour exchanges proposed and confirmed between cooperatives. The hours themselves are
 * postings, so balances come from the ledger's balances; limits live with the cooperatives.
 */
export const labourExchangesProjection: Projection = {
  name: 'lending-labour-exchanges',
  version: 1,
  tables: ['labour_exchanges'],
  setup(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS labour_exchanges (
        exchange_id TEXT PRIMARY KEY, position INTEGER NOT NULL, worker_id TEXT NOT NULL, receiver_id TEXT NOT NULL, minutes INTEGER NOT NULL,
        worked_on TEXT NOT NULL, description TEXT NOT NULL, proposed_for TEXT NOT NULL, status TEXT NOT NULL, confirmed_at TEXT);
    `);
  },
  apply(db, event: RecordedEvent) {
    const l = event as unknown as LabourExchangeEvent;
    switch (l.type) {
      case 'LabourHoursProposed': {
        const d = l.data;
        sql(db, `INSERT INTO labour_exchanges (exchange_id, position, worker_id, receiver_id, minutes, worked_on, description, proposed_for, status)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'proposed')`).run(d.exchangeId, event.globalPosition, d.workerId, d.receiverId, d.minutes, d.workedOn, d.description, d.proposedFor);
        return;
      }
      case 'LabourHoursExchanged':
        sql(db, "UPDATE labour_exchanges SET status = 'confirmed', confirmed_at = ? WHERE exchange_id = ?").run(l.data.confirmedAt, l.data.exchangeId);
        return;
    }
  },
};
