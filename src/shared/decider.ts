/**
 * A pure decision model (Chassaing's decider): given the state folded from a stream's past
 * events, `decide` answers the events a command produces or throws a DomainError. No I/O, no
 * clock, no randomness: times and ids arrive inside the command.
 */
export interface Decider<Command, Event, State> {
  initialState(): State;
  evolve(state: State, event: Event): State;
  decide(command: Command, state: State): Event[];
}

/** A domain event as deciders see it: a stable past-tense type and plain readonly data. */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
}

export type Role = 'steward' | 'auditor' | 'sustainer' | 'cooperative';
export const ROLES: readonly Role[] = ['steward', 'auditor', 'sustainer', 'cooperative'];

/** Who is acting: the token's id and role, and for sustainers and cooperatives whom they act for. */
export interface Actor {
  readonly id: string;
  readonly role: Role | 'operator';
  readonly subject?: string;
}
