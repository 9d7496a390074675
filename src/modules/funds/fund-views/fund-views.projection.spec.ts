import Database from 'better-sqlite3';
import type { RecordedEvent } from '../../../event-store/envelope';
import { FundEvent, Restriction, fundDecider } from '../fund/fund.decider';
import { fundsProjection } from './fund-views.projection';
import { findFund, listFunds } from './fund-views.queries';

const NOW = '2026-03-01T10:00:00.000Z';
let position = 0;

function recorded(event: FundEvent): RecordedEvent {
  position += 1;
  return {
    ...event,
    eventId: `e${position}`,
    schemaVersion: 1,
    streamId: 'fund-test',
    streamVersion: position,
    recordedAt: NOW,
    effectiveAt: NOW,
    metadata: { actorId: 'steward', actorRole: 'steward', correlationId: 'c', causationId: 'c' },
    prevHash: '',
    globalPosition: position,
    hash: '',
  };
}

/** A fund opened by the decider itself, so the rows follow the events the service appends. */
function opened(fundId: string, code: string, restriction: Restriction): FundEvent[] {
  return fundDecider.decide(
    { type: 'OpenFund', fundId, code, name: `Fund ${code}`, currency: 'USD', restriction, description: undefined, now: NOW },
    fundDecider.initialState(),
  );
}

function project(events: readonly FundEvent[]): Database.Database {
  const db = new Database(':memory:');
  fundsProjection.setup(db);
  for (const event of events) fundsProjection.apply(db, recorded(event));
  return db;
}

describe('the funds read model', () => {
  it('keeps one row per opened fund, with its restriction', () => {
    const db = project([
      ...opened('f1', 'general', { class: 'unrestricted' }),
      ...opened('f2', 'water', { class: 'donor-restricted', purpose: 'wells', restrictedUntil: '2027-12-31' }),
    ]);
    expect(db.prepare('SELECT fund_id, code, status, restriction_class, purpose, restricted_until FROM funds ORDER BY code').all()).toEqual([
      { fund_id: 'f1', code: 'general', status: 'open', restriction_class: 'unrestricted', purpose: null, restricted_until: null },
      { fund_id: 'f2', code: 'water', status: 'open', restriction_class: 'donor-restricted', purpose: 'wells', restricted_until: '2027-12-31' },
    ]);
    expect(findFund(db, 'f2')).toEqual({
      fundId: 'f2',
      code: 'water',
      name: 'Fund water',
      currency: 'USD',
      restriction: { class: 'donor-restricted', purpose: 'wells', restrictedUntil: '2027-12-31' },
      status: 'open',
      openedAt: NOW,
    });
  });

  it('marks a closed fund closed and keeps it listed', () => {
    const db = project([
      ...opened('f1', 'general', { class: 'unrestricted' }),
      { type: 'FundClosed', data: { fundId: 'f1', reason: 'done', closedAt: NOW } },
    ]);
    expect(findFund(db, 'f1')?.status).toBe('closed');
    expect(listFunds(db, { limit: 10 }).map((f) => f.code)).toEqual(['general']);
  });

  it('pages funds by code after the given one', () => {
    const db = project(['c', 'a', 'd', 'b'].flatMap((code, i) => opened(`f${i}`, `${code}${code}`, { class: 'unrestricted' })));
    expect(listFunds(db, { limit: 2 }).map((f) => f.code)).toEqual(['aa', 'bb']);
    expect(listFunds(db, { after: 'bb', limit: 2 }).map((f) => f.code)).toEqual(['cc', 'dd']);
  });

  it('ignores the events of holds and entries', () => {
    const db = project([
      ...opened('f1', 'general', { class: 'unrestricted' }),
      { type: 'FundHoldPlaced', data: { fundId: 'f1', movementId: 'm1', amountMinor: 5 } },
    ]);
    expect(db.prepare('SELECT COUNT(*) AS n FROM funds').get()).toEqual({ n: 1 });
  });
});
