import { EventMetadata, GENESIS_HASH, NewEvent, RecordedEvent, computeEventHash, hashedPart } from './envelope';
import { EventStore, WrongExpectedVersionError } from './event-store.port';
import { newId } from '../shared/ids';

/**
 * The contract every event store adapter must pass, written against the port only. An adapter's
 * spec calls `describeEventStoreContract` with a harness that can also try to alter stored
 * events behind the port's back, which must be refused.
 */
export interface EventStoreHarness {
  readonly store: EventStore;
  /** True where positions are consecutive integers (the embedded store); otherwise only increasing. */
  readonly gapFreePositions: boolean;
  /**
   * Tries to rewrite the data of the event at this position directly in storage. Resolves if the
   * storage allowed it; rejects with an Error whose message says why it was refused.
   */
  tamperUpdate(position: number): Promise<void>;
  /** Tries to delete the event at this position directly in storage; as tamperUpdate. */
  tamperDelete(position: number): Promise<void>;
  dispose(): Promise<void>;
}

const metadata: EventMetadata = {
  actorId: 'contract-suite',
  actorRole: 'steward',
  correlationId: 'corr-1',
  causationId: 'cause-1',
};

function event(n: number, extra: Partial<NewEvent> = {}): NewEvent {
  return { type: 'ThingHappened', schemaVersion: 1, data: { n }, ...extra };
}

async function collect(iterable: AsyncIterable<RecordedEvent>): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for await (const e of iterable) out.push(e);
  return out;
}

/** The memory test needs a real collection between samples; `npm test` starts node with --expose-gc. */
function forceGc(): () => void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run the tests with node --expose-gc (npm test does) so memory can be measured');
  return gc;
}

