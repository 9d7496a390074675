import { createReadStream, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { prepareDataDir } from '../../config';
import { migratePostgresEventStore } from '../../event-store/postgres/postgres-schema';
import { migrateEventStore } from '../../event-store/sqlite/event-store-schema';
import type { RecordedEvent } from '../../event-store/envelope';
import { ExportReport, ExportVerifier } from '../offline/verify-export';
import type { TrustedKey } from './seal-checker';
import { SealKeyStore, type SealKeys } from './seal-keys';
import { publicKeyPem } from './seal-statement';

/**
 * `ledger import`: loads an export into an empty data directory (the embedded store) or an empty
 * log in PostgreSQL (`LEDGER_STORE=postgres`, in one transaction), checking
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

type Row = { event: RecordedEvent; dataText: string; metadataText: string };

/** Where the imported events go: rows in batches, then commit (or abort: nothing stays). */
export interface ImportSink {
  write(rows: readonly Row[]): Promise<void> | void;
  commit(lastPosition: number): Promise<void> | void;
  abort(): Promise<void> | void;
}

/** events.db in the data directory; on abort the file is removed. */
function sqliteSink(dataDir: string): ImportSink {
  const eventsFile = join(dataDir, 'events.db');
  const db = new Database(eventsFile);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  migrateEventStore(db);
  const insert = db.prepare(
    'INSERT INTO events (global_position, event_id, stream_id, stream_version, type, schema_version, recorded_at, effective_at, data, metadata, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  // The data and metadata text exactly as exported: the text the hashes were checked over.
  const write = db.transaction((rows: readonly Row[]) => {
    for (const { event: e, dataText, metadataText } of rows) {
      insert.run(e.globalPosition, e.eventId, e.streamId, e.streamVersion, e.type, e.schemaVersion, e.recordedAt, e.effectiveAt, dataText, metadataText, e.prevHash, e.hash);
    }
  });
  return {
    write,
    commit: () => {
      db.close();
    },
    abort: () => {
      db.close();
      for (const suffix of ['', '-wal', '-shm']) rmSync(eventsFile + suffix, { force: true });
    },
  };
}

/**
 * The log in PostgreSQL: the schema made if need be, then one transaction that holds the head
 * row, refuses a log that is not empty, inserts every event with its own position and text, and
 * moves the head to the last one. Abort rolls it all back.
 */
async function postgresSink(url: string): Promise<ImportSink> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Client } = require('pg') as typeof import('pg');
  const client = new Client({ connectionString: url, application_name: 'mutual-aid-ledger-import' });
  await client.connect();
  try {
    await migratePostgresEventStore(client);
    await client.query('BEGIN');
    const head = await client.query<{ position: string }>('SELECT position FROM ledger_head FOR UPDATE');
    const any = await client.query('SELECT 1 FROM ledger_events LIMIT 1');
    if (Number(head.rows[0]?.position ?? 0) !== 0 || any.rowCount) {
      throw new ImportError('the PostgreSQL log (LEDGER_POSTGRES_URL) already holds events: import needs an empty log');
    }
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    await client.end().catch(() => undefined);
    throw error;
  }
  return {
    async write(rows) {
      const columns: unknown[][] = Array.from({ length: 12 }, () => []);
      for (const { event: e, dataText, metadataText } of rows) {
        [e.globalPosition, e.eventId, e.streamId, e.streamVersion, e.type, e.schemaVersion, e.recordedAt, e.effectiveAt, dataText, metadataText, e.prevHash, e.hash].forEach((v, i) => columns[i].push(v));
      }
      await client.query(
        `INSERT INTO ledger_events (global_position, event_id, stream_id, stream_version, type, schema_version, recorded_at, effective_at, data, metadata, prev_hash, hash)
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::integer[], $5::text[], $6::integer[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[])`,
        columns,
      );
    },
    async commit(lastPosition) {
      await client.query('UPDATE ledger_head SET position = $1', [lastPosition]);
      await client.query('COMMIT');
      await client.end();
    },
    async abort() {
      await client.query('ROLLBACK').catch(() => undefined);
      await client.end().catch(() => undefined);
    },
  };
}

export interface ImportTarget {
  readonly dataDir: string;
  /** The PostgreSQL log (LEDGER_STORE=postgres); the embedded store in dataDir when absent. */
  readonly postgresUrl?: string;
  /** Where the trusted public keys and the signer's record go (seal-keys.db by default; PostgreSQL when instances share it). */
  readonly sealKeys?: () => SealKeys;
}

export async function importExport(file: string, target: string | ImportTarget, keys: readonly TrustedKey[], onProgress?: (events: number, bytes: number, total: number) => void): Promise<ImportResult> {
  const { dataDir, postgresUrl, sealKeys } = typeof target === 'string' ? { dataDir: target } as ImportTarget : target;
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
  const sink = postgresUrl ? await postgresSink(postgresUrl) : sqliteSink(dataDir);
  let ok = false;
  let imported = 0;
  try {
    const verifier = new ExportVerifier({ keys });
    let batch: Row[] = [];
    let bytes = 0;
    const stream = createReadStream(file, { highWaterMark: 1 << 20 });
    for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
      bytes += line.length + 1;
      const event = verifier.feed(line);
      if (verifier.failed) break;
      if (event) batch.push(event);
      if (batch.length >= BATCH) {
        await sink.write(batch);
        imported += batch.length;
        batch = [];
        onProgress?.(imported, bytes, total);
      }
    }
    const report = verifier.finish();
    if (report.ok) {
      if (batch.length > 0) await sink.write(batch);
      imported += batch.length;
      await sink.commit(report.lastPosition);
      ok = true;
      // The keys and the signer's record only once the log is committed: written before it, an
      // import that failed at its commit left them beside an empty log (in PostgreSQL a record of a
      // tree that was never there, which never moves back: TRUNCATED at every start).
      const store = sealKeys ? sealKeys() : new SealKeyStore(join(dataDir, 'seal-keys.db'));
      try {
        const now = new Date();
        for (const k of keys) await store.trust(k.keyId, publicKeyPem(k.key), now);
        const last = report.seals.lastSeal;
        if (last) await store.recordSigned({ treeSize: last.treeSize, rootHash: last.rootHash, lastPosition: last.lastPosition, sealedAt: last.sealedAt, cleanShutdown: false });
      } catch (error) {
        throw new ImportError(
          `the log was imported (${imported} events) but its seal keys could not be recorded (${(error as Error).message}): ` +
            'trust each key with `ledger seal-key --trust <pem>` before starting the service',
        );
      } finally {
        await store.close();
      }
      onProgress?.(imported, total, total);
    }
    return { report, imported: ok ? imported : 0 };
  } finally {
    if (!ok) await sink.abort();
  }
}
