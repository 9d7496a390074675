/**
 * A verifier thread of `ledger verify` (verify-store.ts): reads a range of the embedded store's
 * rows itself (a read-only connection of its own), recomputes each event's hash and runs the
 * rules that need nothing but the event (postings, catalogue schemas). It answers only what
 * differs: the main thread keeps everything that depends on log order (positions, each stream's
 * revision and link, seals) and takes the stored hash as recomputed wherever none is named.
 *
 * The hash: where the stored data and metadata are their own canonical JSON (the writer stores
 * exactly that text), the hash is computed over that text as the writer did (hashEnvelopeText),
 * which is computeEventHash of the parsed event byte for byte; anywhere else (a text in another
 * form, which an older writer or a hand may have left) it is computed as before, by
 * canonicalising the parsed event. So every row gets the hash the single-threaded verifier gives
 * it. Anything that would have stopped that verifier (a text that is not JSON, a rule that
 * throws, a read that fails) is answered `failed`, and the main thread verifies from the start
 * of the range the way it did before the threads, so the report is the same.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { sequentialReader } from '../../event-store/sqlite/sequential-reader';
import { computeEventHash, hashEnvelopeText, type EventMetadata, type RecordedEvent } from '../../event-store/envelope';
import type { EventCatalogue } from '../../event-store/event-catalogue';
import { isCanonicalJsonText } from '../../shared/canonical-json';
import { ledgerEventRules } from '../event-rules';
import { treeLeafHash } from '../seals/merkle';
import type { EventRule } from './verify-log';

/** Where a thread finds the event catalogue: a module exporting a function that answers it. */
export interface CatalogueSource {
  readonly module: string;
  readonly exportName: string;
}

export interface VerifyWorkerData {
  /** The catalogue whose rules (ledgerEventRules) the thread runs; none when absent. */
  readonly catalogue?: CatalogueSource;
}

export interface RowsTask {
  readonly id: number;
  readonly file: string;
  /** The rows with after < global_position ≤ upTo. */
  readonly after: number;
  readonly upTo: number;
}

export interface RowsResult {
  readonly id: number;
  readonly failed: boolean;
  readonly count: number;
  /** Flat, per event that differs: its index in the range, its recomputed hash, its rule problems (or null). */
  readonly issues: Array<number | string | string[] | null>;
  /**
   * Per row, ROW_FIELDS values: global position, event id, stream id, revision, prevHash, hash,
   * rowid (one flat array crosses threads fastest). The other columns are read again, by rowid,
   * on the main thread for the rare event that needs them (an event of the seal stream, a rule
   * of the caller's own).
   */
  readonly fields: Array<string | number>;
  /** Per row, its Merkle leaf hash (treeLeafHash), 32 bytes each; moved, not copied. */
  readonly leaves: ArrayBuffer;
}

export const ROW_FIELDS = 7;
export const LEAF_BYTES = 32;

export const SELECT_RANGE =
  'SELECT global_position, event_id, stream_id, stream_version, type, schema_version, recorded_at, effective_at, data, metadata, prev_hash, hash, rowid FROM events WHERE global_position > ? AND global_position <= ? ORDER BY global_position';

type Row = [number, string, string, number, string, number, string, string, string, string, string, string, number];

export function loadCatalogue(source: CatalogueSource): EventCatalogue {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const factory = (require(source.module) as Record<string, unknown>)[source.exportName];
  if (typeof factory !== 'function') throw new Error(`${source.module} does not export ${source.exportName}()`);
  return (factory as () => EventCatalogue)();
}

