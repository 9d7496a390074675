import { spec } from '../../../shared/testing/decider-specification';
import { PropertyCommand, leaseEnd, propertyDecider } from './property.decider';

const property = spec(propertyDecider);
const now = '2026-09-01T10:00:00.000Z';
const register: PropertyCommand = { type: 'RegisterProperty', propertyId: 'p1', address: '12 Elm', parcelId: 'APN-1', acquiredOn: '2024-05-01', status: 'held', now };
const registered = property.history([register]);
const lease = { leaseId: 'l1', householdId: 'hh-7f3a9c', startsOn: '2026-09-01', termYears: 99 };

describe('property decider', () => {
  it('registers once, not acquired in the future', () => {
    property.given([]).when(register).then([{ type: 'PropertyRegistered', data: { propertyId: 'p1', address: '12 Elm', parcelId: 'APN-1', acquiredOn: '2024-05-01', status: 'held', registeredAt: now } }]);
    property.given(registered).when(register).thenThrows('PROPERTY.ALREADY_EXISTS', 409);
    property.given([]).when({ ...register, acquiredOn: '2026-09-02' }).thenThrows('PROPERTY.ACQUIRED_IN_FUTURE');
  });

  it('records a status change as its own event, and refuses no-op changes and changes after sale', () => {
    property.given(registered).when({ type: 'ChangePropertyStatus', status: 'in-rehab', now }).then([
      { type: 'PropertyStatusChanged', data: { propertyId: 'p1', from: 'held', to: 'in-rehab', changedAt: now } },
    ]);
    property.given(registered).when({ type: 'ChangePropertyStatus', status: 'held', now }).thenThrows('PROPERTY.STATUS_UNCHANGED');
    const sold = property.history([{ type: 'ChangePropertyStatus', status: 'sold', now }], registered);
    property.given(sold).when({ type: 'ChangePropertyStatus', status: 'vacant', now }).thenThrows('PROPERTY.SOLD');
    property.given(sold).when({ type: 'RecordGroundLease', lease, now }).thenThrows('PROPERTY.SOLD');
  });

  it('records a ground lease for a pseudonymous household and marks the home leased', () => {
    const events = property.given(registered).when({ type: 'RecordGroundLease', lease, now }).thenMatches([
      { type: 'GroundLeaseRecorded' },
      { type: 'PropertyStatusChanged' },
    ]);
    property.given(registered).when({ type: 'RecordGroundLease', lease: { ...lease, householdId: 'Jane Doe' }, now }).thenThrows('LEASE.HOUSEHOLD_ID_INVALID');
    property.given(registered).when({ type: 'RecordGroundLease', lease: { ...lease, termYears: 0 }, now }).thenThrows('LEASE.TERM_INVALID');
    const leased = [...registered, ...events];
    property.given(leased).when({ type: 'RecordGroundLease', lease: { ...lease, leaseId: 'l2', startsOn: '2030-01-01' }, now }).thenThrows('LEASE.OVERLAPS');
    expect(leaseEnd(lease)).toBe('2125-09-01');
    property.given(leased).when({ type: 'RecordGroundLease', lease: { ...lease, leaseId: 'l2', startsOn: '2125-09-01' }, now }).thenAccepts();
  });
});
