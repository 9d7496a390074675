import type { Decider } from '../decider';
import { DomainError, NotFoundError } from '../domain-error';
import { spec } from './decider-specification';

/** A counter that may be opened once and bumped while open: just enough to exercise the helper. */
type Command = { type: 'Open' } | { type: 'Bump' } | { type: 'Break' };
type Event = { type: 'Opened'; data: Record<string, never> } | { type: 'Bumped'; data: { to: number } };
const counter: Decider<Command, Event, number | null> = {
  initialState: () => null,
  evolve: (_state, event) => (event.type === 'Opened' ? 0 : event.data.to),
  decide: (command, state) => {
    if (command.type === 'Break') throw new Error('not a domain error');
    if (command.type === 'Open') {
      if (state !== null) throw new DomainError('COUNTER.ALREADY_OPEN', 'Already open.', 409);
      return [{ type: 'Opened', data: {} }];
    }
    if (state === null) throw new NotFoundError('COUNTER.NOT_FOUND', 'No counter.');
    return [{ type: 'Bumped', data: { to: state + 1 } }];
  },
};
const c = spec(counter);
const opened: Event[] = [{ type: 'Opened', data: {} }];

describe('decider specification', () => {
  it('folds the given events with evolve from the initial state before deciding', () => {
    expect(c.state([...opened, { type: 'Bumped', data: { to: 4 } }])).toBe(4);
    c.given([...opened, { type: 'Bumped', data: { to: 4 } }]).when({ type: 'Bump' }).then([{ type: 'Bumped', data: { to: 5 } }]);
    expect(c.history([{ type: 'Open' }, { type: 'Bump' }, { type: 'Bump' }])).toEqual([...opened, { type: 'Bumped', data: { to: 1 } }, { type: 'Bumped', data: { to: 2 } }]);
    expect(c.history([{ type: 'Bump' }], opened)).toEqual([...opened, { type: 'Bumped', data: { to: 1 } }]);
  });

  it('then fails on other events, thenMatches on another count or value', () => {
    expect(() => c.given(opened).when({ type: 'Bump' }).then([{ type: 'Bumped', data: { to: 2 } }])).toThrow();
    expect(() => c.given(opened).when({ type: 'Bump' }).then([])).toThrow();
    c.given(opened).when({ type: 'Bump' }).thenMatches([{ type: 'Bumped' }]);
    expect(() => c.given(opened).when({ type: 'Bump' }).thenMatches([{ type: 'Bumped' }, { type: 'Bumped' }])).toThrow();
    expect(() => c.given(opened).when({ type: 'Bump' }).thenMatches([{ data: { to: 9 } }])).toThrow();
  });

  it('thenThrows matches the DomainError code and status, and fails when the command is accepted or the error is not a DomainError', () => {
    c.given(opened).when({ type: 'Open' }).thenThrows('COUNTER.ALREADY_OPEN');
    c.given(opened).when({ type: 'Open' }).thenThrows('COUNTER.ALREADY_OPEN', 409);
    c.given([]).when({ type: 'Bump' }).thenThrows('COUNTER.NOT_FOUND', 404);
    expect(() => c.given(opened).when({ type: 'Open' }).thenThrows('COUNTER.NOT_FOUND')).toThrow();
    expect(() => c.given(opened).when({ type: 'Open' }).thenThrows('COUNTER.ALREADY_OPEN', 422)).toThrow();
    expect(() => c.given([]).when({ type: 'Open' }).thenThrows('COUNTER.ALREADY_OPEN')).toThrow(/recorded/);
    expect(() => c.given([]).when({ type: 'Break' }).thenThrows('COUNTER.ALREADY_OPEN')).toThrow();
  });

  it('thenAccepts returns what was decided and lets a refusal fail the test', () => {
    expect(c.given([]).when({ type: 'Open' }).thenAccepts()).toEqual(opened);
    expect(() => c.given(opened).when({ type: 'Open' }).thenAccepts()).toThrow(DomainError);
  });
});
