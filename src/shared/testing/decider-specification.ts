/**
 * Given / when / then for deciders, so that a decider spec reads as the rule it checks:
 *
 *   const fund = spec(fundDecider);
 *   fund.given(opened).when(closeFund).then([{ type: 'FundClosed', data: { ... } }]);
 *   fund.given(withMoney).when(closeFund).thenThrows('FUND.NOT_EMPTY', 409);
 *
 * `given` is the stream's past: it is folded with the decider's own `evolve` from
 * `initialState()`, as the command runner folds a stream, so a spec never hand-builds a state the
 * events could not produce. Refusals are matched on the DomainError's code (and its HTTP status
 * when given), never on its message.
 *
 * Test-only: it calls jest's `expect`, so tsconfig.build.json leaves src/shared/testing out of the
 * build.
 */
import type { Decider } from '../decider';
import { DomainError } from '../domain-error';

export interface Decision<Event> {
  /** The decided events are exactly these (jest `toEqual`). Returns them, to extend a history. */
  then(expected: readonly Event[]): Event[];
  /** As many events as partials, each matching its partial (jest `toMatchObject`). Returns them. */
  thenMatches(expected: readonly object[]): Event[];
  /** The command is accepted, whatever it records. Returns the events, for finer assertions. */
  thenAccepts(): Event[];
  /** The command is refused with a DomainError of this code (and this HTTP status, when given). */
  thenThrows(code: string, status?: DomainError['status']): void;
}

export interface DeciderSpecification<Command, Event, State> {
  given(past?: readonly Event[]): { when(command: Command): Decision<Event> };
  /** `past` followed by what deciding these commands one after another records. */
  history(commands: readonly Command[], past?: readonly Event[]): Event[];
  /** The state `past` folds to: for the rules a spec checks on state or derived values. */
  state(past: readonly Event[]): State;
}

export function spec<Command, Event, State>(decider: Decider<Command, Event, State>): DeciderSpecification<Command, Event, State> {
  const state = (past: readonly Event[]): State => past.reduce(decider.evolve, decider.initialState());

  const when = (past: readonly Event[], command: Command): Decision<Event> => {
    // Decided lazily, so that each `then…` sees the decider throw (or not) inside its own check.
    const decide = () => decider.decide(command, state(past));
    return {
      then(expected) {
        const events = decide();
        expect(events).toEqual(expected);
        return events;
      },
      thenMatches(expected) {
        const events = decide();
        expect(events).toMatchObject(expected);
        return events;
      },
      thenAccepts: decide,
      thenThrows(code, status) {
        let recorded: Event[];
        try {
          recorded = decide();
        } catch (error) {
          expect(error).toBeInstanceOf(DomainError);
          expect(error).toMatchObject(status === undefined ? { code } : { code, status });
          return;
        }
        throw new Error(`expected the decider to refuse with ${code}, but it recorded ${JSON.stringify(recorded)}`);
      },
    };
  };

  return {
    given: (past = []) => ({ when: (command) => when(past, command) }),
    history(commands, past = []) {
      const events = [...past];
      for (const command of commands) events.push(...decider.decide(command, state(events)));
      return events;
    },
    state,
  };
}
