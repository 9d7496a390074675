import { ExponentialBackoff, handleWhen, retry } from 'cockatiel';
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

const IDEMPOTENCY_EVENT = 'IdempotentRequestRecorded';
/** Appends refused for a stale revision are decided again from fresh state this many times, then 409. */
export const MAX_CONFLICT_ATTEMPTS = 5;

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
  constructor(private readonly store: EventStore) {}

  /** Folds a stream with a decider's evolve. */
  async load<Event, State>(
    streamId: string,
    decider: Pick<Decider<unknown, Event, State>, 'initialState' | 'evolve'>,
  ): Promise<LoadedStream<State>> {
    let state = decider.initialState();
    let revision = -1;
    for await (const recorded of this.store.readStream(streamId)) {
      state = decider.evolve(state, { type: recorded.type, data: recorded.data } as Event);
      revision = recorded.streamVersion;
    }
    return { state, expected: revision < 0 ? 'no_stream' : revision };
  }

  /**
   * Runs `plan` (which loads, decides and returns what to append) under the conflict retry
   * policy and the idempotency rules. `plan` may run more than once: it must read fresh state
   * each time.
   */
  async run<Response>(
    context: CommandContext,
    plan: () => Promise<CommandPlan<Response>>,
    onConflict?: (error: WrongExpectedVersionError) => DomainError | undefined,
  ): Promise<CommandOutcome<Response>> {
    const idempotencyStream = context.idempotencyKey ? idempotencyStreamId(context) : undefined;
    if (idempotencyStream) {
      const earlier = await this.earlierAnswer<Response>(idempotencyStream, context);
      if (earlier) return earlier;
    }
    // Only a stale read is worth deciding again; a conflict that means a business rule (a taken
    // fund code) or a raced idempotency key is answered at once.
    const conflictRetry = retry(
      handleWhen(
        (error) =>
          error instanceof WrongExpectedVersionError && error.streamId !== idempotencyStream && !onConflict?.(error),
      ),
      { maxAttempts: MAX_CONFLICT_ATTEMPTS - 1, backoff: new ExponentialBackoff({ initialDelay: 2, maxDelay: 50 }) },
    );
    try {
      return await conflictRetry.execute(async () => {
        const { appends, response } = await plan();
        const all = idempotencyStream
          ? [...appends, idempotencyAppend(idempotencyStream, context, response)]
          : appends;
        const result = await this.store.appendToStreams(all, metadataOf(context));
        return { response, position: result.position, replayed: false };
      });
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        if (idempotencyStream) {
          // A concurrent request with the same key may have won the race (its conflict can surface
          // on any stream both touched): if so, answer as it was answered.
          const earlier = await this.earlierAnswer<Response>(idempotencyStream, context);
          if (earlier) return earlier;
        }
        throw onConflict?.(error) ??
          new ConflictError('CONCURRENCY.CONFLICT', 'Another request changed the same records; try again.', {
            streamId: error.streamId,
          });
      }
      throw error;
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
