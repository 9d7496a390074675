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
