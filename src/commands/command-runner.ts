import { Mutex } from 'async-mutex';
import { AsyncLocalStorage } from 'node:async_hooks';
import { ExponentialBackoff, handleWhen, retry } from 'cockatiel';
import { EventCatalogue, EventDefinition, S } from '../event-store/event-catalogue';
import { EventMetadata, NewEvent } from '../event-store/envelope';
import { EventStore, ExpectedRevision, StreamAppend, WrongExpectedVersionError } from '../event-store/event-store.port';
import { sha256Hex } from '../shared/canonical-json';
import { Decider } from '../shared/decider';
import { ConflictError, DomainError } from '../shared/domain-error';
import { CommandContext } from './command-context';

/** What a command handler asks to be written, and what its caller is answered. */
export interface CommandPlan<Response> {
  readonly appends: readonly StreamAppend[];
  readonly response: Response;
}

export interface CommandOutcome<Response> {
  readonly response: Response;
  /** Global position of the command's last event: the point a reader waits for. */
  readonly position: number;
  /** True when this is the stored answer to an earlier request with the same idempotency key. */
  readonly replayed: boolean;
}

export interface LoadedStream<State> {
  readonly state: State;
  /** The revision to expect when appending what was decided from this state. */
  readonly expected: ExpectedRevision;
}

export interface RunOptions {
  /**
   * Maps a conflict that means a business rule (a stream that must not exist yet) to its domain
   * error; such a conflict is answered at once instead of retried.
   */
  readonly onConflict?: (error: WrongExpectedVersionError) => DomainError | undefined;
  /**
   * Keys (usually stream ids of hot aggregates such as funds) this command takes in-process
   * locks on, in sorted order, for the whole decide-and-append. Correctness never depends on
   * them (expected revisions do that); they keep many writers to one fund from burning their
   * retries against each other.
   */
  readonly locks?: readonly string[];
}

interface CachedStream {
  readonly decider: unknown;
  readonly state: unknown;
  readonly revision: number;
}

/** One attempt of a command's plan: whether it read a state assumed from appends not yet durable. */
interface Attempt {
  assumedInFlight: boolean;
  /** Read only what is durable: wait for appends in flight to land instead of assuming them. */
  readonly durableOnly: boolean;
  /**
   * The streams the command holds locks on: only these are decided against appends in flight.
   * They are hot aggregates (funds, movements, loans, projects) that only the service writes;
   * a stream another process may write too (a token, by the CLI) is read once what is in flight
   * has landed, since a foreign append could fill the revision a failed one left open.
   */
  readonly locks: ReadonlySet<string>;
  /**
   * What this attempt has loaded, by stream: a plan that loads one stream twice (a gift checks
   * its fund's currency, then the movement writer loads the fund) gets the first answer again,
   * without another read, so both see one state of the stream.
   */
  readonly loaded: Map<string, { readonly decider: unknown; readonly result: LoadedStream<unknown> }>;
}

interface Flight {
  /** Appends sent on the stream and not yet landed (committed or failed). */
  inFlight: number;
  /** The state the stream will be in when they have all committed, when that is certain. */
  assumed: CachedStream | undefined;
  /** Resolves when the last of them has landed. */
  readonly landed: Promise<void>;
  readonly land: () => void;
}

/** A cached state with an append's events folded in. */
function fold(base: CachedStream, events: StreamAppend['events']): unknown {
  const decider = base.decider as Pick<Decider<unknown, unknown, unknown>, 'evolve'>;
  return events.reduce((state, event) => decider.evolve(state, { type: event.type, data: event.data }), base.state);
}

const IDEMPOTENCY_EVENT = 'IdempotentRequestRecorded';

/** The command runner's own event: an idempotency key's fingerprint and the answer given. */
export const COMMAND_EVENTS: readonly EventDefinition[] = [
  {
    type: IDEMPOTENCY_EVENT,
    schemaVersion: 1,
    // The response is whatever the use case answered: any JSON object.
    data: S.object({ fingerprint: { type: 'string', minLength: 1, maxLength: 200 }, response: { type: 'object' } }),
  },
];
/** Folded states kept in memory; the least recently used beyond this are dropped. */
const STATE_CACHE_SIZE = 20_000;
/** Appends refused for a stale revision are decided again from fresh state this many times, then 409. */
export const MAX_CONFLICT_ATTEMPTS = 10;

