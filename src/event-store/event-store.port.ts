import { EventMetadata, NewEvent, RecordedEvent } from './envelope';

/**
 * What a writer expects a stream to look like (the KurrentDB names): no events at all, at least
 * one event, anything, or exactly this revision of its last event (revisions count from 0).
 */
export type ExpectedRevision = 'no_stream' | 'stream_exists' | 'any' | number;

export interface StreamAppend {
  readonly streamId: string;
  readonly expected: ExpectedRevision;
  readonly events: readonly NewEvent[];
}

export interface AppendResult {
  /** Global position of the last event written; a command answers with it. */
  readonly position: number;
  /** The revision of each stream's last event after the append. */
  readonly revisions: ReadonlyMap<string, number>;
}

export interface ReadStreamOptions {
  /** First revision to read (inclusive); default 0. */
  readonly fromRevision?: number;
  readonly maxCount?: number;
}

export interface ReadAllOptions {
  /** Read events strictly after this global position; 0 (the default) reads from the start. */
  readonly after?: number;
  readonly maxCount?: number;
}

export interface SubscribeOptions {
  /** The subscriber's checkpoint: delivery starts strictly after it. */
  readonly after: number;
  readonly signal: AbortSignal;
}

/** A stream's revision did not match what the writer expected. Nothing of that append was written. */
export class WrongExpectedVersionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    readonly actual: number | 'no_stream',
  ) {
    super(`stream ${streamId}: expected ${String(expected)}, actual ${String(actual)}`);
    this.name = 'WrongExpectedVersionError';
  }
}

export const MAX_EVENTS_PER_APPEND = 1000;
export const MAX_STREAM_ID_LENGTH = 200;

/** Throws WrongExpectedVersionError when `actual` (the last revision, or undefined) does not satisfy `expected`. */
export function checkExpectedRevision(
  streamId: string,
  expected: ExpectedRevision,
  actual: number | undefined,
): void {
  const ok =
    expected === 'any' ||
    (expected === 'no_stream' && actual === undefined) ||
    (expected === 'stream_exists' && actual !== undefined) ||
    (typeof expected === 'number' && actual === expected);
  if (!ok) {
    throw new WrongExpectedVersionError(streamId, expected, actual ?? 'no_stream');
  }
}

/** Rejects malformed appends before any adapter touches storage; the same rules for every adapter. */
export function validateAppends(appends: readonly StreamAppend[]): void {
  if (appends.length === 0) {
    throw new RangeError('an append needs at least one stream');
  }
  const seen = new Set<string>();
  let total = 0;
  for (const append of appends) {
    if (append.streamId.length === 0 || append.streamId.length > MAX_STREAM_ID_LENGTH) {
      throw new RangeError(`stream id must have 1 to ${MAX_STREAM_ID_LENGTH} characters`);
    }
    if (seen.has(append.streamId)) {
      throw new RangeError(`stream ${append.streamId} appears twice in one append`);
    }
    seen.add(append.streamId);
    const { expected } = append;
    if (typeof expected === 'number' && (!Number.isSafeInteger(expected) || expected < 0)) {
      throw new RangeError(`expected revision must be a non-negative integer, got ${expected}`);
    }
    if (append.events.length === 0) {
      throw new RangeError(`append to ${append.streamId} has no events`);
    }
    total += append.events.length;
  }
  if (total > MAX_EVENTS_PER_APPEND) {
    throw new RangeError(`at most ${MAX_EVENTS_PER_APPEND} events per append`);
  }
}

/**
 * The event store port, and the Nest injection token. Every adapter passes the shared contract
 * suite in event-store.contract.ts.
 */
export abstract class EventStore {
  /** True where global positions are consecutive integers (a single-writer store); verify then checks for gaps. */
  get positionsAreGapFree(): boolean {
    return false;
  }

  /**
   * True when this process's appends are written in the order `appendToStreams` was called,
   * each checked against its own expected revisions. Then a command may decide against the state
   * left by appends still in flight on a stream it locks (their commit not yet durable): if one
   * of them fails, every append decided after it on that stream expects a revision the stream
   * does not reach, fails its check too and is decided again. This holds as long as no other
   * process writes those streams (the CLI writes only token streams, which commands never lock).
   * False (the safe default) holds a hot stream's lock until the commit.
   */
  get appendsInCallOrder(): boolean {
    return false;
  }

  /** Appends to several streams atomically: every stream's expectation holds and all is written, or nothing is. */
  abstract appendToStreams(appends: readonly StreamAppend[], metadata: EventMetadata): Promise<AppendResult>;

  append(
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
    metadata: EventMetadata,
  ): Promise<AppendResult> {
    return this.appendToStreams([{ streamId, expected, events }], metadata);
  }

  /** A stream's events in revision order; lazily paged, so memory stays bounded. */
  abstract readStream(streamId: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent>;

  /** The global log in position order; lazily paged, so memory stays bounded. */
  abstract readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent>;

  /** Catch-up subscription: every event after the checkpoint, then new events as they are written, until aborted. */
  abstract subscribeToAll(options: SubscribeOptions): AsyncIterable<RecordedEvent>;

  /** Position of the last event in the log (0 when empty). */
  abstract headPosition(): Promise<number>;

  /** Throws when the store cannot serve reads and writes; used by readiness checks. */
  abstract ping(): Promise<void>;

  abstract close(): Promise<void>;
}
