import { spec } from '../../../shared/testing/decider-specification';
import { ResourceCommand, resourceDecider } from './resource.decider';

const resource = spec(resourceDecider);
const now = (day: string) => `${day}T09:00:00.000Z`;

const register: ResourceCommand = {
  type: 'RegisterResource', resourceId: 'r1', ownerId: 'owner', kind: 'equipment', description: 'drill', condition: 'good', status: 'available', now: now('2027-03-01'),
};
const reserve = (loanId: string, borrowerId: string, startOn: string, dueOn: string): ResourceCommand => ({
  type: 'ReserveThing', loanId, borrowerId, startOn, dueOn, by: 'x', now: now('2027-03-01'),
});

describe('resource decider', () => {
  it('refuses overlapping bookings, inclusive of the end days, and allows adjacent ones after them', () => {
    const booked = resource.history([register, reserve('a', 'b1', '2027-03-02', '2027-03-05')]);
    resource.given(booked).when(reserve('b', 'b2', '2027-03-05', '2027-03-07')).thenThrows('LOAN.RESERVATION_OVERLAPS');
    resource.given(booked).when(reserve('b', 'b2', '2027-03-01', '2027-03-02')).thenThrows('LOAN.RESERVATION_OVERLAPS');
    expect(resource.given(booked).when(reserve('b', 'b2', '2027-03-06', '2027-03-07')).thenAccepts()).toHaveLength(1);
    resource.given(booked).when(reserve('c', 'b2', '2027-03-08', '2027-03-07')).thenThrows('LOAN.DUE_BEFORE_START');
  });

  it('a renewal ends the loan it extends and starts a linked one at the old due date; returning twice is refused', () => {
    const out = resource.history([register, reserve('a', 'b1', '2027-03-01', '2027-03-05'), { type: 'CheckOutThing', loanId: 'a', by: 'o', now: now('2027-03-01') }]);
    const renewed = resource.history([{ type: 'RenewThing', loanId: 'a', renewalId: 'a2', dueOn: '2027-03-09', by: 'b', now: now('2027-03-04') }], out);
    const outState = resource.state(out);
    const renewedState = resource.state(renewed);
    expect(outState.status !== 'none' && outState.loans.get('a')?.state).toBe('out');
    expect(renewedState.status !== 'none' && [renewedState.loans.get('a')?.state, renewedState.loans.get('a2')]).toEqual([
      'renewed',
      { loanId: 'a2', borrowerId: 'b1', startOn: '2027-03-05', dueOn: '2027-03-09', state: 'out', renewalOf: 'a', checkedOutOn: '2027-03-04' },
    ]);
    const returnA2: ResourceCommand = { type: 'ReturnThing', loanId: 'a2', condition: 'ok', by: 'o', now: now('2027-03-10') };
    const [returned] = resource.given(renewed).when(returnA2).thenAccepts();
    expect(returned).toMatchObject({ type: 'ThingReturned', data: { late: true, on: '2027-03-10' } });
    resource.given([...renewed, returned]).when(returnA2).thenThrows('LOAN.ALREADY_RETURNED', 409);
  });

  it('records check-outs, renewals and returns after the fact, never in the future nor before what they depend on', () => {
    const reserved = resource.history([register, reserve('a', 'b1', '2027-03-01', '2027-03-05')]);
    const checkOut = (on: string, today = '2027-03-04') => resource.given(reserved).when({ type: 'CheckOutThing', loanId: 'a', on, by: 'o', now: now(today) });
    checkOut('2027-03-05').thenThrows('LOAN.DATE_IN_FUTURE');
    checkOut('2027-02-28').thenThrows('LOAN.NOT_STARTED');
    checkOut('2027-03-06', '2027-03-08').thenThrows('LOAN.RESERVATION_LAPSED');
    const [out] = checkOut('2027-03-02').thenAccepts();
    expect(out).toMatchObject({ type: 'ThingCheckedOut', data: { on: '2027-03-02' } });
    const checkedOut = [...reserved, out];
    const returnOn = (on: string) => resource.given(checkedOut).when({ type: 'ReturnThing', loanId: 'a', condition: 'ok', on, by: 'o', now: now('2027-03-10') });
    returnOn('2027-03-01').thenThrows('LOAN.BEFORE_CHECKOUT');
    returnOn('2027-03-11').thenThrows('LOAN.DATE_IN_FUTURE');
    expect(returnOn('2027-03-05').thenAccepts()[0]).toMatchObject({ type: 'ThingReturned', data: { on: '2027-03-05', late: false } });
    expect(returnOn('2027-03-06').thenAccepts()[0]).toMatchObject({ data: { late: true } });
    const renew = (on: string) => resource.given(checkedOut).when({ type: 'RenewThing', loanId: 'a', renewalId: 'a2', dueOn: '2027-03-09', on, by: 'b', now: now('2027-03-10') });
    renew('2027-03-01').thenThrows('LOAN.BEFORE_CHECKOUT');
    expect(renew('2027-03-04').thenAccepts()[0]).toMatchObject({ type: 'ThingRenewed', data: { on: '2027-03-04' } });
  });
});
