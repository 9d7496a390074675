/**
 * What a store reports about its own writes, for the metrics (src/observability): the latency of
 * each append as its caller sees it, and for a store that commits appends in groups (the SQLite
 * store's writer thread) each commit's size and duration. Kept apart from the port so that a
 * store without groups (KurrentDB) reports appends only, and the store imports no metrics library.
 */
export interface CommitObservation {
  /** Appends (commands) the transaction held: the group-commit size. */
  readonly appends: number;
  /** Events it wrote. */
  readonly events: number;
  /** From BEGIN to the end of COMMIT (its fsync included), in seconds, in the writer thread. */
  readonly seconds: number;
}

export type AppendOutcome = 'ok' | 'conflict' | 'error';

export interface StoreObserver {
  /** One append settled after `seconds` (from the call to its answer). */
  appended(seconds: number, outcome: AppendOutcome): void;
  /** One transaction committed. */
  committed(commit: CommitObservation): void;
}

/** A store that takes an observer (the SQLite and KurrentDB stores do). */
export interface ObservableStore {
  observe(observer: StoreObserver): void;
}

export function isObservableStore(store: object): store is ObservableStore {
  return typeof (store as Partial<ObservableStore>).observe === 'function';
}
