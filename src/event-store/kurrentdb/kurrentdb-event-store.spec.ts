/**
 * The KurrentDB adapter's own logic (hash chaining on the read head, pinned expectations, the
 * bounded re-seal on a moved head, error mapping, paging, envelope round trip), checked here
 * without a server: the client is replaced by a small in-memory stand-in that follows the
 * client's documented semantics (inclusive `$all` reads from a position, exclusive subscription
 * start, the client's own error classes). This is NOT a KurrentDB test: the contract suite
 * against a real server is kurrentdb-event-store.int-spec.ts, run when
 * KURRENTDB_CONNECTION_STRING is set.
 */
import { EventEmitter, once } from 'node:events';
import {
  ANY,
  BACKWARDS,
  END,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError as KurrentWrongExpectedVersionError,
  type AppendStreamRequest,
  type AppendStreamState,
  type EventData,
  type Filter,
  type Position,
  type ReadPosition,
} from '@kurrent/kurrentdb-client';
import { SystemClock } from '../../shared/clock';
import { GENESIS_HASH, computeEventHash, hashedPart, type EventMetadata, type RecordedEvent } from '../envelope';
import { describeEventStoreContract } from '../event-store.contract';
import { WrongExpectedVersionError } from '../event-store.port';
import {
  ENVELOPE_PROPERTY,
  KurrentDbEventStore,
  decodeEnvelope,
  encodeEnvelope,
  fromCurrentStreamState,
  pinnedStreamState,
  toStreamState,
  type KurrentClient,
} from './kurrentdb-event-store';

interface StoredRecord {
  readonly streamId: string;
  readonly id: string;
  readonly type: string;
  readonly revision: bigint;
  readonly data: string;
  readonly metadata: string;
  readonly position: Position;
}

/** An in-memory stand-in for the few client calls the adapter makes. Positions grow by uneven steps. */
class StandInClient {
  private readonly log: StoredRecord[] = [];
  private readonly streams = new Map<string, StoredRecord[]>();
  private readonly appended = new EventEmitter();
  private nextPosition = 1000;

  constructor() {
    this.appended.setMaxListeners(0);
  }

  private check(streamName: string, expected: AppendStreamState): void {
    const records = this.streams.get(streamName);
    const current = records ? records[records.length - 1].revision : undefined;
    const ok =
      expected === ANY ||
      (expected === NO_STREAM && current === undefined) ||
      (expected === STREAM_EXISTS && current !== undefined) ||
      (typeof expected === 'bigint' && current === expected);
    if (!ok) {
      throw new KurrentWrongExpectedVersionError(undefined, {
        streamName,
        expected,
        current: current ?? NO_STREAM,
      });
    }
  }

  private write(streamName: string, events: EventData[]): { revision: bigint; position: Position } {
    const records = this.streams.get(streamName) ?? [];
    this.streams.set(streamName, records);
    let last: StoredRecord | undefined;
    for (const event of events) {
      this.nextPosition += 37 + (this.log.length % 5);
      last = {
        streamId: streamName,
        id: event.id,
        type: event.type,
        revision: BigInt(records.length),
        data: JSON.stringify(event.data),
        metadata: JSON.stringify(event.metadata),
        position: { commit: BigInt(this.nextPosition), prepare: BigInt(this.nextPosition) },
      };
      records.push(last);
      this.log.push(last);
    }
    return { revision: last!.revision, position: last!.position };
  }

  private resolved(record: StoredRecord) {
    return {
      event: {
        streamId: record.streamId,
        id: record.id,
        isJson: true as const,
        revision: record.revision,
        type: record.type,
        created: new Date(),
        data: JSON.parse(record.data),
        metadata: JSON.parse(record.metadata),
        position: record.position,
      },
      commitPosition: record.position.commit,
    };
  }

  // Writes wait one turn of the event loop, so concurrent callers really interleave.
  appendToStream = async (streamName: string, events: EventData | EventData[], options: { streamState?: AppendStreamState } = {}) => {
    await new Promise((resolve) => setImmediate(resolve));
    const list = Array.isArray(events) ? events : [events];
    this.check(streamName, options.streamState ?? ANY);
    const { revision, position } = this.write(streamName, list);
    this.appended.emit('appended');
    return { success: true, nextExpectedRevision: revision, position };
  };

