import { spec } from '../../../shared/testing/decider-specification';
import { SustainerCommand, sustainerDecider } from './sustainer.decider';

const sustainer = spec(sustainerDecider);
const now = '2028-01-10T10:00:00.000Z';
const personal = { alg: 'A256GCM' as const, iv: 'aXY=', tag: 'dGFn', ciphertext: 'Y2lwaGVy' };
const register: SustainerCommand = { type: 'RegisterSustainer', sustainerId: 's1', anonymous: true, personal, by: 'steward', now };
const erase: SustainerCommand = { type: 'EraseSustainer', sustainerId: 's1', by: 'steward', now };

describe('sustainer decider', () => {
  const registered = sustainer.history([register]);

  it('registers a sustainer with sealed personal data only', () => {
    sustainer.given([]).when(register).then([{ type: 'SustainerRegistered', data: { sustainerId: 's1', anonymous: true, personal, registeredAt: now, registeredBy: 'steward' } }]);
    sustainer.given(registered).when(register).thenThrows('SUSTAINER.ALREADY_EXISTS', 409);
  });

  it('erases once; an unknown or erased sustainer is refused', () => {
    const erased = [...registered, ...sustainer.given(registered).when(erase).then([{ type: 'SustainerErased', data: { sustainerId: 's1', erasedAt: now, erasedBy: 'steward' } }])];
    expect(sustainer.state(erased)).toMatchObject({ status: 'erased', anonymous: true });
    sustainer.given(erased).when(erase).thenThrows('SUSTAINER.ERASED');
    sustainer.given([]).when(erase).thenThrows('SUSTAINER.NOT_FOUND', 404);
  });
});
