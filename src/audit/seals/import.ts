import { createReadStream, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { prepareDataDir } from '../../config';
import { migrateEventStore } from '../../event-store/sqlite/event-store-schema';
import type { RecordedEvent } from '../../event-store/envelope';
import { ExportReport, ExportVerifier } from '../offline/verify-export';
import type { TrustedKey } from './seal-checker';
import { SealKeyStore } from './seal-keys';
import { publicKeyPem } from './seal-statement';

/**
 * `ledger import`: loads an export into an empty data directory (the embedded store), checking
 * every line with the offline verifier as it goes. Events are stored exactly as exported (ids,
 * times, hashes, positions): nothing is re-hashed, so every seal in the history still holds. The
 * first problem stops the import and removes what was written. The trusted public keys are
 * recorded in seal-keys.db, so `ledger verify` of the new directory checks the old seals too;
 * the new service signs its own seals with a new key.
 */
export interface ImportResult {
  readonly report: ExportReport;
  readonly imported: number;
}

const BATCH = 5000;

/** A data directory import refuses to load into (the message says why); nothing was written. */
export class ImportError extends Error {
  override readonly name = 'ImportError';
}

/**
 * What may be in the data directory before an import: the ledger's own keys, which no export
 * holds (the sustainers' data keys, the webhook key), copied there to keep them. Anything else
 * (a log, a Merkle tree, read models, checkpoints, seal keys) belongs to some other history.
 */
export const IMPORT_MAY_FIND = ['keys.db', 'webhooks.key'] as const;

export async function importExport(file: string, dataDir: string, keys: readonly TrustedKey[], onProgress?: (events: number, bytes: number, total: number) => void): Promise<ImportResult> {
  const eventsFile = join(dataDir, 'events.db');
  if (existsSync(eventsFile)) throw new ImportError(`${dataDir} already holds a log (events.db): import needs an empty data directory`);
  if (!existsSync(file)) throw new ImportError(`no export at ${file}`);
  // An absent data directory is made, as the service makes it.
  prepareDataDir(dataDir);
  const others = readdirSync(dataDir).filter((name) => !(IMPORT_MAY_FIND as readonly string[]).includes(name));
  if (others.length > 0) {
    throw new ImportError(`${dataDir} is not empty (${others.sort().join(', ')}): import needs an empty data directory (it may hold only ${IMPORT_MAY_FIND.join(' and ')}, the keys an export does not carry)`);
  }
  const total = statSync(file).size;
  const db = new Database(eventsFile);
  let ok = false;
  let imported = 0;
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    migrateEventStore(db);
    const insert = db.prepare(
      'INSERT INTO events (global_position, event_id, stream_id, stream_version, type, schema_version, recorded_at, effective_at, data, metadata, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    // The data and metadata text exactly as exported: the text the hashes were checked over.
    const write = db.transaction((events: Array<{ event: RecordedEvent; dataText: string; metadataText: string }>) => {
      for (const { event: e, dataText, metadataText } of events) {
        insert.run(e.globalPosition, e.eventId, e.streamId, e.streamVersion, e.type, e.schemaVersion, e.recordedAt, e.effectiveAt, dataText, metadataText, e.prevHash, e.hash);
      }
    });
    const verifier = new ExportVerifier({ keys });
    let batch: Array<{ event: RecordedEvent; dataText: string; metadataText: string }> = [];
    let bytes = 0;
    const stream = createReadStream(file, { highWaterMark: 1 << 20 });
    for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
      bytes += line.length + 1;
      const event = verifier.feed(line);
      if (verifier.failed) break;
      if (event) batch.push(event);
      if (batch.length >= BATCH) {
        write(batch);
        imported += batch.length;
        batch = [];
        onProgress?.(imported, bytes, total);
      }
    }
    const report = verifier.finish();
    if (report.ok) {
      if (batch.length > 0) write(batch);
      imported += batch.length;
      onProgress?.(imported, total, total);
      const store = new SealKeyStore(join(dataDir, 'seal-keys.db'));
      try {
        const now = new Date();
        for (const k of keys) store.trust(k.keyId, publicKeyPem(k.key), now);
        const last = report.seals.lastSeal;
        if (last) store.recordSigned({ treeSize: last.treeSize, rootHash: last.rootHash, lastPosition: last.lastPosition, sealedAt: last.sealedAt, cleanShutdown: false });
      } finally {
        store.close();
      }
      ok = true;
    }
    return { report, imported: ok ? imported : 0 };
  } finally {
    db.close();
    if (!ok) for (const suffix of ['', '-wal', '-shm']) rmSync(eventsFile + suffix, { force: true });
  }
}
