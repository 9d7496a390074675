import { EventCatalogue } from '../../event-store/event-catalogue';
import { fundDecider, storedInstant } from './fund/fund.decider';
import { FUNDS_EVENTS } from './funds.events';
import { movementDecider } from './movement/movement.decider';

const catalogue = new EventCatalogue(FUNDS_EVENTS);
const now = '2026-05-01T10:00:00.000Z';
const fundId = '01900000-0000-7000-8000-000000000001';
const movementId = '01900000-0000-7000-8000-000000000002';
const fund = { fundId, code: 'general', currency: 'USD', status: 'open' as const, restriction: { class: 'unrestricted' as const } };
const problemsOf = (events: readonly { type: string; data: unknown }[]) =>
  events.flatMap((e) => catalogue.problems({ type: e.type, schemaVersion: 1, data: e.data }).map((p) => p.field));

describe('funds event catalogue', () => {
  it('accepts what the deciders write', () => {
    const opened = fundDecider.decide(
      { type: 'OpenFund', fundId, code: 'general', name: 'General', currency: 'USD', restriction: { class: 'unrestricted' }, now },
      fundDecider.initialState(),
    );
    const income = movementDecider.decide(
      { type: 'RecordIncome', movementId, fund, source: 'Community Foundation', category: 'grant', amountMinor: 100, currency: 'USD', effectiveAt: now, by: 'token:a', now },
      movementDecider.initialState(),
    );
    const state = opened.reduce(fundDecider.evolve, fundDecider.initialState());
    // Other modules post into funds with keys that are not movement ids, and with days.
    const entry = fundDecider.decide({ type: 'PostEntry', movementId: `${movementId}-reversal`, deltaMinor: 100, effectiveAt: '2026-04-30' }, state);
    expect(problemsOf([...opened, ...income, ...entry])).toEqual([]);
    expect(entry[0].data).toMatchObject({ effectiveAt: '2026-04-30T00:00:00.000Z' });
  });

  it('refuses an account address with surrounding spaces, a date out of range and unknown fields', () => {
    const income = movementDecider.decide(
      { type: 'RecordIncome', movementId, fund, source: ' Acme', category: 'grant', amountMinor: 100, currency: 'USD', effectiveAt: now, by: 'token:a', now },
      movementDecider.initialState(),
    );
    expect(problemsOf(income)).toEqual(expect.arrayContaining(['data.source', 'data.postings.0.from']));
    const late = { type: 'FundEntryPosted', data: { fundId, movementId, deltaMinor: 5, effectiveAt: storedInstant('9999-12-31') } };
    expect(problemsOf([late])).toEqual(['data.effectiveAt']);
    expect(problemsOf([{ type: 'FundClosed', data: { fundId, reason: 'merged', closedAt: now, extra: 1 } }])).toEqual(['data.extra']);
    expect(problemsOf([{ type: 'FundEntryPosted', data: { fundId, movementId, deltaMinor: 0, effectiveAt: now } }])).toEqual(['data.deltaMinor']);
  });

  it('stores every ISO form of a business date as one UTC instant, and leaves anything else for the catalogue to refuse', () => {
    expect(storedInstant('2026-03-01')).toBe('2026-03-01T00:00:00.000Z');
    expect(storedInstant('2026-03-01T10:00:00+02:00')).toBe('2026-03-01T08:00:00.000Z');
    expect(storedInstant('2026-03-01T10:00Z')).toBe('2026-03-01T10:00:00.000Z');
    expect(storedInstant('March 1')).toBe('March 1');
    expect(storedInstant('2026-02-30')).toBe('2026-02-30');
  });
});