interface IdempotencyRecord {
  readonly fingerprint: string;
  readonly response: unknown;
}

/**
 * The write path every use case shares: load and fold streams, let a pure decider decide,
 * append with the revisions that were read, and retry a bounded number of times when another
 * writer got there first. An Idempotency-Key is recorded as an event in its own stream, appended
 * atomically with the command's events: the key and the effects are durable together, in
 * either store.
 */
export class CommandRunner {
  private readonly states = new Map<string, CachedStream>();
  /** Streams with appends in flight (sent to a store that commits in call order, not yet durable). */
  private readonly flights = new Map<string, Flight>();
  private readonly attempts = new AsyncLocalStorage<Attempt>();
  private readonly mutexes = new Map<string, { mutex: Mutex; users: number }>();

  constructor(
    private readonly store: EventStore,
    /** Every new event is checked against it before it is appended. */
    private readonly catalogue: EventCatalogue,
  ) {}

  /**
   * Folds a stream with a decider's evolve. The folded state is cached, so a long-lived stream
   * (a fund with years of entries) costs one read of the events appended since the last load,
   * not a replay. States are immutable values, which makes sharing them safe; the catch-up read
   * also picks up what other processes appended.
   */
  async load<Event, State>(
    streamId: string,
    decider: Pick<Decider<unknown, Event, State>, 'initialState' | 'evolve'>,
  ): Promise<LoadedStream<State>> {
    const attempt = this.attempts.getStore();
    const earlier = attempt?.loaded.get(streamId);
    if (earlier !== undefined && earlier.decider === decider) return earlier.result as LoadedStream<State>;
    const result = await this.loadOnce(streamId, decider, attempt);
    attempt?.loaded.set(streamId, { decider, result });
    return result;
  }

  private async loadOnce<Event, State>(
    streamId: string,
    decider: Pick<Decider<unknown, Event, State>, 'initialState' | 'evolve'>,
    attempt: Attempt | undefined,
  ): Promise<LoadedStream<State>> {
    // Appends in flight on this stream: decide against the state they leave when it is known,
    // else wait until they are durable (or failed) and read the log.
    for (let flight = this.flights.get(streamId); flight !== undefined; flight = this.flights.get(streamId)) {
      if (flight.assumed?.decider === decider && attempt !== undefined && !attempt.durableOnly && attempt.locks.has(streamId)) {
        attempt.assumedInFlight = true;
        return { state: flight.assumed.state as State, expected: flight.assumed.revision };
      }
      await flight.landed;
    }
    const cached = this.states.get(streamId);
    const hit = cached !== undefined && cached.decider === decider;
    let state = hit ? (cached.state as State) : decider.initialState();
    let revision = hit ? cached.revision : -1;
    for await (const recorded of this.store.readStream(streamId, { fromRevision: revision + 1 })) {
      // Deciders fold every event at its current shape: older versions are upcast on the way in.
      const current = this.catalogue.upcast(recorded);
      state = decider.evolve(state, { type: current.type, data: current.data } as Event);
      revision = recorded.streamVersion;
    }
    // Kept only if no append took off on this stream while the read ran (this state would then
    // be older than the log is about to be) and nothing else replaced the cached state meanwhile.
    if (!this.flights.has(streamId) && this.states.get(streamId) === cached && revision >= 0) {
      this.remember(streamId, { decider, state, revision });
    }
    return { state, expected: revision < 0 ? 'no_stream' : revision };
  }