/** The hash verify computes for a stored row (see the file's comment); throws where verify would have failed. */
export function rowHash(row: Row, data: unknown, metadata: unknown): string {
  const [, eventId, streamId, streamVersion, type, schemaVersion, recordedAt, effectiveAt, dataText, metadataText, prevHash] = row;
  if (typeof dataText === 'string' && typeof metadataText === 'string' && isCanonicalJsonText(dataText, data) && isCanonicalJsonText(metadataText, metadata)) {
    return hashEnvelopeText({ eventId, type, schemaVersion, streamId, streamVersion, recordedAt, effectiveAt, data: dataText, metadata: metadataText, prevHash });
  }
  return computeEventHash({ eventId, type, schemaVersion, streamId, streamVersion, recordedAt, effectiveAt, data, metadata: metadata as EventMetadata, prevHash });
}

/**
 * Rows read at a time: few enough that each batch dies young (a scavenge copies what is alive);
 * reading the whole range at once measured 10-20% slower in bench:audit, 64 to 256 the same.
 */
const BATCH = 128;

/**
 * Verifies the rows with after < global_position <= upTo, read a batch at a time (each batch a
 * read of its own: the log only grows, and a range is of positions already written). Anything that
 * would have stopped the single-threaded verifier (a read that fails, a text that is not JSON, a
 * rule that throws) answers `failed`, and the main thread verifies the range itself.
 */
function verifyRange(read: (after: number, upTo: number) => Row[], after: number, upTo: number, rules: readonly EventRule[]): Omit<RowsResult, 'id'> {
  const issues: RowsResult['issues'] = [];
  const fields: RowsResult['fields'] = [];
  const capacity = Math.max(0, upTo - after);
  const leafBytes = new ArrayBuffer(capacity * LEAF_BYTES);
  const leaves = Buffer.from(leafBytes);
  let count = 0;
  try {
    for (let from = after; from < upTo; from += BATCH) {
      for (const row of read(from, Math.min(upTo, from + BATCH))) {
        // More rows than positions in the range (positions that are not whole numbers, or
        // repeated, in a table rebuilt by hand): the main thread verifies this range itself.
        if (count === capacity) throw new RangeError('more rows than positions in the range');
        // As the store reads a row: data first, then metadata.
        const data = JSON.parse(row[8]) as unknown;
        const metadata = JSON.parse(row[9]) as unknown;
        const actual = rowHash(row, data, metadata);
        let problems: string[] | null = null;
        if (rules.length > 0) {
          const event: RecordedEvent = {
            eventId: row[1], type: row[4], schemaVersion: row[5], streamId: row[2], streamVersion: row[3], recordedAt: row[6],
            effectiveAt: row[7], data, metadata: metadata as EventMetadata, prevHash: row[10], globalPosition: row[0], hash: row[11],
          };
          for (const rule of rules) {
            const broken = rule(event);
            if (broken) (problems ??= []).push(broken);
          }
        }
        const wellFormed = actual === row[11];
        if (!wellFormed || problems) issues.push(count, actual, problems);
        treeLeafHash(row[11], wellFormed).copy(leaves, count * LEAF_BYTES);
        fields.push(row[0], row[1], row[2], row[3], row[10], row[11], row[12]);
        count += 1;
      }
    }
  } catch {
    return { failed: true, issues, fields, count, leaves: leafBytes };
  }
  return { failed: false, issues, fields, count, leaves: leafBytes };
}

if (parentPort) {
  const port = parentPort;
  const options = workerData as VerifyWorkerData;
  const rules = options.catalogue ? ledgerEventRules(loadCatalogue(options.catalogue)) : [];
  let db: Database.Database | undefined;
  let select: Database.Statement<[number, number], Row> | undefined;
  const read = (after: number, upTo: number): Row[] => (select ??= db!.prepare<[number, number], Row>(SELECT_RANGE).raw()).all(after, upTo);
  port.on('message', (task: RowsTask) => {
    let result: RowsResult;
    try {
      db ??= sequentialReader(task.file);
      result = { id: task.id, ...verifyRange(read, task.after, task.upTo, rules) };
    } catch {
      // The file could not be opened.
      result = { id: task.id, failed: true, count: 0, issues: [], fields: [], leaves: new ArrayBuffer(0) };
    }
    port.postMessage(result, [result.leaves]);
  });
}
