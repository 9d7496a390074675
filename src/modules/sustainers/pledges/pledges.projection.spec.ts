import Database from 'better-sqlite3';
import type { RecordedEvent } from '../../../event-store/envelope';
import type { FundFacts } from '../../funds/funds.domain';
import { PledgeCommand, PledgeEvent, pledgeDecider } from '../pledge/pledge.decider';
import type { SustainerState } from '../sustainer/sustainer.decider';
import { pledgesProjection } from './pledges.projection';
import { findPledgeState, pledgeStatesOf } from './pledges.queries';

const sustainer: SustainerState = { status: 'active', sustainerId: 's1', anonymous: false };
const water: FundFacts = { fundId: 'f1', code: 'water', currency: 'USD', status: 'open', restriction: { class: 'unrestricted' } };
const make = (pledgeId: string, sustainerId = 's1'): PledgeCommand => ({
  type: 'MakePledge', pledgeId, sustainer: { ...sustainer, sustainerId }, sustainerId, fund: water, amountMinor: 2_500, currency: 'USD',
  interval: 'monthly', startDate: '2028-01-31', by: 'steward', now: '2028-01-10T10:00:00.000Z',
});

/** The events the decider itself decides, so the rows are those of a real history. */
function history(...commands: PledgeCommand[]): PledgeEvent[] {
  const events: PledgeEvent[] = [];
  let state = pledgeDecider.initialState();
  for (const command of commands) {
    const decided = pledgeDecider.decide(command, state);
    state = decided.reduce(pledgeDecider.evolve, state);
    events.push(...decided);
  }
  return events;
}

function given(...events: Array<{ type: string; data: unknown }>): Database.Database {
  const db = new Database(':memory:');
  pledgesProjection.setup(db);
  for (const event of events) pledgesProjection.apply(db, event as unknown as RecordedEvent);
  return db;
}

describe('pledges projection', () => {
  it('keeps each pledge folded by the decider\'s evolve', () => {
    const events = history(make('p1'), { type: 'PausePledge', sustainer, from: '2028-03-01', reason: 'travelling', by: 'steward' });
    const db = given(...events);
    expect(findPledgeState(db, 'p1')).toEqual(events.reduce(pledgeDecider.evolve, pledgeDecider.initialState()));
    expect(db.prepare('SELECT pledge_id, sustainer_id, fund_id, status FROM pledges').all()).toEqual([
      { pledge_id: 'p1', sustainer_id: 's1', fund_id: 'f1', status: 'paused' },
    ]);
  });

  it('lists a sustainer\'s pledges by id, page by page, and ignores gifts and other events', () => {
    const db = given(
      ...history(make('p2')),
      ...history(make('p1')),
      ...history(make('p9', 's2')),
      { type: 'PledgeGiftReceived', data: { pledgeId: 'p1', donationId: 'd1', amountMinor: 2_500, receivedOn: '2028-01-31' } },
      { type: 'SustainerRegistered', data: { sustainerId: 's1' } },
    );
    const ids = (filter: Parameters<typeof pledgeStatesOf>[1]) => pledgeStatesOf(db, filter).map((s) => (s.status === 'none' ? null : s.made.pledgeId));
    expect(ids({ sustainerId: 's1' })).toEqual(['p1', 'p2']);
    expect(ids({ sustainerId: 's1', limit: 1 })).toEqual(['p1']);
    expect(ids({ sustainerId: 's1', after: 'p1' })).toEqual(['p2']);
    expect(ids({ fundId: 'f1' })).toEqual(['p1', 'p2', 'p9']);
    expect(findPledgeState(db, 'p3')).toBeUndefined();
  });

  it('replayed over its own rows, ends with the same rows (PledgeMade starts the fold again)', () => {
    const events = history(make('p1'), { type: 'CancelPledge', sustainer, from: '2028-03-01', reason: 'moved away', by: 'steward' });
    const rows = (db: Database.Database) => db.prepare('SELECT * FROM pledges').all();
    expect(rows(given(...events, ...events))).toEqual(rows(given(...events)));
  });
});