  /**
   * Records an append that is in flight (sent, not yet durable) on each of its streams, with the
   * state it will leave where that is certain: the stream's known state at exactly the revision
   * the append expects, folded with its events. The next command on the stream decides against
   * that state at once; when the outcome is uncertain (no known state, another revision
   * expected, or an append on it failed) the next load waits until every append in flight on
   * the stream has landed and reads the log. The single writer commits in call order and checks
   * each append's own expected revisions, so a decision taken on an append that then fails
   * expects a revision the stream never reaches, fails in its turn and is decided again.
   */
  private takeOff(appends: readonly StreamAppend[], committed: Promise<unknown>): void {
    for (const { streamId, expected, events } of appends) {
      let flight = this.flights.get(streamId);
      if (flight === undefined) {
        let land!: () => void;
        const landed = new Promise<void>((resolve) => (land = resolve));
        const cached = this.states.get(streamId);
        flight = { inFlight: 0, assumed: cached, landed, land };
        this.flights.set(streamId, flight);
      }
      const base = flight.assumed;
      flight.assumed =
        base !== undefined && expected === base.revision
          ? { decider: base.decider, state: fold(base, events), revision: base.revision + events.length }
          : undefined;
      flight.inFlight += 1;
      const current = flight;
      const landing = (ok: boolean) => {
        if (!ok) current.assumed = undefined;
        current.inFlight -= 1;
        if (current.inFlight > 0) return;
        this.flights.delete(streamId);
        // Every append on the stream has landed: what was assumed is now what the log holds.
        // When it is not known, a fresh placeholder (not a deletion) keeps a read that began
        // before these appends landed from caching its older state.
        this.remember(streamId, current.assumed ?? { decider: undefined, state: undefined, revision: -2 });
        current.land();
      };
      committed.then(() => landing(true), () => landing(false));
    }
  }

  /** Keeps a folded state as the most recently used; the least recently used beyond the limit go. */
  private remember(streamId: string, entry: CachedStream): void {
    this.states.delete(streamId);
    this.states.set(streamId, entry);
    if (this.states.size > STATE_CACHE_SIZE) this.states.delete(this.states.keys().next().value as string);
  }

  /** Runs `work` holding the in-process locks of `keys`, taken in sorted order so two commands never deadlock. */
  private async exclusive<T>(keys: readonly string[], work: () => Promise<T>): Promise<T> {
    const sorted = [...new Set(keys)].sort();
    const held: Array<() => void> = [];
    try {
      for (const key of sorted) {
        let entry = this.mutexes.get(key);
        if (!entry) {
          entry = { mutex: new Mutex(), users: 0 };
          this.mutexes.set(key, entry);
        }
        entry.users += 1;
        const release = await entry.mutex.acquire();
        held.push(() => {
          release();
          entry.users -= 1;
          if (entry.users === 0) this.mutexes.delete(key);
        });
      }
      return await work();
    } finally {
      for (const release of held.reverse()) release();
    }
  }

  /**
   * Runs `plan` (which loads, decides and returns what to append) under the conflict retry
   * policy and the idempotency rules. `plan` may run more than once: it must read fresh state
   * each time.
   *
   * With an Idempotency-Key, the whole run holds an in-process lock on the key's stream, so
   * identical requests racing in one process run one after the other and every one after the
   * first finds the first one's answer. Across processes the lock cannot help: a duplicate that
   * loaded its state after the winner committed is refused by the decider (ALREADY_DECIDED and
   * the like) or loses the append race, so any refusal while a key is present looks the key up
   * again and answers as the winner was answered (or IDEMPOTENCY.KEY_REUSED for another body).
   */
  async run<Response>(
    context: CommandContext,
    plan: () => Promise<CommandPlan<Response>>,
    options: RunOptions = {},
  ): Promise<CommandOutcome<Response>> {
    if (!context.idempotencyKey) return this.decideAndAppend(context, plan, options, undefined);
    const idempotencyStream = idempotencyStreamId(context);
    return this.exclusive([idempotencyStream], async () => {
      const earlier = await this.earlierAnswer<Response>(idempotencyStream, context);
      if (earlier) return earlier;
      try {
        return await this.decideAndAppend(context, plan, options, idempotencyStream);
      } catch (error) {
        if (error instanceof DomainError) {
          const raced = await this.earlierAnswer<Response>(idempotencyStream, context);
          if (raced) return raced;
        }
        throw error;
      }
    });
  }

