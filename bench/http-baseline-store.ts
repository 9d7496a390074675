/**
 * The durable part of bench:http's baselines (bench/http-baseline.ts and bench/http-nest-floor.ts):
 * the event hashed (RFC 8785 canonical JSON, SHA-256, chained per fund like the ledger) and
 * inserted into SQLite (WAL, synchronous=FULL) with group commit: the requests that arrive while a
 * commit runs are written together by the next one, and each answer waits for the commit that
 * holds its row.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { canonicalJson, sha256Hex } from '../src/shared/canonical-json';

export interface BaselineGift { sustainerId: string; fundId: string; amountMinor: number; currency: string; method: string; effectiveAt: string }

interface Pending { stream: string; data: string; resolve: (position: number) => void; reject: (e: unknown) => void }

/** Opens `<dir>/<file>` and gives the function that records a gift durably and answers as the service does. */
export function openBaselineStore(dir: string, file: string): (gift: BaselineGift) => Promise<{ movementId: string; status: 'posted'; position: number }> {
  const db = new Database(join(dir, file));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`CREATE TABLE IF NOT EXISTS events (position INTEGER PRIMARY KEY, stream TEXT NOT NULL, version INTEGER NOT NULL,
    data TEXT NOT NULL, hash TEXT NOT NULL, UNIQUE (stream, version))`);
  const insert = db.prepare('INSERT INTO events (stream, version, data, hash) VALUES (?, ?, ?, ?)');
  const heads = new Map<string, { version: number; hash: string }>();
  let queue: Pending[] = [];
  let scheduled = false;

  const commit = db.transaction((batch: Pending[]) =>
    batch.map((p) => {
      const head = heads.get(p.stream) ?? { version: -1, hash: '0'.repeat(64) };
      const hash = sha256Hex(head.hash + p.data);
      const { lastInsertRowid } = insert.run(p.stream, head.version + 1, p.data, hash);
      heads.set(p.stream, { version: head.version + 1, hash });
      return Number(lastInsertRowid);
    }),
  );

  const flush = (): void => {
    scheduled = false;
    const batch = queue;
    queue = [];
    try {
      const positions = commit(batch);
      batch.forEach((p, i) => p.resolve(positions[i]));
    } catch (e) {
      for (const p of batch) p.reject(e);
    }
  };

  const append = (stream: string, data: string): Promise<number> =>
    new Promise((resolve, reject) => {
      queue.push({ stream, data, resolve, reject });
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    });

  return async (gift) => {
    const movementId = randomUUID();
    const event = { eventId: randomUUID(), type: 'DonationReceived', streamId: `movement-${movementId}`, data: gift, recordedAt: new Date().toISOString() };
    const position = await append(`fund-${gift.fundId}`, canonicalJson(event));
    return { movementId, status: 'posted', position };
  };
}
