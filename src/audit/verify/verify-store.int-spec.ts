import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { EventMetadata, GENESIS_HASH, hashEnvelopeText, sealEvent } from '../../event-store/envelope';
import { migrateEventStore } from '../../event-store/sqlite/event-store-schema';
import { SqliteEventStore } from '../../event-store/sqlite/sqlite-event-store';
import { LEDGER_CATALOGUE } from '../../composition';
import { canonicalJson } from '../../shared/canonical-json';
import { SystemClock } from '../../shared/clock';
import { newId } from '../../shared/ids';
import { SealChecker } from '../seals/seal-checker';
import { verifyStore } from './verify-store';

/**
 * verifyStore in verifier threads gives the report the single-threaded verifier gives, on a log
 * of more than two ranges, untouched and tampered in every way the threads treat specially: the
 * stored text changed, rewritten in another form of the same JSON, rehashed over a form that is
 * not canonical, made unreadable as JSON, keys the engine enumerates out of text order, rows
 * removed, rules broken, and more problems than the report keeps.
 */
const EVENTS = 9000;
const STREAMS = 50;
const recordedAt = '2026-11-30T10:00:00.000Z';

function build(file: string): void {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  migrateEventStore(db);
  const insert = db.prepare(
    'INSERT INTO events (global_position, event_id, stream_id, stream_version, type, schema_version, recorded_at, effective_at, data, metadata, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const heads = new Map<string, { version: number; hash: string }>();
  db.transaction(() => {
    for (let i = 1; i <= EVENTS; i++) {
      const streamId = `movement-${i % STREAMS}`;
      const head = heads.get(streamId);
      const metadata: EventMetadata = { actorId: 'test', actorRole: 'steward', correlationId: newId(), causationId: newId() };
      const posted = i % 2 === 0;
      const data = posted
        ? { movementId: newId(), kind: 'income', postings: [{ from: `income:grant-${i % 3}`, to: 'fund:general', amountMinor: 100 + i, asset: 'USD' }], effectiveAt: recordedAt }
        : { movementId: newId(), rejectedBy: 'test', reason: `refused ${i}` };
      const event = sealEvent(
        { type: posted ? 'MovementPosted' : 'MovementRejected', schemaVersion: 1, data },
        { streamId, streamVersion: head ? head.version + 1 : 0, prevHash: head?.hash ?? GENESIS_HASH },
        { eventId: newId(), recordedAt, metadata },
      );
      insert.run(i, event.eventId, streamId, event.streamVersion, event.type, 1, recordedAt, event.effectiveAt, canonicalJson(data), canonicalJson(metadata), event.prevHash, event.hash);
      heads.set(streamId, { version: event.streamVersion, hash: event.hash });
    }
  })();
  db.close();
}

describe('verifyStore in threads', () => {
  let dir: string;
  let pristine: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-verify-store-'));
    pristine = join(dir, 'pristine.db');
    build(pristine);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  let copies = 0;
  /** A tampered copy, verified with 0, 1 and 2 threads: every report must be the same. */
  async function reports(tamper: (db: Database.Database) => void) {
    const file = join(dir, `copy-${++copies}.db`);
    copyFileSync(pristine, file);
    const db = new Database(file);
    db.exec('DROP TRIGGER IF EXISTS events_refuse_update; DROP TRIGGER IF EXISTS events_refuse_delete;');
    tamper(db);
    db.close();
    const store = new SqliteEventStore({ file, clock: new SystemClock() });
    try {
      const out = [];
      const trees = [];
      for (const workers of [0, 1, 2]) {
        // The Merkle tree too: in threads, its leaves come computed from the threads.
        const seals = new SealChecker([]);
        out.push(await verifyStore(store, { catalogue: LEDGER_CATALOGUE, rules: [seals.check], workers }));
        trees.push(seals.summary());
      }
      expect(out[1]).toEqual(out[0]);
      expect(out[2]).toEqual(out[0]);
      expect(trees[1]).toEqual(trees[0]);
      expect(trees[2]).toEqual(trees[0]);
      expect(trees[0].treeSize).toBe(out[0].eventsChecked);
      return out[0];
    } finally {
      await store.close();
    }
  }

  const row = (db: Database.Database, position: number) =>
    db.prepare<[number], Record<string, string | number>>('SELECT * FROM events WHERE global_position = ?').get(position)!;
  const setData = (db: Database.Database, position: number, text: string) => db.prepare('UPDATE events SET data = ? WHERE global_position = ?').run(text, position);

  it('passes the untouched log, more than two ranges of it', async () => {
    const report = await reports(() => undefined);
    expect(report).toMatchObject({ ok: true, eventsChecked: EVENTS, streamsChecked: STREAMS, lastPosition: EVENTS, problems: [] });
  }, 60_000);

  it('names an edited row (at a range boundary and inside a range) as a hash mismatch', async () => {
    const report = await reports((db) => {
      for (const p of [4096, 4097, 8000]) setData(db, p, JSON.stringify({ ...JSON.parse(String(row(db, p).data)), reason: 'edited' }));
    });
    expect(report.problems.map((p) => [p.kind, p.position])).toEqual([
      ['HASH_MISMATCH', 4096],
      ['EVENT_RULE', 4096],
      ['HASH_MISMATCH', 4097],
      ['HASH_MISMATCH', 8000],
      ['EVENT_RULE', 8000],
    ]);
  }, 60_000);

  it('takes a malformed stored hash (not hex, upper-case hex) as zeros in the tree, as the single-threaded verifier does', async () => {
    const report = await reports((db) => {
      db.prepare('UPDATE events SET hash = ? WHERE global_position = ?').run('not a hash', 100);
      db.prepare('UPDATE events SET hash = upper(hash) WHERE global_position = ?').run(2049);
    });
    expect(report.problems.filter((p) => p.kind === 'HASH_MISMATCH').map((p) => p.position)).toEqual([100, 2049]);
  }, 60_000);

  // A table rebuilt by hand without its primary key: positions that are not whole numbers put
  // more rows than positions in a range, and a repeated position names two rows.
  const rebuildWithoutKey = (db: Database.Database) =>
    db.exec('CREATE TABLE events_copy AS SELECT * FROM events; DROP TABLE events; ALTER TABLE events_copy RENAME TO events;');

  it('gives the same report on a table rebuilt with positions that are not whole numbers', async () => {
    const report = await reports((db) => {
      rebuildWithoutKey(db);
      db.exec('UPDATE events SET global_position = global_position / 2.0');
    });
    expect(report.ok).toBe(false);
    expect(report.eventsChecked).toBe(EVENTS);
  }, 60_000);

  it('gives the same report on a table rebuilt with a position repeated by a different row', async () => {
    const report = await reports((db) => {
      rebuildWithoutKey(db);
      db.exec(
        "INSERT INTO events SELECT global_position, 'dup-' || event_id, stream_id, stream_version, type, schema_version, recorded_at, effective_at, data, metadata, prev_hash, hash FROM events WHERE global_position IN (100, 2048)",
      );
    });
    expect(report.problems.some((p) => p.eventId?.startsWith('dup-'))).toBe(true);
  }, 60_000);

  it('accepts the same JSON stored in another form (spaces, member order), as re-canonicalising always did', async () => {
    const report = await reports((db) => {
      const data = JSON.parse(String(row(db, 10).data)) as Record<string, unknown>;
      setData(db, 10, JSON.stringify(data, null, 2));
      const reversed = Object.fromEntries(Object.entries(JSON.parse(String(row(db, 11).metadata)) as object).reverse());
      db.prepare('UPDATE events SET metadata = ? WHERE global_position = 11').run(JSON.stringify(reversed));
    });
    expect(report.ok).toBe(true);
  }, 60_000);

  it('refuses a row rehashed over a text that is not canonical, at that row', async () => {
    const report = await reports((db) => {
      const r = row(db, 21);
      const text = ` ${String(r.data)}`;
      const hash = hashEnvelopeText({
        eventId: String(r.event_id), type: String(r.type), schemaVersion: Number(r.schema_version), streamId: String(r.stream_id), streamVersion: Number(r.stream_version),
        recordedAt: String(r.recorded_at), effectiveAt: String(r.effective_at), data: text, metadata: String(r.metadata), prevHash: String(r.prev_hash),
      });
      db.prepare('UPDATE events SET data = ?, hash = ? WHERE global_position = 21').run(text, hash);
    });
    expect(report.firstProblem).toMatchObject({ kind: 'HASH_MISMATCH', position: 21 });
    // The next event of its stream links to the hash that was there before.
    expect(report.problems.map((p) => [p.kind, p.position])).toEqual([['HASH_MISMATCH', 21], ['BROKEN_LINK', 21 + STREAMS]]);
  }, 60_000);

  it('hashes keys the engine enumerates out of text order the library way ("10" before "9")', async () => {
    const report = await reports((db) => setData(db, 31, '{"10":1,"9":2}'));
    expect(report.problems.map((p) => p.kind)).toEqual(['HASH_MISMATCH', 'EVENT_RULE']);
  }, 60_000);

  it('reports a row whose data is not JSON as unreadable, after checking every event before it', async () => {
    const report = await reports((db) => setData(db, 5000, '{"movementId":'));
    expect(report.firstProblem).toMatchObject({ kind: 'UNREADABLE', position: 5000, lastReadPosition: 4999, unreadableTo: 5000, nextReadablePosition: 5001 });
    expect(report.eventsChecked).toBe(4999);
  }, 60_000);

  it('reports removed rows and broken rules in log order, and keeps the first 100 problems', async () => {
    const report = await reports((db) => {
      db.prepare('DELETE FROM events WHERE global_position IN (100, 6000)').run();
      db.prepare("UPDATE events SET type = 'NoSuchEvent' WHERE global_position = 7000").run();
      for (let p = 200; p < 400; p += 2) setData(db, p, '{"postings":[]}');
    });
    expect(report.ok).toBe(false);
    expect(report.problems).toHaveLength(100);
    expect(report.problems.slice(0, 3).map((p) => [p.kind, p.position])).toEqual([['POSITION_GAP', 101], ['VERSION_GAP', 150], ['BROKEN_LINK', 150]]);
  }, 60_000);
});
