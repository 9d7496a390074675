import { DomainError } from '../../../shared/domain-error';
import { PropertyCommand, PropertyEvent, leaseEnd, propertyDecider } from './property.decider';

const now = '2026-09-01T10:00:00.000Z';
const register: PropertyCommand = { type: 'RegisterProperty', propertyId: 'p1', address: '12 Elm', parcelId: 'APN-1', acquiredOn: '2024-05-01', status: 'held', now };
const given = (events: PropertyEvent[]) => events.reduce(propertyDecider.evolve, propertyDecider.initialState());
function codeOf(command: PropertyCommand, history: PropertyEvent[] = []): string | undefined {
  try {
    propertyDecider.decide(command, given(history));
  } catch (error) {
    return (error as DomainError).code;
  }
  return undefined;
}
const registered = propertyDecider.decide(register, given([]));
const lease = { leaseId: 'l1', householdId: 'hh-7f3a9c', startsOn: '2026-09-01', termYears: 99 };

describe('property decider', () => {
  it('registers once, not acquired in the future', () => {
    expect(registered).toEqual([{ type: 'PropertyRegistered', data: { propertyId: 'p1', address: '12 Elm', parcelId: 'APN-1', acquiredOn: '2024-05-01', status: 'held', registeredAt: now } }]);
    expect(codeOf(register, registered)).toBe('PROPERTY.ALREADY_EXISTS');
    expect(codeOf({ ...register, acquiredOn: '2026-09-02' })).toBe('PROPERTY.ACQUIRED_IN_FUTURE');
  });

  it('records a status change as its own event, and refuses no-op changes and changes after sale', () => {
    const changed = propertyDecider.decide({ type: 'ChangePropertyStatus', status: 'in-rehab', now }, given(registered));
    expect(changed).toEqual([{ type: 'PropertyStatusChanged', data: { propertyId: 'p1', from: 'held', to: 'in-rehab', changedAt: now } }]);
    expect(codeOf({ type: 'ChangePropertyStatus', status: 'held', now }, registered)).toBe('PROPERTY.STATUS_UNCHANGED');
    const sold = [...registered, ...propertyDecider.decide({ type: 'ChangePropertyStatus', status: 'sold', now }, given(registered))];
    expect(codeOf({ type: 'ChangePropertyStatus', status: 'vacant', now }, sold)).toBe('PROPERTY.SOLD');
    expect(codeOf({ type: 'RecordGroundLease', lease, now }, sold)).toBe('PROPERTY.SOLD');
  });

  it('records a ground lease for a pseudonymous household and marks the home leased', () => {
    const events = propertyDecider.decide({ type: 'RecordGroundLease', lease, now }, given(registered));
    expect(events.map((e) => e.type)).toEqual(['GroundLeaseRecorded', 'PropertyStatusChanged']);
    expect(codeOf({ type: 'RecordGroundLease', lease: { ...lease, householdId: 'Jane Doe' }, now }, registered)).toBe('LEASE.HOUSEHOLD_ID_INVALID');
    expect(codeOf({ type: 'RecordGroundLease', lease: { ...lease, termYears: 0 }, now }, registered)).toBe('LEASE.TERM_INVALID');
    const leased = [...registered, ...events];
    expect(codeOf({ type: 'RecordGroundLease', lease: { ...lease, leaseId: 'l2', startsOn: '2030-01-01' }, now }, leased)).toBe('LEASE.OVERLAPS');
    expect(leaseEnd(lease)).toBe('2125-09-01');
    expect(codeOf({ type: 'RecordGroundLease', lease: { ...lease, leaseId: 'l2', startsOn: '2125-09-01' }, now }, leased)).toBeUndefined();
  });
});
