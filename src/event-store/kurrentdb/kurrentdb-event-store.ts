import {
  ANY,
  BACKWARDS,
  END,
  ErrorType,
  FORWARDS,
  KurrentDBClient,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  eventTypeFilter,
  isCommandError,
  jsonEvent,
  type AppendStreamState,
  type CurrentStreamState,
  type EventData,
  type JSONType,
  type ReadPosition,
  type RecordedEvent as KurrentRecordedEvent,
  type WrongExpectedVersionError as KurrentWrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import { ExponentialBackoff, handleType, retry } from 'cockatiel';
import { performance } from 'node:perf_hooks';
import { Clock } from '../../shared/clock';
import { newId } from '../../shared/ids';
import { EventMetadata, GENESIS_HASH, NewEvent, RecordedEvent, normaliseMetadata, sealEvent } from '../envelope';
import {
  AppendResult,
  EventStore,
  ExpectedRevision,
  ReadAllOptions,
  ReadStreamOptions,
  StreamAppend,
  SubscribeOptions,
  WrongExpectedVersionError,
  checkExpectedRevision,
  validateAppends,
} from '../event-store.port';
import { ObservableStore, StoreObserver } from '../store-observer';
import { sleepUnlessAborted } from '../../shared/sleep';

/** The part of the client the adapter uses; a narrower type than the class, so a test double can stand in. */
export type KurrentClient = Pick<
  KurrentDBClient,
  'appendToStream' | 'multiStreamAppend' | 'readStream' | 'readAll' | 'subscribeToAll' | 'dispose'
>;

export interface KurrentDbEventStoreOptions {
  /** `kurrentdb://host:2113?tls=false`, or a cluster string; ignored when `client` is given. */
  readonly connectionString?: string;
  readonly client?: KurrentClient;
  readonly clock: Clock;
  /** Events per read request; bounds the memory a read holds. */
  readonly pageSize?: number;
  /**
   * How many times an `any` or `stream_exists` append is sealed again on a freshly read head
   * after another writer (another process) moved that head between the read and the write.
   */
  readonly maxHeadRetries?: number;
  /** Consecutive broken connections a subscription survives (resubscribing from its position). */
  readonly maxResubscribes?: number;
}

/**
 * The event property holding the ledger's envelope. `multiStreamAppend` (KurrentDB 25.1) takes
 * metadata only as a flat object of string values, so the envelope travels as one JSON string.
 */
export const ENVELOPE_PROPERTY = 'ledger-envelope';

/** The envelope fields KurrentDB has no place for, stored in the event's metadata. */
interface StoredEnvelope {
  readonly schemaVersion: number;
  readonly streamVersion: number;
  readonly recordedAt: string;
  readonly effectiveAt: string;
  readonly metadata: EventMetadata;
  readonly prevHash: string;
  readonly hash: string;
}

interface StreamHead {
  readonly revision: number;
  readonly hash: string;
}

/** Ledger events only: system events (`$metadata`, `$>` links, `$statistics`...) have `$`-prefixed types. */
const USER_EVENTS = () => eventTypeFilter({ regex: '^[^$]' });

/** Raised inside the adapter when the head an `any`/`stream_exists` append was chained on moved. */
class StaleHeadError extends Error {
  constructor(readonly conflict: WrongExpectedVersionError) {
    super(conflict.message);
  }
}

/** The port's expectation in the client's terms, one to one. */
export function toStreamState(expected: ExpectedRevision): AppendStreamState {
  switch (expected) {
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    case 'any':
      return ANY;
    default:
      return BigInt(expected);
  }
}

/** The client's report of a stream's state, in the port's terms. */
export function fromCurrentStreamState(state: CurrentStreamState): number | 'no_stream' {
  return state === NO_STREAM ? 'no_stream' : Number(state);
}

/**
 * What the adapter asks the server to check. The events were chained on `head`, so the server
 * must refuse them unless the stream is still exactly there; for `any` and `stream_exists` that
 * is stricter than what the caller asked (already checked against `head`), and is what keeps
 * two writers from forking the hash chain.
 */
export function pinnedStreamState(expected: ExpectedRevision, head: StreamHead | undefined): AppendStreamState {
  if (expected === 'any' || expected === 'stream_exists') {
    return head ? BigInt(head.revision) : NO_STREAM;
  }
  return toStreamState(expected);
}

export function encodeEnvelope(envelope: StoredEnvelope): Record<string, string> {
  const stored: StoredEnvelope = {
    schemaVersion: envelope.schemaVersion,
    streamVersion: envelope.streamVersion,
    recordedAt: envelope.recordedAt,
    effectiveAt: envelope.effectiveAt,
    metadata: envelope.metadata,
    prevHash: envelope.prevHash,
    hash: envelope.hash,
  };
  return { [ENVELOPE_PROPERTY]: JSON.stringify(stored) };
}

/** The stored envelope of a KurrentDB event, or undefined for an event the ledger did not write. */
export function decodeEnvelope(metadata: unknown): StoredEnvelope | undefined {
  if (metadata === null || typeof metadata !== 'object' || metadata instanceof Uint8Array) return undefined;
  const value = (metadata as Record<string, unknown>)[ENVELOPE_PROPERTY];
  if (typeof value !== 'string') return undefined;
  return JSON.parse(value) as StoredEnvelope;
}

/**
 * A KurrentDB event as the port's RecordedEvent, or undefined for one the ledger did not write
 * (the server may hold other applications' streams). The global position is the event's commit
 * position in the transaction log: increasing, not consecutive.
 */
export function toRecordedEvent(event: KurrentRecordedEvent): RecordedEvent | undefined {
  if (!event.isJson) return undefined;
  const envelope = decodeEnvelope(event.metadata);
  if (!envelope) return undefined;
  if (!event.position) {
    throw new Error(`KurrentDB returned event ${event.id} of ${event.streamId} without its log position`);
  }
  return {
    eventId: event.id,
    type: event.type,
    schemaVersion: envelope.schemaVersion,
    streamId: event.streamId,
    streamVersion: envelope.streamVersion,
    recordedAt: envelope.recordedAt,
    effectiveAt: envelope.effectiveAt,
    data: event.data,
    metadata: envelope.metadata,
    prevHash: envelope.prevHash,
    globalPosition: Number(event.position.commit),
    hash: envelope.hash,
  };
}

/** `$all` strictly after a commit position. Ledger events are single-event commits, so commit = prepare. */
function readPositionAt(position: number): ReadPosition {
  return position <= 0 ? START : { commit: BigInt(position), prepare: BigInt(position) };
}

function isWrongExpectedVersion(error: unknown): error is KurrentWrongExpectedVersionError {
  return error instanceof Error && isCommandError(error) && error.type === ErrorType.WRONG_EXPECTED_VERSION;
}

function isStreamNotFound(error: unknown): boolean {
  return error instanceof Error && isCommandError(error) && error.type === ErrorType.STREAM_NOT_FOUND;
}

/** Connection-level failures a subscription may survive by subscribing again from where it was. */
function isTransient(error: unknown): boolean {
  return (
    error instanceof Error &&
    isCommandError(error) &&
    [ErrorType.UNAVAILABLE, ErrorType.DEADLINE_EXCEEDED, ErrorType.CANCELLED, ErrorType.NOT_LEADER].includes(error.type)
  );
}

/**
 * The event store on KurrentDB (25.1 or later: multi-stream appends use `multiStreamAppend`).
 *
 * Hash chain: KurrentDB stores what it is given, so this adapter seals every event with the
 * shared `sealEvent` on the stream head it has just read (the last event's revision and hash),
 * and asks the server to accept the append only if the stream is still at that revision. A
 * conflict on an `any` or `stream_exists` append therefore means another writer got there first;
 * the adapter reads the new head and seals again, a bounded number of times. Appends to one
 * stream from this process are queued, so such conflicts arise only between processes.
 *
 * Events are never updated or deleted by the adapter; KurrentDB has no update at all.
 */
export class KurrentDbEventStore extends EventStore implements ObservableStore {
  /** Told of every settled append (the server commits; there are no groups to report). */
  private observer: StoreObserver | undefined;
  private readonly client: KurrentClient;
  private readonly pageSize: number;
  private readonly maxResubscribes: number;
  private readonly headRetry;
  /** The tail of each stream's queue of appends from this process. */
  private readonly streamQueues = new Map<string, Promise<void>>();
  private closed = false;

  constructor(private readonly options: KurrentDbEventStoreOptions) {
    super();
    if (options.client) {
      this.client = options.client;
    } else if (options.connectionString) {
      this.client = KurrentDBClient.connectionString(options.connectionString);
    } else {
      throw new Error('KurrentDbEventStore needs a connection string or a client');
    }
    this.pageSize = options.pageSize ?? 500;
    this.maxResubscribes = options.maxResubscribes ?? 10;
    this.headRetry = retry(handleType(StaleHeadError), {
      maxAttempts: options.maxHeadRetries ?? 5,
      backoff: new ExponentialBackoff({ initialDelay: 5, maxDelay: 200 }),
    });
  }

  override get positionsAreGapFree(): boolean {
    return false;
  }

  observe(observer: StoreObserver): void {
    this.observer = observer;
  }

  async appendToStreams(appends: readonly StreamAppend[], metadata: EventMetadata): Promise<AppendResult> {
    if (!this.observer) return this.appendUnobserved(appends, metadata);
    const startedAt = performance.now();
    try {
      const result = await this.appendUnobserved(appends, metadata);
      this.observer.appended((performance.now() - startedAt) / 1000, 'ok');
      return result;
    } catch (error) {
      this.observer.appended((performance.now() - startedAt) / 1000, error instanceof WrongExpectedVersionError ? 'conflict' : 'error');
      throw error;
    }
  }

  private async appendUnobserved(appends: readonly StreamAppend[], metadata: EventMetadata): Promise<AppendResult> {
    if (this.closed) throw new Error('event store is closed');
    validateAppends(appends);
    const normalised = normaliseMetadata(metadata);
    // Ids are fixed once, so a write resent after an ambiguous failure is recognised by the server.
    const withIds = appends.map((append) => ({
      ...append,
      events: append.events.map((event) => ({ ...event, eventId: event.eventId ?? newId() })),
    }));
    return this.queued(
      withIds.map((a) => a.streamId),
      async () => {
        try {
          return await this.headRetry.execute(() => this.appendOnce(withIds, normalised));
        } catch (error) {
          throw error instanceof StaleHeadError ? error.conflict : error;
        }
      },
    );
  }

  /** Reads each stream's head, checks the caller's expectation, seals on the heads, writes. */
  private async appendOnce(appends: readonly StreamAppend[], metadata: EventMetadata): Promise<AppendResult> {
    const heads = await Promise.all(appends.map((append) => this.readHead(append.streamId)));
    appends.forEach((append, i) => checkExpectedRevision(append.streamId, append.expected, heads[i]?.revision));
    const recordedAt = this.options.clock.now().toISOString();
    const requests = appends.map((append, i) => ({
      streamName: append.streamId,
      expectedState: pinnedStreamState(append.expected, heads[i]),
      events: this.seal(append.streamId, append.events, heads[i], recordedAt, metadata),
    }));
    try {
      if (requests.length === 1) {
        const [request] = requests;
        const result = await this.client.appendToStream(request.streamName, request.events, {
          streamState: request.expectedState,
        });
        if (!result.position) throw new Error(`KurrentDB did not report the position of the append to ${request.streamName}`);
        return {
          position: Number(result.position.commit),
          revisions: new Map([[request.streamName, Number(result.nextExpectedRevision)]]),
        };
      }
      const result = await this.client.multiStreamAppend(requests);
      return {
        position: Number(result.position),
        revisions: new Map(result.responses.map((r) => [r.streamName, Number(r.revision)])),
      };
    } catch (error) {
      throw isWrongExpectedVersion(error) ? this.conflict(error, appends) : error;
    }
  }

  /** The server's refusal in the port's terms, or a StaleHeadError when only our pinned head was stale. */
  private conflict(error: KurrentWrongExpectedVersionError, appends: readonly StreamAppend[]): Error {
    const append = appends.find((a) => a.streamId === error.streamName) ?? (appends.length === 1 ? appends[0] : undefined);
    if (!append) return error;
    const actual = fromCurrentStreamState(error.actualState);
    const conflict = new WrongExpectedVersionError(append.streamId, append.expected, actual);
    const callerStillSatisfied =
      append.expected === 'any' || (append.expected === 'stream_exists' && actual !== 'no_stream');
    return callerStillSatisfied ? new StaleHeadError(conflict) : conflict;
  }

  private seal(
    streamId: string,
    events: readonly NewEvent[],
    head: StreamHead | undefined,
    recordedAt: string,
    metadata: EventMetadata,
  ): EventData[] {
    let streamVersion = head?.revision ?? -1;
    let prevHash = head?.hash ?? GENESIS_HASH;
    return events.map((event) => {
      streamVersion += 1;
      const sealed = sealEvent(
        event,
        { streamId, streamVersion, prevHash },
        { eventId: event.eventId ?? newId(), recordedAt, metadata },
      );
      prevHash = sealed.hash;
      return jsonEvent({
        id: sealed.eventId,
        type: sealed.type,
        data: sealed.data as JSONType,
        metadata: encodeEnvelope(sealed),
      });
    });
  }

  private async readHead(streamId: string): Promise<StreamHead | undefined> {
    try {
      for await (const resolved of this.client.readStream(streamId, {
        direction: BACKWARDS,
        fromRevision: END,
        maxCount: 1,
      })) {
        if (!resolved.event) continue;
        const envelope = decodeEnvelope(resolved.event.metadata);
        if (!envelope) throw new Error(`stream ${streamId} ends with an event the ledger did not write`);
        return { revision: Number(resolved.event.revision), hash: envelope.hash };
      }
      return undefined;
    } catch (error) {
      if (isStreamNotFound(error)) return undefined;
      throw error;
    }
  }

  /** Runs `work` after every earlier append from this process to any of `streamIds` has settled. */
  private async queued<T>(streamIds: readonly string[], work: () => Promise<T>): Promise<T> {
    const earlier = streamIds.map((id) => this.streamQueues.get(id)).filter((p): p is Promise<void> => !!p);
    const run = Promise.allSettled(earlier).then(work);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    for (const id of streamIds) this.streamQueues.set(id, settled);
    void settled.then(() => {
      for (const id of streamIds) if (this.streamQueues.get(id) === settled) this.streamQueues.delete(id);
    });
    return run;
  }

  async *readStream(streamId: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    let from = options.fromRevision ?? 0;
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    while (remaining > 0) {
      const want = Math.min(this.pageSize, remaining);
      let got = 0;
      try {
        for await (const resolved of this.client.readStream(streamId, {
          direction: FORWARDS,
          fromRevision: BigInt(from),
          maxCount: want,
        })) {
          if (!resolved.event) continue;
          got += 1;
          from = Number(resolved.event.revision) + 1;
          const event = toRecordedEvent(resolved.event);
          if (!event) throw new Error(`stream ${streamId} holds event ${resolved.event.id} that the ledger did not write`);
          yield event;
        }
      } catch (error) {
        if (isStreamNotFound(error)) return;
        throw error;
      }
      if (got < want) return;
      remaining -= got;
    }
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    let after = options.after ?? 0;
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    while (remaining > 0) {
      let advanced = false;
      // A read from a position includes the event at it: those up to `after` are skipped.
      for await (const resolved of this.client.readAll({
        direction: FORWARDS,
        fromPosition: readPositionAt(after),
        maxCount: this.pageSize,
        filter: USER_EVENTS(),
      })) {
        const raw = resolved.event;
        if (!raw?.position) continue;
        const position = Number(raw.position.commit);
        if (position <= after) continue;
        after = position;
        advanced = true;
        const event = toRecordedEvent(raw);
        if (!event) continue;
        yield event;
        remaining -= 1;
        if (remaining === 0) return;
      }
      if (!advanced) return;
    }
  }

  /**
   * A catch-up subscription to `$all` (the server sends the history, then live events). When the
   * connection breaks it subscribes again from the last delivered position, at most
   * `maxResubscribes` times in a row; any other error ends it.
   */
  async *subscribeToAll(options: SubscribeOptions): AsyncIterable<RecordedEvent> {
    const { signal } = options;
    let after = options.after;
    let failures = 0;
    while (!signal.aborted && !this.closed) {
      const subscription = this.client.subscribeToAll({ fromPosition: readPositionAt(after), filter: USER_EVENTS() });
      const stop = (): void => void subscription.unsubscribe().catch(() => undefined);
      signal.addEventListener('abort', stop, { once: true });
      try {
        for await (const resolved of subscription) {
          if (signal.aborted) return;
          const raw = resolved.event;
          if (!raw?.position) continue;
          const position = Number(raw.position.commit);
          if (position <= after) continue;
          after = position;
          failures = 0;
          const event = toRecordedEvent(raw);
          if (event) yield event;
        }
        return;
      } catch (error) {
        if (signal.aborted || this.closed) return;
        failures += 1;
        if (!isTransient(error) || failures > this.maxResubscribes) throw error;
        await sleepUnlessAborted(Math.min(5000, 100 * 2 ** failures), signal);
      } finally {
        signal.removeEventListener('abort', stop);
        stop();
      }
    }
  }

  async headPosition(): Promise<number> {
    for await (const resolved of this.client.readAll({
      direction: BACKWARDS,
      fromPosition: END,
      maxCount: 1,
      filter: USER_EVENTS(),
    })) {
      if (resolved.event?.position) return Number(resolved.event.position.commit);
    }
    return 0;
  }

  /** One small read of the log's end, bounded in time. */
  async ping(): Promise<void> {
    if (this.closed) throw new Error('event store is closed');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('KurrentDB did not answer within 2 s')), 2000);
    });
    try {
      await Promise.race([this.headPosition(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.streamQueues.values()]);
    await this.client.dispose();
  }
}

