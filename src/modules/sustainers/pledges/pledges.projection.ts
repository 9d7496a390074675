import type { RecordedEvent } from '../../../event-store/envelope';
import { Projection, sql } from '../../../projections/projection';
import { PledgeEvent, pledgeDecider } from '../pledge/pledge.decider';
import { findPledgeState } from './pledges.queries';

/** Pledges as a read model: each pledge's state, folded by the pledge decider's own evolve. */
export const pledgesProjection: Projection = {
  name: 'pledges',
  version: 1,
  tables: ['pledges'],
  setup(db) {
    db.exec(`CREATE TABLE IF NOT EXISTS pledges (
        pledge_id TEXT PRIMARY KEY, sustainer_id TEXT NOT NULL, fund_id TEXT NOT NULL, status TEXT NOT NULL, state TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS pledges_by_sustainer ON pledges (sustainer_id, pledge_id);
      CREATE INDEX IF NOT EXISTS pledges_by_fund ON pledges (fund_id);`);
  },
  apply(db, event: RecordedEvent) {
    const e = event as unknown as PledgeEvent | { type: 'other' };
    switch (e.type) {
      case 'PledgeMade':
      case 'PledgeAmended':
      case 'PledgePaused':
      case 'PledgeResumed':
      case 'PledgeCancelled':
      case 'PledgeWrittenOff': {
        // One truth about what the events mean: the decider's evolve, not a second reading of them here.
        const before = findPledgeState(db, e.data.pledgeId) ?? pledgeDecider.initialState();
        const after = pledgeDecider.evolve(before, e);
        if (after.status === 'none') return;
        sql(
          db,
          `INSERT INTO pledges (pledge_id, sustainer_id, fund_id, status, state) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (pledge_id) DO UPDATE SET status = excluded.status, state = excluded.state`,
        ).run(after.made.pledgeId, after.made.sustainerId, after.made.fundId, after.status, JSON.stringify(after));
        return;
      }
      default:
        return;
    }
  },
};