  private async decideAndAppend<Response>(
    context: CommandContext,
    plan: () => Promise<CommandPlan<Response>>,
    { onConflict, locks = [] }: RunOptions,
    idempotencyStream: string | undefined,
  ): Promise<CommandOutcome<Response>> {
    // Only a stale read is worth deciding again; a conflict that means a business rule (a taken
    // fund code) or a raced idempotency key is answered at once.
    const conflictRetry = retry(
      handleWhen(
        (error) =>
          error instanceof WrongExpectedVersionError && error.streamId !== idempotencyStream && !onConflict?.(error),
      ),
      { maxAttempts: MAX_CONFLICT_ATTEMPTS - 1, backoff: new ExponentialBackoff({ initialDelay: 2, maxDelay: 100 }) },
    );
    let attempts = 0;
    try {
      return await conflictRetry.execute(async () => {
        // A first attempt may decide against appends still in flight; after a conflict, it
        // decides against what is durable, so one failed append does not doom a chain twice.
        const durableOnly = attempts++ > 0;
        const { committed, response } = await this.exclusive(locks, async () => {
          const { appends, response } = await this.decide(plan, durableOnly, locks);
          const all = idempotencyStream
            ? [...appends, idempotencyAppend(idempotencyStream, context, response)]
            : appends;
          this.catalogue.assertValid(all.flatMap((append) => append.events));
          const committed = this.store.appendToStreams(all, metadataOf(context));
          if (this.store.appendsInCallOrder) {
            // The next command on these streams decides against this one's outcome at once,
            // without waiting for its fsync: both are committed in order, often together.
            this.takeOff(all, committed);
          } else {
            // Hold the locks until the commit: a later decision could not be checked in order.
            await committed.catch(() => undefined);
          }
          return { committed, response };
        });
        const result = await committed;
        return { response, position: result.position, replayed: false };
      });
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        throw onConflict?.(error) ??
          new ConflictError('CONCURRENCY.CONFLICT', 'Another request changed the same records; try again.', {
            streamId: error.streamId,
          });
      }
      throw error;
    }
  }

  /**
   * Runs a plan. A refusal decided against a state that assumed appends still in flight could be
   * wrong if one of them then fails (money held by a debit that never lands): it is decided
   * again against what is durable, and that answer stands.
   */
  private async decide<Response>(plan: () => Promise<CommandPlan<Response>>, durableOnly: boolean, locks: readonly string[]): Promise<CommandPlan<Response>> {
    const held = new Set(locks);
    const attempt: Attempt = { assumedInFlight: false, durableOnly, locks: held, loaded: new Map() };
    try {
      return await this.attempts.run(attempt, plan);
    } catch (error) {
      if (!(error instanceof DomainError) || !attempt.assumedInFlight) throw error;
      return this.attempts.run({ assumedInFlight: false, durableOnly: true, locks: held, loaded: new Map() }, plan);
    }
  }

  private async earlierAnswer<Response>(
    streamId: string,
    context: CommandContext,
  ): Promise<CommandOutcome<Response> | undefined> {
    for await (const recorded of this.store.readStream(streamId, { maxCount: 1 })) {
      const record = recorded.data as IdempotencyRecord;
      if (record.fingerprint !== context.fingerprint) {
        throw new DomainError(
          'IDEMPOTENCY.KEY_REUSED',
          'This Idempotency-Key was already used for a different request.',
          422,
        );
      }
      return { response: record.response as Response, position: recorded.globalPosition, replayed: true };
    }
    return undefined;
  }
}

/** Keys are scoped to the actor, so two clients can never collide on one another's keys. */
function idempotencyStreamId(context: CommandContext): string {
  return `idempotency-${sha256Hex(`${context.actor.id}\u0000${context.idempotencyKey}`)}`;
}

function idempotencyAppend(streamId: string, context: CommandContext, response: unknown): StreamAppend {
  const event: NewEvent<IdempotencyRecord> = {
    type: IDEMPOTENCY_EVENT,
    schemaVersion: 1,
    data: { fingerprint: context.fingerprint ?? '', response },
  };
  return { streamId, expected: 'no_stream', events: [event] };
}

export function metadataOf(context: CommandContext): EventMetadata {
  return {
    actorId: context.actor.id,
    actorRole: context.actor.role,
    correlationId: context.correlationId,
    causationId: context.causationId,
    ...(context.idempotencyKey ? { idempotencyKey: context.idempotencyKey } : {}),
  };
}
