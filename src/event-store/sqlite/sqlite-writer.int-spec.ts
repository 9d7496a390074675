import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SystemClock } from '../../shared/clock';
import { newId } from '../../shared/ids';
import { EventMetadata, GENESIS_HASH, NewEvent, RecordedEvent, computeEventHash, hashedPart } from '../envelope';
import { WrongExpectedVersionError } from '../event-store.port';
import { SqliteEventStore } from './sqlite-event-store';

/**
 * The write path beyond the shared contract: the writer thread caches stream heads between
 * transactions and must notice every write it did not make itself.
 */
describe('SQLite event store writer', () => {
  const metadata: EventMetadata = { actorId: 'test', actorRole: 'steward', correlationId: 'c', causationId: 'c' };
  const event = (n: number, extra: Partial<NewEvent> = {}): NewEvent => ({ type: 'Counted', schemaVersion: 1, data: { n }, ...extra });
  let dir: string;
  let file: string;
  const open: SqliteEventStore[] = [];
  const openStore = (): SqliteEventStore => {
    const store = new SqliteEventStore({ file, clock: new SystemClock() });
    open.push(store);
    return store;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-writer-'));
    file = join(dir, 'events.db');
  });

  afterEach(async () => {
    await Promise.all(open.splice(0).map((store) => store.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  async function readAll(store: SqliteEventStore): Promise<RecordedEvent[]> {
    const out: RecordedEvent[] = [];
    for await (const e of store.readAll()) out.push(e);
    return out;
  }

  /** Every stream a hash chain from genesis with consecutive revisions, the log gap-free. */
  function expectIntact(events: readonly RecordedEvent[]): void {
    expect(events.map((e) => e.globalPosition)).toEqual(events.map((_, i) => i + 1));
    const tips = new Map<string, RecordedEvent>();
    for (const e of events) {
      const previous = tips.get(e.streamId);
      expect(e.streamVersion).toBe(previous ? previous.streamVersion + 1 : 0);
      expect(e.prevHash).toBe(previous ? previous.hash : GENESIS_HASH);
      expect(e.hash).toBe(computeEventHash(hashedPart(e)));
      tips.set(e.streamId, e);
    }
  }

  it('keeps chains and expected revisions exact when another connection writes the same streams', async () => {
    const a = openStore();
    const b = openStore();
    await a.append('s', [event(1)], 'no_stream', metadata);
    // b writes behind a's back: the head of s that a's writer remembers is now stale.
    await b.append('s', [event(2)], 0, metadata);
    await expect(a.append('s', [event(3)], 0, metadata)).rejects.toMatchObject({ expected: 0, actual: 1 });
    expect((await a.append('s', [event(3)], 1, metadata)).revisions.get('s')).toBe(2);
    await expect(b.append('s', [event(4)], 1, metadata)).rejects.toBeInstanceOf(WrongExpectedVersionError);
    expect((await b.append('s', [event(4)], 'any', metadata)).revisions.get('s')).toBe(3);

    // Both at once, on shared streams, with exact revisions read back from the answers.
    const revisions = new Map<string, number>();
    await Promise.all(
      [a, b].map(async (store, writer) => {
        for (let i = 0; i < 60; i++) {
          const stream = `t-${i % 3}`;
          for (;;) {
            const expected = revisions.get(stream) ?? 'no_stream';
            try {
              const result = await store.append(stream, [event(writer * 100 + i)], expected, metadata);
              revisions.set(stream, result.revisions.get(stream)!);
              break;
            } catch (error) {
              // The other store won the race for this revision: read it and try again.
              if (!(error instanceof WrongExpectedVersionError)) throw error;
              revisions.set(stream, error.actual === 'no_stream' ? -1 : error.actual);
            }
          }
        }
      }),
    );
    const events = await readAll(a);
    expect(events).toHaveLength(4 + 120);
    expectIntact(events);
  });

  it('chains an append on the real head when one before it in the same burst failed', async () => {
    const store = openStore();
    await store.append('s', [event(0)], 'no_stream', metadata);
    const [conflicting, chained, exact] = await Promise.allSettled([
      store.append('s', [event(1)], 5, metadata),
      store.append('s', [event(2), event(3)], 'any', metadata),
      store.append('s', [event(4)], 2, metadata),
    ]);
    expect(conflicting.status).toBe('rejected');
    expect(chained).toMatchObject({ status: 'fulfilled', value: { revisions: new Map([['s', 2]]) } });
    expect(exact).toMatchObject({ status: 'fulfilled', value: { revisions: new Map([['s', 3]]) } });
    expectIntact(await readAll(store));
  });

  it('fails an append whose insert fails alone, whether it has one event or several', async () => {
    const store = openStore();
    const taken = newId();
    await store.append('s', [event(0, { eventId: taken })], 'no_stream', metadata);
    const results = await Promise.allSettled([
      store.append('a', [event(1)], 'no_stream', metadata),
      store.append('b', [event(2, { eventId: taken })], 'no_stream', metadata),
      store.append('c', [event(3), event(4, { eventId: taken })], 'no_stream', metadata),
      store.append('d', [event(5)], 'no_stream', metadata),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'SQLITE_CONSTRAINT_UNIQUE' });
    const events = await readAll(store);
    expect(events.map((e) => e.streamId)).toEqual(['s', 'a', 'd']);
    expectIntact(events);
    // The failed streams were left empty, and can be created now.
    await store.append('c', [event(6)], 'no_stream', metadata);
  });

  it('rejects an event that cannot be hashed and stored as given, without holding up the others', async () => {
    const store = openStore();
    const results = await Promise.allSettled([
      store.append('a', [event(1)], 'no_stream', metadata),
      store.append('b', [event(2, { data: { n: Number.NaN } })], 'no_stream', metadata),
      // A number would be hashed as a number but stored as text by the TEXT column.
      store.append('c', [event(3, { type: 7 as unknown as string })], 'no_stream', metadata),
      store.append('d', [event(4), event(5, { schemaVersion: Number.POSITIVE_INFINITY })], 'no_stream', metadata),
      store.append('e', [event(6)], 'no_stream', metadata),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'rejected', 'fulfilled']);
    expect((await readAll(store)).map((e) => e.streamId)).toEqual(['a', 'e']);
  });

  it('fails every append of a group that cannot be written, and writes none of it', async () => {
    const store = new SqliteEventStore({ file, clock: new SystemClock(), busyTimeoutMs: 50 });
    open.push(store);
    await store.append('s', [event(0)], 'no_stream', metadata);
    // Another process holds the write lock for longer than this store waits for it.
    const other = new Database(file);
    other.prepare('BEGIN IMMEDIATE').run();
    const results = await Promise.allSettled([
      store.append('s', [event(1)], 0, metadata),
      store.append('t', [event(2), event(3)], 'no_stream', metadata),
    ]);
    other.prepare('ROLLBACK').run();
    other.close();
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect((results[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'SQLITE_BUSY' });
    expect(await readAll(store)).toHaveLength(1);
    // The store carries on once the lock is free.
    expect((await store.append('s', [event(1)], 0, metadata)).revisions.get('s')).toBe(1);
    expectIntact(await readAll(store));
  });

  it('commits every accepted append before close resolves', async () => {
    const store = openStore();
    const appends = Array.from({ length: 200 }, (_, i) => store.append(`s-${i % 7}`, [event(i)], 'any', metadata));
    await store.close();
    await expect(Promise.all(appends)).resolves.toHaveLength(200);
    await expect(store.append('s-0', [event(0)], 'any', metadata)).rejects.toThrow(/closed/);
    const reopened = openStore();
    const events = await readAll(reopened);
    expect(events).toHaveLength(200);
    expectIntact(events);
  });
});
