import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { POSTGRES_URL, TestDatabase, admin, createTestDatabase } from '../../../test/support/postgres';
import { SystemClock } from '../../shared/clock';
import { newId } from '../../shared/ids';
import { EventMetadata, GENESIS_HASH, RecordedEvent, computeEventHash, hashedPart } from '../envelope';
import { describeEventStoreContract } from '../event-store.contract';
import { WrongExpectedVersionError } from '../event-store.port';
import { StoreUnavailableError } from '../store-unavailable';
import { LISTENER_NAME, PostgresEventStore } from './postgres-event-store';

/**
 * The shared contract, and what only several processes on one PostgreSQL can show, against a
 * real server when LEDGER_POSTGRES_URL is set (`.ci/run` sets it); skipped otherwise, and
 * test/global-setup.ts says so in one line. This file works in a database of its own.
 */
const suite = POSTGRES_URL ? describe : describe.skip;

const metadata: EventMetadata = { actorId: 'pg-suite', actorRole: 'steward', correlationId: 'c', causationId: 'c' };
const event = (n: number) => ({ type: 'ThingHappened', schemaVersion: 1, data: { n } });

async function collect(iterable: AsyncIterable<RecordedEvent>): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for await (const e of iterable) out.push(e);
  return out;
}

suite('PostgreSQL (LEDGER_POSTGRES_URL)', () => {
  // One database for the file, created by the first test that needs it (tests may open stores concurrently).
  let database: Promise<TestDatabase> | undefined;
  const url = async (): Promise<string> => (await (database ??= createTestDatabase('store'))).url;
  const open = async (extra: Partial<ConstructorParameters<typeof PostgresEventStore>[0]> = {}) => {
    const store = new PostgresEventStore({ connectionString: await url(), clock: new SystemClock(), ...extra });
    await store.whenReady();
    return store;
  };

  afterAll(async () => {
    await (await database)?.drop();
  });

  describeEventStoreContract('PostgreSQL', async () => {
    const store = await open();
    const raw = (sql: string) => async (position: number): Promise<void> => {
      const client = new Client({ connectionString: await url() });
      await client.connect();
      try {
        const { rowCount } = await client.query(sql, [position]);
        if (rowCount !== 1) throw new Error(`no event at position ${position}: the tamper attempt itself is wrong`);
      } finally {
        await client.end();
      }
    };
    return {
      store,
      gapFreePositions: true,
      tamperUpdate: raw(`UPDATE ledger_events SET data = '{"n":999}' WHERE global_position = $1`),
      tamperDelete: raw('DELETE FROM ledger_events WHERE global_position = $1'),
      dispose: () => store.close(),
    };
  });

  describe('several processes on one log', () => {
    let stores: PostgresEventStore[] = [];
    afterEach(async () => {
      await Promise.all(stores.map((s) => s.close()));
      stores = [];
    });
    const openMany = async (n: number, extra = {}) => {
      stores = await Promise.all(Array.from({ length: n }, () => open(extra)));
      return stores;
    };

    it('a reader following the log never sees a position before one below it is visible', async () => {
      const [a, b, reader] = await openMany(3, { pollIntervalMs: 20 });
      const prefix = `order${newId().replace(/-/g, '')}`;
      const start = await reader.headPosition();
      const controller = new AbortController();
      const seen: number[] = [];
      const total = 600;
      const following = (async () => {
        for await (const e of reader.subscribeToAll({ after: start, signal: controller.signal })) {
          seen.push(e.globalPosition);
          if (e.streamId.startsWith(prefix) && seen.length >= total) controller.abort();
        }
      })();
      // Two writers (two connection sets, as two instances), many streams, appends of 1 to 3 events.
      const writes: Array<Promise<unknown>> = [];
      let written = 0;
      for (let i = 0; written < total; i++) {
        const count = Math.min(1 + (i % 3), total - written);
        written += count;
        const store = i % 2 === 0 ? a : b;
        writes.push(store.append(`${prefix}-${i % 17}`, Array.from({ length: count }, (_, j) => event(i * 10 + j)), 'any', metadata));
        if (i % 25 === 0) await new Promise((r) => setImmediate(r));
      }
      await Promise.all(writes);
      await following;
      // Every position the reader saw follows the one before it: none was skipped and seen later.
      expect(seen).toEqual(Array.from({ length: seen.length }, (_, i) => start + 1 + i));
      expect(seen.length).toBe(total);
      // Both writers grouped their appends: fewer transactions than appends.
      expect(a.stats.transactions + b.stats.transactions).toBeLessThan(a.stats.appends + b.stats.appends);
    }, 60_000);

    it('a writer waits while another transaction holds the head, and numbers its events after it', async () => {
      const [store] = await openMany(1);
      const holder = new Client({ connectionString: await url() });
      await holder.connect();
      try {
        // A writer of another process in flight: it holds the head row until it ends.
        await holder.query('BEGIN');
        const { rows } = await holder.query<{ position: string }>('SELECT position FROM ledger_head FOR UPDATE');
        const head = Number(rows[0].position);
        let settled = false;
        const append = store.append(`wait-${newId()}`, [event(1)], 'no_stream', metadata).finally(() => (settled = true));
        await new Promise((r) => setTimeout(r, 300));
        expect(settled).toBe(false);
        // It writes the next position and commits: the waiting append must number after it.
        await holder.query(
          `INSERT INTO ledger_events (global_position, event_id, stream_id, stream_version, type, schema_version,
             recorded_at, effective_at, data, metadata, prev_hash, hash)
           VALUES ($1, $2, $3, 0, 'ThingHappened', 1, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', '{"n":0}', '{}', $4, $4)`,
          [head + 1, newId(), `holder-${newId()}`, GENESIS_HASH],
        );
        await holder.query('UPDATE ledger_head SET position = $1', [head + 1]);
        await holder.query('COMMIT');
        expect((await append).position).toBe(head + 2);
      } finally {
        await holder.end();
      }
    });

    it('two processes racing on one revision: one wins, the other gets a conflict, the chain does not fork', async () => {
      const [a, b] = await openMany(2);
      const s = `race-${newId()}`;
      await a.append(s, [event(0)], 'no_stream', metadata);
      for (let round = 0; round < 10; round++) {
        const results = await Promise.allSettled([a.append(s, [event(1)], round, metadata), b.append(s, [event(2)], round, metadata)]);
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        const lost = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!;
        expect(lost.reason).toBeInstanceOf(WrongExpectedVersionError);
        expect((lost.reason as WrongExpectedVersionError).actual).toBe(round + 1);
      }
      const events = await collect(a.readStream(s));
      expect(events.map((e) => e.streamVersion)).toEqual(Array.from({ length: 11 }, (_, i) => i));
      events.forEach((e, i) => {
        expect(e.prevHash).toBe(i === 0 ? GENESIS_HASH : events[i - 1].hash);
        expect(e.hash).toBe(computeEventHash(hashedPart(e)));
      });
    });

    it('a stream head cached by one process is not trusted after another process wrote', async () => {
      const [a, b] = await openMany(2);
      const s = `cache-${newId()}`;
      await a.append(s, [event(0)], 'no_stream', metadata);
      await b.append(s, [event(1)], 0, metadata);
      // a cached revision 0; it must find revision 1 and chain on it.
      await expect(a.append(s, [event(2)], 0, metadata)).rejects.toBeInstanceOf(WrongExpectedVersionError);
      await a.append(s, [event(2)], 'any', metadata);
      const events = await collect(b.readStream(s));
      expect(events.map((e) => e.streamVersion)).toEqual([0, 1, 2]);
      expect(events[2].prevHash).toBe(events[1].hash);
    });
  });

  describe('group commit', () => {
    it('a failing append in a group fails alone (a duplicate event id): the others are written', async () => {
      const store = await open();
      try {
        const taken = newId();
        await store.append(`dup-${newId()}`, [{ ...event(0), eventId: taken }], 'no_stream', metadata);
        const before = store.stats.transactions;
        const results = await Promise.allSettled(
          Array.from({ length: 8 }, (_, i) =>
            store.append(`dup-${newId()}`, [i === 3 ? { ...event(i), eventId: taken } : event(i)], 'no_stream', metadata),
          ),
        );
        expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
        expect(String((results[3] as PromiseRejectedResult).reason)).toMatch(/duplicate key/);
        expect(store.stats.transactions - before).toBeGreaterThanOrEqual(2);
      } finally {
        await store.close();
      }
    });

    it('refuses text PostgreSQL would not store exactly, before writing', async () => {
      const store = await open();
      try {
        await expect(store.append(`nul-${newId()}`, [{ ...event(0), type: 'a\u0000b' }], 'any', metadata)).rejects.toThrow(TypeError);
        await expect(store.append(`sur-${newId()}\ud800`, [event(0)], 'any', metadata)).rejects.toThrow(TypeError);
        await expect(store.append(`num-${newId()}`, [{ ...event(0), schemaVersion: 1.5 }], 'any', metadata)).rejects.toThrow(TypeError);
      } finally {
        await store.close();
      }
    });
  });

  describe('subscription', () => {
    it('wakes on NOTIFY from another process well before its polling interval', async () => {
      const [writer, reader] = [await open(), await open({ pollIntervalMs: 30_000 })];
      try {
        const head = await reader.headPosition();
        const controller = new AbortController();
        const got = (async () => {
          for await (const e of reader.subscribeToAll({ after: head, signal: controller.signal })) {
            controller.abort();
            return e;
          }
          return undefined;
        })();
        await new Promise((r) => setTimeout(r, 300)); // caught up, listening
        const started = Date.now();
        await writer.append(`notify-${newId()}`, [event(1)], 'no_stream', metadata);
        expect(await got).toBeDefined();
        expect(Date.now() - started).toBeLessThan(5_000);
      } finally {
        await Promise.all([writer.close(), reader.close()]);
      }
    });

    it('keeps delivering by polling when its LISTEN connection is killed', async () => {
      const [writer, reader] = [await open(), await open({ pollIntervalMs: 100 })];
      try {
        const head = await reader.headPosition();
        const controller = new AbortController();
        const seen: number[] = [];
        const following = (async () => {
          for await (const e of reader.subscribeToAll({ after: head, signal: controller.signal })) {
            seen.push((e.data as { n: number }).n);
            if (seen.length === 2) controller.abort();
          }
        })();
        await new Promise((r) => setTimeout(r, 300));
        await admin(await url(), 'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()', [LISTENER_NAME]);
        await writer.append(`poll-${newId()}`, [event(1), event(2)], 'no_stream', metadata);
        await following;
        expect(seen).toEqual([1, 2]);
      } finally {
        await Promise.all([writer.close(), reader.close()]);
      }
    });
  });

  describe('the ledger role', () => {
    it('a role with INSERT and SELECT only cannot UPDATE, DELETE or TRUNCATE events, nor drop the trigger', async () => {
      const owner = await open();
      await owner.close();
      const role = `ledger_app_${randomBytes(4).toString('hex')}`;
      const base = await url();
      await admin(base, `CREATE ROLE ${role} LOGIN`);
      await admin(base, `GRANT SELECT, INSERT ON ledger_events TO ${role}; GRANT SELECT, UPDATE ON ledger_head TO ${role}; GRANT SELECT ON ledger_schema TO ${role}`);
      const asRole = new URL(base);
      asRole.username = role;
      asRole.password = '';
      const store = new PostgresEventStore({ connectionString: asRole.toString(), clock: new SystemClock() });
      const client = new Client({ connectionString: asRole.toString() });
      try {
        const { position } = await store.append(`role-${newId()}`, [event(1)], 'no_stream', metadata);
        await client.connect();
        for (const sql of [
          `UPDATE ledger_events SET data = '{}' WHERE global_position = ${position}`,
          `DELETE FROM ledger_events WHERE global_position = ${position}`,
          'TRUNCATE ledger_events',
          'ALTER TABLE ledger_events DISABLE TRIGGER ledger_events_refuse_change',
          'UPDATE ledger_head SET position = 0',
        ]) {
          await expect(client.query(sql)).rejects.toThrow(/permission denied|must be owner|refused/);
        }
      } finally {
        await client.end().catch(() => undefined);
        await store.close();
        await admin(base, `REASSIGN OWNED BY ${role} TO CURRENT_USER; DROP OWNED BY ${role}; DROP ROLE ${role}`);
      }
    });
  });

  describe('faults', () => {
    it('connections the server ends are STORE.UNAVAILABLE at most once, then replaced', async () => {
      const store = await open();
      try {
        const s = `reconnect-${newId()}`;
        await store.append(s, [event(0)], 'no_stream', metadata);
        await store.headPosition();
        await admin(await url(), "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'mutual-aid-ledger' AND datname = current_database() AND pid <> pg_backend_pid()");
        const first = await store.append(s, [event(1)], 0, metadata).then(
          () => 'written',
          (error: unknown) => error,
        );
        if (first !== 'written') expect(first).toBeInstanceOf(StoreUnavailableError);
        // The broken connection was dropped: the next append (on what the log now says) succeeds.
        await store.append(s, [event(2)], 'any', metadata);
        const events = await collect(store.readStream(s));
        expect(events.length).toBe(first === 'written' ? 3 : 2);
        expect(events[events.length - 1].prevHash).toBe(events[events.length - 2].hash);
      } finally {
        await store.close();
      }
    });

    it('a server that cannot be reached is STORE.UNAVAILABLE, for writes and reads', async () => {
      const store = new PostgresEventStore({ connectionString: 'postgres://nobody@127.0.0.1:1/none', clock: new SystemClock() });
      try {
        await expect(store.append('x', [event(1)], 'any', metadata)).rejects.toBeInstanceOf(StoreUnavailableError);
        await expect(store.headPosition()).rejects.toBeInstanceOf(StoreUnavailableError);
        await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
        expect(store.lastWriteFault()).toMatchObject({ kind: expect.stringMatching(/^POSTGRES_/) });
      } finally {
        await store.close();
      }
    });
  });
});
