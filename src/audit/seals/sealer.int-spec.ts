import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore } from '../../event-store/sqlite/sqlite-event-store';
import { SystemClock } from '../../shared/clock';
import { fromHex, verifyConsistency } from './merkle';
import { MerkleStore } from './merkle-store';
import { SealKeyStore } from './seal-keys';
import { Sealer, SEALER_METADATA } from './sealer';

describe('Sealer: the Merkle follower and the seals', () => {
  let dir: string;
  let store: SqliteEventStore;
  const open = (options: { everyEvents: number; intervalMs: number }) =>
    new Sealer(store, new MerkleStore(join(dir, 'merkle.db')), new SealKeyStore(join(dir, 'seal-keys.db')), options);
  const append = (n: number) =>
    Promise.all(Array.from({ length: n }, (_, i) => store.append(`s-${i % 3}`, [{ type: 'Noted', schemaVersion: 1, data: { i } }], 'any', SEALER_METADATA())));

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-sealer-'));
    store = new SqliteEventStore({ file: join(dir, 'events.db'), clock: new SystemClock(), synchronous: 'NORMAL' });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('seals every N events, links each seal to the one before, and seals nothing when only seals are new', async () => {
    const sealer = open({ everyEvents: 3, intervalMs: 3_600_000 });
    await append(2);
    // Never sealed: the first seal is due at once.
    const first = await sealer.maybeSeal();
    expect(first).toMatchObject({ treeSize: 2, lastPosition: 2, previousSeal: null });
    await append(2);
    expect(await sealer.maybeSeal()).toBeUndefined();
    await append(1);
    const second = await sealer.maybeSeal();
    expect(second).toMatchObject({ treeSize: 6, previousSeal: { treeSize: 2, rootHash: first!.rootHash } });
    expect(await sealer.maybeSeal(true)).toBeUndefined();
    expect(sealer.status()).toMatchObject({ status: 'ok', unsealedEvents: 0, lastSeal: { treeSize: 6 } });
    expect(sealer.sealAgeSeconds()).toBeGreaterThanOrEqual(0);
    // The stored tree answers a consistency proof between the two seals.
    const path = sealer.merkle.consistency(2, 6);
    expect(verifyConsistency(2, 6, fromHex(first!.rootHash)!, fromHex(second!.rootHash)!, path)).toBe(true);
    sealer.close();
  });

  it('notes a seal and a key rotation another process (the CLI) wrote and took into the tree itself', async () => {
    const service = open({ everyEvents: 1_000_000, intervalMs: 3_600_000 });
    await append(2);
    expect(await service.maybeSeal(true)).toMatchObject({ treeSize: 2 });
    // The CLI, on the same data directory: it appends, seals, rotates and seals again, and its
    // follower takes those events into the shared merkle.db before the service looks.
    const cli = open({ everyEvents: 1_000_000, intervalMs: 3_600_000 });
    await append(1);
    const cliSeal = await cli.maybeSeal(true);
    expect(cliSeal).toMatchObject({ treeSize: 4, previousSeal: { treeSize: 2 } });
    const rotation = await cli.rotate();
    await append(1);
    const rotatedSeal = await cli.maybeSeal(true);
    await cli.close();
    await service.catchUp();
    expect(service.status()).toMatchObject({ status: 'ok', unsealedEvents: 0, lastSeal: { treeSize: rotatedSeal!.treeSize } });
    expect((await service.latestSeal())?.data).toEqual(rotatedSeal);
    expect(service.keyRotations()).toEqual([{ ...rotation, position: 6 }]);
    // Its own next seal links to the CLI's, with no refused append in between.
    await append(1);
    expect(await service.maybeSeal(true)).toMatchObject({ previousSeal: { treeSize: rotatedSeal!.treeSize, rootHash: rotatedSeal!.rootHash }, keyId: rotation.newKeyId });
    await service.close();
  });

  it('gives the event loop a turn between batches of a long catch-up (the port binds and /health/live answers meanwhile)', async () => {
    // Two batches and a bit: 5,000 leaves each.
    for (let round = 0; round < 11; round++) {
      await store.appendToStreams(
        Array.from({ length: 1000 }, (_, i) => ({ streamId: `bulk-${round}-${i}`, expected: 'no_stream' as const, events: [{ type: 'Noted', schemaVersion: 1, data: { i } }] })),
        SEALER_METADATA(),
      );
    }
    const sealer = open({ everyEvents: 1_000_000, intervalMs: 3_600_000 });
    let turns = 0;
    const tick = () => {
      turns++;
      if (!done) setImmediate(tick);
    };
    let done = false;
    setImmediate(tick);
    const size = await sealer.catchUp();
    done = true;
    expect(size).toBe(11_000);
    expect(turns).toBeGreaterThanOrEqual(2);
    sealer.close();
  });

  it('after a clean shutdown, refuses to seal an event appended behind its back until accepted', async () => {
    const sealer = open({ everyEvents: 1, intervalMs: 0 });
    await append(3);
    await sealer.started();
    await sealer.shutdown();
    sealer.close();
    await append(1);
    const next = open({ everyEvents: 1, intervalMs: 0 });
    await next.started();
    expect(await next.maybeSeal()).toBeUndefined();
    expect(next.status()).toMatchObject({ status: 'unsealed-tail', problem: { kind: 'UNSEALED_TAIL', position: 5 } });
    next.accept();
    expect(await next.maybeSeal()).toMatchObject({ treeSize: 5 });
    expect(next.status().status).toBe('ok');
    next.close();
  });

  it('finds a log truncated behind its back, even with merkle.db deleted', async () => {
    const sealer = open({ everyEvents: 1, intervalMs: 0 });
    await append(5);
    await sealer.maybeSeal();
    sealer.close();
    await store.close();
    const db = new Database(join(dir, 'events.db'));
    db.exec('DROP TRIGGER events_refuse_delete');
    db.prepare('DELETE FROM events WHERE global_position > 3').run();
    db.close();
    rmSync(join(dir, 'merkle.db'));
    store = new SqliteEventStore({ file: join(dir, 'events.db'), clock: new SystemClock(), synchronous: 'NORMAL' });
    const again = open({ everyEvents: 1, intervalMs: 0 });
    expect(await again.maybeSeal()).toBeUndefined();
    expect(again.status()).toMatchObject({ status: 'failed', problem: { kind: 'TRUNCATED' } });
    again.close();
  });
});