  multiStreamAppend = async (requests: AppendStreamRequest[]) => {
    await new Promise((resolve) => setImmediate(resolve));
    for (const request of requests) {
      for (const event of request.events) {
        const values = Object.values((event.metadata ?? {}) as Record<string, unknown>);
        if (values.some((v) => typeof v !== 'string')) throw new Error('multiStreamAppend metadata must hold strings');
      }
    }
    for (const request of requests) this.check(request.streamName, request.expectedState);
    const responses = requests.map((r) => ({ streamName: r.streamName, revision: this.write(r.streamName, r.events).revision }));
    this.appended.emit('appended');
    return { position: this.log[this.log.length - 1].position.commit, responses };
  };

  readStream = (
    streamName: string,
    options: { direction?: string; fromRevision?: bigint | typeof START | typeof END; maxCount?: number | bigint } = {},
  ) => {
    const self = this;
    return (async function* () {
      await Promise.resolve();
      const records = self.streams.get(streamName);
      if (!records) throw new StreamNotFoundError(undefined, streamName);
      const max = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
      if (options.direction === BACKWARDS) {
        const from = options.fromRevision === END || options.fromRevision === undefined ? records.length - 1 : Number(options.fromRevision);
        for (let i = from, n = 0; i >= 0 && n < max; i--, n++) yield self.resolved(records[i]);
      } else {
        const from = typeof options.fromRevision === 'bigint' ? Number(options.fromRevision) : 0;
        for (let i = from, n = 0; i < records.length && n < max; i++, n++) yield self.resolved(records[i]);
      }
    })();
  };

  private matches(record: StoredRecord, filter?: Filter): boolean {
    if (!filter) return true;
    if (!('regex' in filter)) throw new Error('the stand-in knows regex filters only');
    return new RegExp(filter.regex).test(record.type);
  }

  readAll = (options: { direction?: string; fromPosition?: ReadPosition; maxCount?: number | bigint; filter?: Filter } = {}) => {
    const self = this;
    return (async function* () {
      await Promise.resolve();
      const max = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
      let n = 0;
      if (options.direction === BACKWARDS) {
        for (let i = self.log.length - 1; i >= 0 && n < max; i--) {
          if (self.matches(self.log[i], options.filter)) {
            n++;
            yield self.resolved(self.log[i]);
          }
        }
        return;
      }
      const from = options.fromPosition;
      // Inclusive of the event at the position, like the server.
      const start = from === undefined || from === START ? 0n : from === END ? BigInt(Number.MAX_SAFE_INTEGER) : from.commit;
      for (const record of self.log) {
        if (n >= max) return;
        if (record.position.commit < start || !self.matches(record, options.filter)) continue;
        n++;
        yield self.resolved(record);
      }
    })();
  };

  subscribeToAll = (options: { fromPosition?: ReadPosition; filter?: Filter } = {}) => {
    const self = this;
    const stop = new AbortController();
    const from = options.fromPosition;
    // Exclusive of the event at the position, like the server.
    let after = from === undefined || from === START ? -1n : from === END ? BigInt(Number.MAX_SAFE_INTEGER) : from.commit;
    const iterator = (async function* () {
      while (!stop.signal.aborted) {
        const fresh = self.log.filter((r) => r.position.commit > after);
        for (const record of fresh) {
          after = record.position.commit;
          if (self.matches(record, options.filter)) yield self.resolved(record);
        }
        if (fresh.length === 0) {
          await once(self.appended, 'appended', { signal: stop.signal }).catch(() => undefined);
        }
      }
    })();
    return Object.assign(iterator, { unsubscribe: async () => stop.abort() });
  };

  dispose = async (): Promise<void> => undefined;
}

function standIn(client: StandInClient): KurrentClient {
  return client as unknown as KurrentClient;
}

const metadata: EventMetadata = { actorId: 'a', actorRole: 'steward', correlationId: 'c', causationId: 'c' };

async function collect(iterable: AsyncIterable<RecordedEvent>): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for await (const e of iterable) out.push(e);
  return out;
}

describeEventStoreContract('KurrentDB adapter over an in-memory stand-in client (not a server)', async () => {
  const store = new KurrentDbEventStore({ client: standIn(new StandInClient()), clock: new SystemClock(), pageSize: 100 });
  return {
    store,
    gapFreePositions: false,
    tamperUpdate: () => Promise.reject(new Error('refused: no update exists')),
    tamperDelete: () => Promise.reject(new Error('refused: not attempted')),
    dispose: () => store.close(),
  };
});

