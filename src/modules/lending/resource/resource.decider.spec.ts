import { ResourceCommand, ResourceState, resourceDecider } from './resource.decider';

const now = (day: string) => `${day}T09:00:00.000Z`;

function fold(commands: ResourceCommand[]): ResourceState {
  let state = resourceDecider.initialState();
  for (const c of commands) state = resourceDecider.decide(c, state).reduce(resourceDecider.evolve, state);
  return state;
}

const register: ResourceCommand = {
  type: 'RegisterResource', resourceId: 'r1', ownerId: 'owner', kind: 'equipment', description: 'drill', condition: 'good', status: 'available', now: now('2027-03-01'),
};
const reserve = (loanId: string, borrowerId: string, startOn: string, dueOn: string): ResourceCommand => ({
  type: 'ReserveThing', loanId, borrowerId, startOn, dueOn, by: 'x', now: now('2027-03-01'),
});
const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as { code: string }).code;
  }
  return 'none';
};

describe('resource decider', () => {
  it('refuses overlapping bookings, inclusive of the end days, and allows adjacent ones after them', () => {
    const state = fold([register, reserve('a', 'b1', '2027-03-02', '2027-03-05')]);
    expect(code(() => resourceDecider.decide(reserve('b', 'b2', '2027-03-05', '2027-03-07'), state))).toBe('LOAN.RESERVATION_OVERLAPS');
    expect(code(() => resourceDecider.decide(reserve('b', 'b2', '2027-03-01', '2027-03-02'), state))).toBe('LOAN.RESERVATION_OVERLAPS');
    expect(resourceDecider.decide(reserve('b', 'b2', '2027-03-06', '2027-03-07'), state)).toHaveLength(1);
    expect(code(() => resourceDecider.decide(reserve('c', 'b2', '2027-03-08', '2027-03-07'), state))).toBe('LOAN.DUE_BEFORE_START');
  });

  it('a renewal ends the loan it extends and starts a linked one at the old due date; returning twice is refused', () => {
    const out = fold([register, reserve('a', 'b1', '2027-03-01', '2027-03-05'), { type: 'CheckOutThing', loanId: 'a', by: 'o', now: now('2027-03-01') }]);
    const renewed = fold([
      register,
      reserve('a', 'b1', '2027-03-01', '2027-03-05'),
      { type: 'CheckOutThing', loanId: 'a', by: 'o', now: now('2027-03-01') },
      { type: 'RenewThing', loanId: 'a', renewalId: 'a2', dueOn: '2027-03-09', by: 'b', now: now('2027-03-04') },
    ]);
    expect(out.status !== 'none' && out.loans.get('a')?.state).toBe('out');
    expect(renewed.status !== 'none' && [renewed.loans.get('a')?.state, renewed.loans.get('a2')]).toEqual([
      'renewed',
      { loanId: 'a2', borrowerId: 'b1', startOn: '2027-03-05', dueOn: '2027-03-09', state: 'out', renewalOf: 'a', checkedOutOn: '2027-03-04' },
    ]);
    const [returned] = resourceDecider.decide({ type: 'ReturnThing', loanId: 'a2', condition: 'ok', by: 'o', now: now('2027-03-10') }, renewed);
    expect(returned).toMatchObject({ type: 'ThingReturned', data: { late: true, on: '2027-03-10' } });
    const back = resourceDecider.evolve(renewed, returned);
    expect(code(() => resourceDecider.decide({ type: 'ReturnThing', loanId: 'a2', condition: 'ok', by: 'o', now: now('2027-03-10') }, back))).toBe('LOAN.ALREADY_RETURNED');
  });

  it('records check-outs, renewals and returns after the fact, never in the future nor before what they depend on', () => {
    const reserved = fold([register, reserve('a', 'b1', '2027-03-01', '2027-03-05')]);
    const checkOut = (on: string, today = '2027-03-04') => resourceDecider.decide({ type: 'CheckOutThing', loanId: 'a', on, by: 'o', now: now(today) }, reserved);
    expect(code(() => checkOut('2027-03-05'))).toBe('LOAN.DATE_IN_FUTURE');
    expect(code(() => checkOut('2027-02-28'))).toBe('LOAN.NOT_STARTED');
    expect(code(() => checkOut('2027-03-06', '2027-03-08'))).toBe('LOAN.RESERVATION_LAPSED');
    const [out] = checkOut('2027-03-02');
    expect(out).toMatchObject({ type: 'ThingCheckedOut', data: { on: '2027-03-02' } });
    const state = resourceDecider.evolve(reserved, out);
    const returnOn = (on: string) => resourceDecider.decide({ type: 'ReturnThing', loanId: 'a', condition: 'ok', on, by: 'o', now: now('2027-03-10') }, state);
    expect(code(() => returnOn('2027-03-01'))).toBe('LOAN.BEFORE_CHECKOUT');
    expect(code(() => returnOn('2027-03-11'))).toBe('LOAN.DATE_IN_FUTURE');
    expect(returnOn('2027-03-05')[0]).toMatchObject({ type: 'ThingReturned', data: { on: '2027-03-05', late: false } });
    expect(returnOn('2027-03-06')[0]).toMatchObject({ data: { late: true } });
    const renew = (on: string) => resourceDecider.decide({ type: 'RenewThing', loanId: 'a', renewalId: 'a2', dueOn: '2027-03-09', on, by: 'b', now: now('2027-03-10') }, state);
    expect(code(() => renew('2027-03-01'))).toBe('LOAN.BEFORE_CHECKOUT');
    expect(renew('2027-03-04')[0]).toMatchObject({ type: 'ThingRenewed', data: { on: '2027-03-04' } });
  });
});