export function describeEventStoreContract(name: string, makeHarness: () => Promise<EventStoreHarness>): void {
  describe(`EventStore contract: ${name}`, () => {
    let harness: EventStoreHarness;
    let store: EventStore;
    // Streams get a fresh prefix per test so the suite can share one server with other data.
    let prefix: string;
    const stream = (label: string): string => `${prefix}-${label}`;

    beforeEach(async () => {
      harness = await makeHarness();
      store = harness.store;
      prefix = `contract${newId().replace(/-/g, '')}`;
    });

    afterEach(async () => {
      await harness.dispose();
    });

    async function expectConflict(promise: Promise<unknown>, expected: unknown, actual: unknown): Promise<void> {
      const error = await promise.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(WrongExpectedVersionError);
      expect((error as WrongExpectedVersionError).expected).toEqual(expected);
      expect((error as WrongExpectedVersionError).actual).toEqual(actual);
    }

    describe('expected revision', () => {
      it('no_stream creates a stream once and refuses a second creation', async () => {
        const s = stream('a');
        const first = await store.append(s, [event(1), event(2)], 'no_stream', metadata);
        expect(first.revisions.get(s)).toBe(1);
        await expectConflict(store.append(s, [event(3)], 'no_stream', metadata), 'no_stream', 1);
        expect(await collect(store.readStream(s))).toHaveLength(2);
      });

      it('stream_exists refuses an empty stream and accepts an existing one', async () => {
        const s = stream('b');
        await expectConflict(store.append(s, [event(1)], 'stream_exists', metadata), 'stream_exists', 'no_stream');
        expect(await collect(store.readStream(s))).toHaveLength(0);
        await store.append(s, [event(1)], 'no_stream', metadata);
        const result = await store.append(s, [event(2)], 'stream_exists', metadata);
        expect(result.revisions.get(s)).toBe(1);
      });

      it('any accepts an empty and an existing stream', async () => {
        const s = stream('c');
        expect((await store.append(s, [event(1)], 'any', metadata)).revisions.get(s)).toBe(0);
        expect((await store.append(s, [event(2)], 'any', metadata)).revisions.get(s)).toBe(1);
      });

      it('an exact revision must equal the revision of the last event', async () => {
        const s = stream('d');
        await expectConflict(store.append(s, [event(1)], 0, metadata), 0, 'no_stream');
        await store.append(s, [event(1), event(2), event(3)], 'no_stream', metadata);
        await expectConflict(store.append(s, [event(4)], 1, metadata), 1, 2);
        await expectConflict(store.append(s, [event(4)], 3, metadata), 3, 2);
        const ok = await store.append(s, [event(4)], 2, metadata);
        expect(ok.revisions.get(s)).toBe(3);
        expect((await collect(store.readStream(s))).map((e) => (e.data as { n: number }).n)).toEqual([1, 2, 3, 4]);
      });

      it('refuses malformed appends before writing anything', async () => {
        const s = stream('e');
        await expect(store.append(s, [], 'any', metadata)).rejects.toThrow(RangeError);
        await expect(store.append(s, [event(1)], -1, metadata)).rejects.toThrow(RangeError);
        await expect(
          store.appendToStreams(
            [
              { streamId: s, expected: 'any', events: [event(1)] },
              { streamId: s, expected: 'any', events: [event(2)] },
            ],
            metadata,
          ),
        ).rejects.toThrow(RangeError);
        expect(await collect(store.readStream(s))).toHaveLength(0);
      });
    });

    describe('envelope and hash chain', () => {
      it('records the envelope and links each event to the previous one of its stream', async () => {
        const s = stream('env');
        const other = stream('other');
        await store.append(s, [event(1, { effectiveAt: '2025-01-31T00:00:00.000Z' })], 'no_stream', metadata);
        await store.append(other, [event(99)], 'no_stream', metadata);
        await store.append(s, [event(2)], 0, { ...metadata, idempotencyKey: 'key-1' });
        const [e1, e2] = await collect(store.readStream(s));

        expect(e1.eventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(e1).toMatchObject({ type: 'ThingHappened', schemaVersion: 1, streamId: s, streamVersion: 0 });
        expect(e1.effectiveAt).toBe('2025-01-31T00:00:00.000Z');
        expect(e2.effectiveAt).toBe(e2.recordedAt);
        expect(new Date(e1.recordedAt).toISOString()).toBe(e1.recordedAt);
        expect(e1.metadata).toEqual(metadata);
        expect(e2.metadata).toEqual({ ...metadata, idempotencyKey: 'key-1' });

        expect(e1.prevHash).toBe(GENESIS_HASH);
        expect(e2.prevHash).toBe(e1.hash);
        expect(e1.hash).toBe(computeEventHash(hashedPart(e1)));
        expect(e2.hash).toBe(computeEventHash(hashedPart(e2)));
        expect(e2.globalPosition).toBeGreaterThan(e1.globalPosition);
      });

      it('keeps a caller-supplied event id', async () => {
        const id = newId();
        const s = stream('id');
        await store.append(s, [event(1, { eventId: id })], 'no_stream', metadata);
        const [e] = await collect(store.readStream(s));
        expect(e.eventId).toBe(id);
      });
    });

    describe('concurrency', () => {
      it('of two concurrent creators of one stream exactly one wins', async () => {
        const s = stream('race');
        const results = await Promise.allSettled([
          store.append(s, [event(1)], 'no_stream', metadata),
          store.append(s, [event(2)], 'no_stream', metadata),
        ]);
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        expect(rejected).toHaveLength(1);
        expect(rejected[0].reason).toBeInstanceOf(WrongExpectedVersionError);
        expect(await collect(store.readStream(s))).toHaveLength(1);
      });

      it('of many writers racing on one revision exactly one wins, and the losers fail alone', async () => {
        const s = stream('many');
        const bystander = stream('bystander');
        await store.append(s, [event(0)], 'no_stream', metadata);
        const racers = Array.from({ length: 20 }, (_, i) => store.append(s, [event(i + 1)], 0, metadata));
        const innocent = store.append(bystander, [event(1)], 'no_stream', metadata);
        const results = await Promise.allSettled(racers);
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        await expect(innocent).resolves.toBeDefined();
        expect(await collect(store.readStream(s))).toHaveLength(2);
      });

      it('assigns increasing positions without gaps under concurrent appends', async () => {
        const before = await store.headPosition();
        const writes = Array.from({ length: 200 }, (_, i) =>
          store.append(stream(`gap-${i % 20}`), [event(i), event(i + 1000)], 'any', metadata),
        );
        const results = await Promise.all(writes);
        const events = (await collect(store.readAll({ after: before }))).filter((e) => e.streamId.startsWith(prefix));
        expect(events).toHaveLength(400);
        const positions = events.map((e) => e.globalPosition);
        for (let i = 1; i < positions.length; i++) {
          expect(positions[i]).toBeGreaterThan(positions[i - 1]);
          if (harness.gapFreePositions) expect(positions[i]).toBe(positions[i - 1] + 1);
        }
        // Each command's answer is the position of its own last event.
        expect(new Set(results.map((r) => r.position)).size).toBe(200);
        for (const result of results) expect(positions).toContain(result.position);
        // Per-stream revisions stay consecutive too.
        for (let k = 0; k < 20; k++) {
          const revisions = (await collect(store.readStream(stream(`gap-${k}`)))).map((e) => e.streamVersion);
          expect(revisions).toEqual(Array.from({ length: 20 }, (_, i) => i));
        }
      });
    });

    describe('multi-stream append', () => {
      it('writes every stream or none', async () => {
        const a = stream('ma');
        const b = stream('mb');
        await store.append(b, [event(1)], 'no_stream', metadata);

        await expectConflict(
          store.appendToStreams(
            [
              { streamId: a, expected: 'no_stream', events: [event(1), event(2)] },
              { streamId: b, expected: 5, events: [event(2)] },
            ],
            metadata,
          ),
          5,
          0,
        );
        expect(await collect(store.readStream(a))).toHaveLength(0);
        expect(await collect(store.readStream(b))).toHaveLength(1);

        const ok = await store.appendToStreams(
          [
            { streamId: a, expected: 'no_stream', events: [event(1)] },
            { streamId: b, expected: 0, events: [event(2)] },
          ],
          metadata,
        );
        expect(ok.revisions.get(a)).toBe(0);
        expect(ok.revisions.get(b)).toBe(1);
        const [ea] = await collect(store.readStream(a));
        const eb = (await collect(store.readStream(b)))[1];
        expect(ok.position).toBe(Math.max(ea.globalPosition, eb.globalPosition));
      });
    });

    describe('reading', () => {
      it('reads a stream from a revision with a limit, and the log after a position', async () => {
        const s = stream('read');
        await store.append(s, Array.from({ length: 10 }, (_, i) => event(i)), 'no_stream', metadata);
        const part = await collect(store.readStream(s, { fromRevision: 3, maxCount: 4 }));
        expect(part.map((e) => e.streamVersion)).toEqual([3, 4, 5, 6]);

        const all = (await collect(store.readAll())).filter((e) => e.streamId === s);
        expect(all).toHaveLength(10);
        const after = await collect(store.readAll({ after: all[4].globalPosition, maxCount: 3 }));
        expect(after.map((e) => e.globalPosition)).toEqual(all.slice(5, 8).map((e) => e.globalPosition));
        expect(await store.headPosition()).toBeGreaterThanOrEqual(all[9].globalPosition);
        expect(await collect(store.readStream(stream('never-written')))).toEqual([]);
      });

      it('reads a large log in bounded memory', async () => {
        const gc = forceGc();
        const before = await store.headPosition();
        const payload = 'x'.repeat(2000);
        const total = 20000;
        for (let i = 0; i < total; i += 500) {
          const events = Array.from({ length: 500 }, (_, j) => event(i + j, { data: { n: i + j, payload } }));
          await store.append(stream(`big-${i / 500}`), events, 'no_stream', metadata);
        }
        gc();
        const baseline = process.memoryUsage().heapUsed;
        let peak = baseline;
        let count = 0;
        for await (const e of store.readAll({ after: before })) {
          if (!e.streamId.startsWith(prefix)) continue;
          count += 1;
          if (count % 2500 === 0) {
            gc();
            peak = Math.max(peak, process.memoryUsage().heapUsed);
          }
        }
        expect(count).toBe(total);
        // The log holds over 40 MB of data; reading it may hold a page, not the whole of it.
        expect(peak - baseline).toBeLessThan(15 * 1024 * 1024);
      }, 120_000);
    });

    describe('subscription', () => {
      it('delivers everything after the checkpoint, then follows new events until aborted', async () => {
        const s = stream('sub');
        await store.append(s, [event(1), event(2), event(3)], 'no_stream', metadata);
        const existing = await collect(store.readStream(s));
        const controller = new AbortController();
        const seen: number[] = [];
        const done = (async () => {
          for await (const e of store.subscribeToAll({ after: existing[0].globalPosition, signal: controller.signal })) {
            if (e.streamId !== s) continue;
            seen.push((e.data as { n: number }).n);
            if (seen.length === 3) controller.abort();
          }
        })();
        await store.append(s, [event(4)], 2, metadata);
        await done;
        expect(seen).toEqual([2, 3, 4]);
      });
    });

    describe('immutability', () => {
      it('refuses UPDATE and DELETE of stored events', async () => {
        const s = stream('immutable');
        const { position } = await store.append(s, [event(1)], 'no_stream', metadata);
        await expect(harness.tamperUpdate(position)).rejects.toThrow(/refused/i);
        await expect(harness.tamperDelete(position)).rejects.toThrow(/refused/i);
        const [e] = await collect(store.readStream(s));
        expect(e.data).toEqual({ n: 1 });
        expect(e.hash).toBe(computeEventHash(hashedPart(e)));
      });
    });
  });
}
