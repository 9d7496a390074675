import Database from 'better-sqlite3';
import type { RecordedEvent } from '../../../event-store/envelope';
import { PropertyCommand, PropertyEvent, PropertyState, propertyDecider } from '../property/property.decider';
import { propertiesProjection } from './properties.projection';
import { findProperty, listProperties } from './properties.queries';

/** Feeds events to the projection on an in-memory database, positions counting from 1, each recorded at its `now`. */
function projected(events: readonly { type: string; data: unknown; recordedAt: string }[]): Database.Database {
  const db = new Database(':memory:');
  propertiesProjection.setup(db);
  events.forEach((e, i) => propertiesProjection.apply(db, { ...e, globalPosition: i + 1 } as unknown as RecordedEvent));
  return db;
}

/** The events the property decider decides for `commands`, in order, each stamped with its command's `now`. */
function decided(commands: readonly PropertyCommand[]) {
  let state: PropertyState = propertyDecider.initialState();
  return commands.flatMap((command) => {
    const events: PropertyEvent[] = propertyDecider.decide(command, state);
    state = events.reduce(propertyDecider.evolve, state);
    return events.map((e) => ({ ...e, recordedAt: command.now }));
  });
}

const register = (propertyId: string, parcelId: string, now = '2026-01-10T09:00:00.000Z'): PropertyCommand => ({
  type: 'RegisterProperty',
  propertyId,
  address: `${parcelId} Elm Street`,
  parcelId,
  acquiredOn: '2025-12-01',
  status: 'held',
  now,
});

describe('properties projection', () => {
  it('keeps a property with its lease, its status history in order and its resale credits', () => {
    const db = projected([
      ...decided([
        register('p1', 'APN-2'),
        { type: 'ChangePropertyStatus', status: 'in-rehab', reason: 'roof', now: '2026-02-01T09:00:00.000Z' },
        { type: 'RecordGroundLease', lease: { leaseId: 'l1', householdId: 'hh-7f3a9c', startsOn: '2026-03-01', termYears: 99 }, now: '2026-03-01T09:00:00.000Z' },
      ]),
      { type: 'ResaleCreditRecorded', data: { improvementId: 'i1', propertyId: 'p1', amountMinor: 1500, description: 'roof' }, recordedAt: '2026-04-01T09:00:00.000Z' },
      { type: 'ResaleCreditRecorded', data: { improvementId: 'i2', propertyId: 'p1', amountMinor: 500, description: 'boiler' }, recordedAt: '2026-05-01T09:00:00.000Z' },
    ]);
    expect(findProperty(db, 'p1')).toEqual({
      propertyId: 'p1',
      address: 'APN-2 Elm Street',
      parcelId: 'APN-2',
      acquiredOn: '2025-12-01',
      status: 'leased',
      registeredAt: '2026-01-10T09:00:00.000Z',
      groundLease: { leaseId: 'l1', householdId: 'hh-7f3a9c', startsOn: '2026-03-01', termYears: 99 },
      resaleCreditMinor: 2000,
      statusHistory: [
        { from: 'held', to: 'in-rehab', reason: 'roof', changedAt: '2026-02-01T09:00:00.000Z' },
        { from: 'in-rehab', to: 'leased', reason: 'ground lease recorded', changedAt: '2026-03-01T09:00:00.000Z' },
      ],
    });
    expect(findProperty(db, 'p2')).toBeUndefined();
  });

  it('lists by parcel id a page at a time, filtered by status, and ignores events that are not its own', () => {
    const db = projected([
      ...decided([register('p3', 'APN-3')]),
      ...decided([register('p1', 'APN-1'), { type: 'ChangePropertyStatus', status: 'vacant', now: '2026-02-01T09:00:00.000Z' }]),
      { type: 'FundOpened', data: { fundId: 'f1' }, recordedAt: '2026-02-02T09:00:00.000Z' },
      ...decided([register('p2', 'APN-2')]),
    ]);
    expect(listProperties(db, { limit: 2 }).map((p) => p.parcelId)).toEqual(['APN-1', 'APN-2']);
    expect(listProperties(db, { after: 'APN-2', limit: 2 }).map((p) => p.parcelId)).toEqual(['APN-3']);
    expect(listProperties(db, { status: 'held', limit: 10 }).map((p) => p.propertyId)).toEqual(['p2', 'p3']);
    expect(listProperties(db, { status: 'vacant', limit: 10 })).toEqual([expect.objectContaining({ propertyId: 'p1', resaleCreditMinor: 0 })]);
  });
});
