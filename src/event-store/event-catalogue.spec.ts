import { newEventsOf } from '../shared/event-schema';
import { EventCatalogue, S } from './event-catalogue';

describe('EventCatalogue', () => {
  const catalogue = new EventCatalogue([
    { type: 'ThingHappened', schemaVersion: 1, data: S.object({ name: S.text(20), on: S.day, postings: S.postings }, ['postings']) },
  ]);

  it('accepts an event that keeps its schema', () => {
    expect(catalogue.problems({ type: 'ThingHappened', schemaVersion: 1, data: { name: 'Acme', on: '2026-03-01' } })).toEqual([]);
  });

  it.each([
    [{ name: ' Acme', on: '2026-03-01' }, 'data.name'],
    [{ name: 'Ac\ud800me', on: '2026-03-01' }, 'data.name'],
    [{ name: 'Acme', on: '9999-12-31' }, 'data.on'],
    [{ name: 'Acme', on: '1900-01-01' }, 'data.on'],
    [{ name: 'Acme', on: '2026-02-30' }, 'data.on'],
    [{ name: 'Acme', on: '2026-03-01', extra: 1 }, 'data.extra'],
    [{ name: 'Acme' }, 'data'],
    [{ name: 'Acme', on: '2026-03-01', postings: [{ from: 'vendor: Acme', to: 'fund:x', amountMinor: 1, asset: 'USD' }] }, 'data.postings.0.from'],
    [{ name: 'Acme', on: '2026-03-01', postings: [{ from: 'vendor:Acme', to: 'fund:x', amountMinor: 1.5, asset: 'USD' }] }, 'data.postings.0.amountMinor'],
  ])('refuses %j at %s', (data, field) => {
    expect(catalogue.problems({ type: 'ThingHappened', schemaVersion: 1, data }).map((p) => p.field)).toContain(field);
  });

  it('refuses an effectiveAt out of range or not in the stored form, an unknown type and a wrong version', () => {
    const base = { type: 'ThingHappened', schemaVersion: 1, data: { name: 'Acme', on: '2026-03-01' } };
    expect(catalogue.problems({ ...base, effectiveAt: '9999-12-31T00:00:00.000Z' })[0].field).toBe('effectiveAt');
    expect(catalogue.problems({ ...base, effectiveAt: '2026-03-01' })[0].field).toBe('effectiveAt');
    expect(catalogue.problems({ ...base, effectiveAt: '2026-03-01T00:00:00.000Z' })).toEqual([]);
    expect(catalogue.problems({ ...base, schemaVersion: 2 })[0].field).toBe('schemaVersion');
    expect(catalogue.problems({ ...base, type: 'Other' })[0].field).toBe('type');
    expect(() => catalogue.assertValid([{ ...base, type: 'Other' }])).toThrow(expect.objectContaining({ code: 'EVENT.INVALID', status: 422 }));
  });
});

describe('EventCatalogue upcasters', () => {
  // Version 1 wrote `installments`; version 2 spells it `instalments` and adds a default.
  const catalogue = new EventCatalogue([
    {
      type: 'PlanAgreed',
      schemaVersion: 2,
      data: S.object({ instalments: S.int(1, 100), note: S.text(20) }),
      upcasters: [{ from: 1, data: S.object({ installments: S.int(1, 100) }), upcast: (data: { installments: number }) => ({ instalments: data.installments, note: 'none' }) }],
    },
  ]);
  const old = { type: 'PlanAgreed', schemaVersion: 1, data: { installments: 4 } };

  it('answers an old event at the current version, leaving the recorded one as it was', () => {
    expect(catalogue.upcast(old)).toEqual({ type: 'PlanAgreed', schemaVersion: 2, data: { instalments: 4, note: 'none' } });
    expect(old.data).toEqual({ installments: 4 });
    const current = { type: 'PlanAgreed', schemaVersion: 2, data: { instalments: 2, note: 'x' } };
    expect(catalogue.upcast(current)).toBe(current);
  });

  it('checks a recorded old event against the schema it was written with; the write path only takes the current one', () => {
    expect(catalogue.problems(old, { recorded: true })).toEqual([]);
    expect(catalogue.problems({ ...old, data: { installments: 0 } }, { recorded: true }).map((p) => p.field)).toEqual(['data.installments']);
    expect(catalogue.problems(old).map((p) => p.field)).toContain('schemaVersion');
  });

  it('refuses a definition with a missing step', () => {
    expect(() => new EventCatalogue([{ type: 'X', schemaVersion: 3, data: S.object({}), upcasters: [{ from: 1, data: S.object({}), upcast: (d: never) => d }] }])).toThrow(/no upcaster from version 2/);
  });
});

describe('newEventsOf', () => {
  const toAppend = newEventsOf([{ type: 'ThingHappened', schemaVersion: 3, data: S.object({}) }]);

  it('stamps each event with its catalogue version and the business date when given', () => {
    expect(toAppend([{ type: 'ThingHappened', data: {} }], '2026-03-01T00:00:00.000Z')).toEqual([
      { type: 'ThingHappened', schemaVersion: 3, data: {}, effectiveAt: '2026-03-01T00:00:00.000Z' },
    ]);
    expect(toAppend([{ type: 'ThingHappened', data: {} }])).toEqual([{ type: 'ThingHappened', schemaVersion: 3, data: {} }]);
    expect(() => toAppend([{ type: 'Unlisted', data: {} }])).toThrow(/no catalogue entry/);
  });
});
