import { DomainError } from '../../../shared/domain-error';
import { SustainerCommand, SustainerEvent, sustainerDecider } from './sustainer.decider';

const now = '2028-01-10T10:00:00.000Z';
const personal = { alg: 'A256GCM' as const, iv: 'aXY=', tag: 'dGFn', ciphertext: 'Y2lwaGVy' };
const register: SustainerCommand = { type: 'RegisterSustainer', sustainerId: 's1', anonymous: true, personal, by: 'steward', now };
const erase: SustainerCommand = { type: 'EraseSustainer', sustainerId: 's1', by: 'steward', now };
const given = (events: SustainerEvent[]) => events.reduce(sustainerDecider.evolve, sustainerDecider.initialState());
function codeOf(command: SustainerCommand, events: SustainerEvent[] = []): string | undefined {
  try {
    sustainerDecider.decide(command, given(events));
  } catch (error) {
    return (error as DomainError).code;
  }
  return undefined;
}

describe('sustainer decider', () => {
  const registered = sustainerDecider.decide(register, given([]));

  it('registers a sustainer with sealed personal data only', () => {
    expect(registered).toEqual([{ type: 'SustainerRegistered', data: { sustainerId: 's1', anonymous: true, personal, registeredAt: now, registeredBy: 'steward' } }]);
    expect(codeOf(register, registered)).toBe('SUSTAINER.ALREADY_EXISTS');
  });

  it('erases once; an unknown or erased sustainer is refused', () => {
    const erased = [...registered, ...sustainerDecider.decide(erase, given(registered))];
    expect(erased[1]).toEqual({ type: 'SustainerErased', data: { sustainerId: 's1', erasedAt: now, erasedBy: 'steward' } });
    expect(given(erased)).toMatchObject({ status: 'erased', anonymous: true });
    expect(codeOf(erase, erased)).toBe('SUSTAINER.ERASED');
    expect(codeOf(erase)).toBe('SUSTAINER.NOT_FOUND');
  });
});
