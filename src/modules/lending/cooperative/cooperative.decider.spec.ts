import { spec } from '../../../shared/testing/decider-specification';
import { CooperativeCommand, cooperativeDecider } from './cooperative.decider';

const cooperative = spec(cooperativeDecider);
const now = '2027-01-10T10:00:00.000Z';
const register: CooperativeCommand = { type: 'RegisterCooperative', cooperativeId: 'c1', name: 'Bakers', sector: 'food', contact: 'hello@bakers.example', now };

describe('cooperative decider', () => {
  it('registers a cooperative once', () => {
    const registered = cooperative.given([]).when(register).then([
      { type: 'CooperativeRegistered', data: { cooperativeId: 'c1', name: 'Bakers', sector: 'food', contact: 'hello@bakers.example', registeredAt: now } },
    ]);
    expect(cooperative.state(registered)).toEqual({ status: 'member', cooperativeId: 'c1', name: 'Bakers' });
    cooperative.given(registered).when(register).thenThrows('COOPERATIVE.ALREADY_EXISTS', 409);
  });

  it('sets the labour limit of a member only', () => {
    cooperative.given(cooperative.history([register])).when({ type: 'SetLabourLimit', limitMinutes: 600, now }).then([
      { type: 'CooperativeLabourLimitSet', data: { cooperativeId: 'c1', limitMinutes: 600, setAt: now } },
    ]);
    cooperative.given([]).when({ type: 'SetLabourLimit', limitMinutes: 600, now }).thenThrows('COOPERATIVE.NOT_FOUND', 404);
  });
});