describe('KurrentDB adapter mapping', () => {
  it('maps each expected revision to the client constant, one to one', () => {
    expect(toStreamState('no_stream')).toBe(NO_STREAM);
    expect(toStreamState('stream_exists')).toBe(STREAM_EXISTS);
    expect(toStreamState('any')).toBe(ANY);
    expect(toStreamState(7)).toBe(7n);
    expect(fromCurrentStreamState(NO_STREAM)).toBe('no_stream');
    expect(fromCurrentStreamState(12n)).toBe(12);
  });

  it('pins any and stream_exists to the head the events were chained on', () => {
    expect(pinnedStreamState('any', undefined)).toBe(NO_STREAM);
    expect(pinnedStreamState('any', { revision: 4, hash: 'h' })).toBe(4n);
    expect(pinnedStreamState('stream_exists', { revision: 0, hash: 'h' })).toBe(0n);
    expect(pinnedStreamState('no_stream', undefined)).toBe(NO_STREAM);
    expect(pinnedStreamState(3, { revision: 3, hash: 'h' })).toBe(3n);
  });

  it('stores the envelope as one string property, as multiStreamAppend requires, and reads it back exactly', () => {
    const envelope = {
      schemaVersion: 2,
      streamVersion: 5,
      recordedAt: '2025-01-01T00:00:00.000Z',
      effectiveAt: '2024-12-31T00:00:00.000Z',
      metadata: { ...metadata, idempotencyKey: 'k' },
      prevHash: GENESIS_HASH,
      hash: 'f'.repeat(64),
    };
    const encoded = encodeEnvelope(envelope);
    expect(Object.keys(encoded)).toEqual([ENVELOPE_PROPERTY]);
    expect(typeof encoded[ENVELOPE_PROPERTY]).toBe('string');
    expect(decodeEnvelope(JSON.parse(JSON.stringify(encoded)))).toEqual(envelope);
    expect(decodeEnvelope({ other: 'x' })).toBeUndefined();
    expect(decodeEnvelope(new Uint8Array([1]))).toBeUndefined();
  });
});

describe('KurrentDB adapter with two processes on one server (stand-in)', () => {
  it('re-seals an any append on the moved head, so the chain never forks', async () => {
    const server = new StandInClient();
    const a = new KurrentDbEventStore({ client: standIn(server), clock: new SystemClock(), maxHeadRetries: 20 });
    const b = new KurrentDbEventStore({ client: standIn(server), clock: new SystemClock(), maxHeadRetries: 20 });
    const writes = Array.from({ length: 20 }, (_, i) =>
      (i % 2 ? a : b).append('shared', [{ type: 'ThingHappened', schemaVersion: 1, data: { i } }], 'any', metadata),
    );
    await Promise.all(writes);
    const events = await collect(a.readStream('shared'));
    expect(events.map((e) => e.streamVersion)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    events.forEach((e, i) => {
      expect(e.prevHash).toBe(i === 0 ? GENESIS_HASH : events[i - 1].hash);
      expect(e.hash).toBe(computeEventHash(hashedPart(e)));
    });
  });

  it('gives up after the bounded re-seals with the port conflict error', async () => {
    const server = new StandInClient();
    const a = new KurrentDbEventStore({ client: standIn(server), clock: new SystemClock(), maxHeadRetries: 0 });
    const b = new KurrentDbEventStore({ client: standIn(server), clock: new SystemClock(), maxHeadRetries: 0 });
    await a.append('s', [{ type: 'T', schemaVersion: 1, data: {} }], 'no_stream', metadata);
    const results = await Promise.allSettled([
      a.append('s', [{ type: 'T', schemaVersion: 1, data: {} }], 'any', metadata),
      b.append('s', [{ type: 'T', schemaVersion: 1, data: {} }], 'any', metadata),
    ]);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected).toHaveLength(1);
    expect(rejected[0].reason).toBeInstanceOf(WrongExpectedVersionError);
    expect(rejected[0].reason).toMatchObject({ streamId: 's', expected: 'any', actual: 1 });
  });

  it('maps the server refusal of an exact revision raced by another process', async () => {
    const server = new StandInClient();
    const a = new KurrentDbEventStore({ client: standIn(server), clock: new SystemClock() });
    const b = new KurrentDbEventStore({ client: standIn(server), clock: new SystemClock() });
    await a.append('x', [{ type: 'T', schemaVersion: 1, data: {} }], 'no_stream', metadata);
    const results = await Promise.allSettled([
      a.append('x', [{ type: 'T', schemaVersion: 1, data: {} }], 0, metadata),
      b.append('x', [{ type: 'T', schemaVersion: 1, data: {} }], 0, metadata),
    ]);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected).toHaveLength(1);
    expect(rejected[0].reason).toMatchObject({ streamId: 'x', expected: 0, actual: 1 });
  });
});
