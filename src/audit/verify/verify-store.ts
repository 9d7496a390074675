import { extname, join } from 'node:path';
import Database from 'better-sqlite3';
import type { EventMetadata, RecordedEvent } from '../../event-store/envelope';
import type { EventStore } from '../../event-store/event-store.port';
import { ledgerEventRules } from '../event-rules';
import { EventRule, LogVerifier, VerifyOptions, VerifyReport, storeProbe, verifyLog } from './verify-log';
import type { Hash } from '../seals/merkle';
import type { WithTreeLeaf } from '../seals/seal-checker';
import { CatalogueSource, LEAF_BYTES, ROW_FIELDS, RowsResult, RowsTask, VerifyWorkerData, loadCatalogue } from './verify-worker';
import { WorkerPool, verifyWorkerCount } from './worker-pool';

export type { CatalogueSource } from './verify-worker';

export interface StoreVerifyOptions extends Pick<VerifyOptions, 'onProgress' | 'onEnd'> {
  /** The catalogue whose rules (postings, schemas: ledgerEventRules) every event must keep. */
  readonly catalogue?: CatalogueSource;
  /** Rules checked after the catalogue's, in log order on the calling thread (the seal checks). */
  readonly rules?: readonly EventRule[];
  /** Verifier threads (see verifyWorkerCount); 0 verifies on the calling thread alone. */
  readonly workers?: number;
}

/** Events per range a thread verifies; a few ranges per thread are in flight at once. */
const RANGE = 2048;
const RANGES_PER_WORKER = 3;

/**
 * `ledger verify` of a whole store: the report of verifyLog over store.readAll() with the
 * catalogue's rules then `rules`, and the same probe of unreadable events. On the embedded store
 * (an SQLite file) the work is shared with verifier threads (verify-worker.ts): each reads a
 * range of rows (a read-only connection of its own), recomputes every hash, runs the catalogue's
 * rules and sends back the fields the checks in log order need, which the main thread then runs
 * (positions, each stream's revision and link, the seal rules), range after range. Where a
 * thread or a read fails, the rest is verified from the start of that range as verifyLog does,
 * so a damaged log gets the same report either way. Memory: a few ranges of rows in flight, one
 * head per stream.
 */
export async function verifyStore(store: EventStore, options: StoreVerifyOptions): Promise<VerifyReport> {
  // The catalogue is compiled on this thread only if an event is checked here against it.
  const catalogueRules = options.catalogue ? ledgerEventRules(() => loadCatalogue(options.catalogue!)) : [];
  const verifyOptions: VerifyOptions = {
    gapFreePositions: store.positionsAreGapFree,
    rules: [...catalogueRules, ...(options.rules ?? [])],
    probe: storeProbe(store),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.onEnd ? { onEnd: options.onEnd } : {}),
  };
  const file = (store as { file?: unknown }).file;
  const workers = verifyWorkerCount(options.workers, 2);
  if (typeof file !== 'string' || workers === 0) return verifyLog(store.readAll(), verifyOptions);

  const verifier = new LogVerifier(verifyOptions);
  const pool = new WorkerPool<RowsTask, RowsResult>(
    join(__dirname, `verify-worker${extname(__filename)}`),
    workers,
    { ...(options.catalogue ? { catalogue: options.catalogue } : {}) } satisfies VerifyWorkerData,
  );
  let resumeAfter: number | undefined;
  try {
    resumeAfter = await verifyInThreads(file, pool, verifier, catalogueRules.length);
  } catch (error) {
    // A check that threw (verifyLog takes that as the end of what can be read, too).
    await verifier.unreadable(error);
  } finally {
    await pool.close();
  }
  if (resumeAfter !== undefined) {
    // As verifyLog, from the start of the range that could not be verified in the threads.
    try {
      for await (const event of store.readAll({ after: resumeAfter })) verifier.check(event);
    } catch (error) {
      await verifier.unreadable(error);
    }
  }
  options.onProgress?.(verifier.position);
  options.onEnd?.(verifier);
  return verifier.result();
}

interface Range {
  readonly after: number;
  readonly result: Promise<RowsResult | undefined>;
}

/** Verifies in ranges; answers the position to go on from on this thread when a range failed. */
async function verifyInThreads(file: string, pool: WorkerPool<RowsTask, RowsResult>, verifier: LogVerifier, threadRules: number): Promise<number | undefined> {
  let db: Database.Database | undefined;
  let firstAfter: Database.Statement<[number], number | null>;
  let stored: (rowid: number) => StoredRow;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    // The threads read the rows and send back what the checks here need; this thread only
    // finds where each range starts (one seek of the primary key, so a gap costs nothing) and
    // reads again, by rowid (the very row the thread read, should positions repeat in a table
    // rebuilt by hand), the rest of a row for the rare event that needs it here (an event of the
    // seal stream, a rule of the caller's own).
    firstAfter = db.prepare<[number], number | null>('SELECT MIN(global_position) FROM events WHERE global_position > ?').pluck();
    const byRowid = db.prepare<[number], StoredRow>('SELECT type, schema_version, recorded_at, effective_at, data, metadata FROM events WHERE rowid = ?').raw();
    stored = (rowid) => {
      const found = byRowid.get(rowid);
      if (!found) throw new Error(`the event at rowid ${rowid} can no longer be read`);
      return found;
    };
  } catch {
    db?.close();
    return verifier.position;
  }
  try {
    const inFlight: Range[] = [];
    let cursor = 0;
    let reading = true;
    let readFailed = false;
    const fill = () => {
      while (reading && inFlight.length < pool.size * RANGES_PER_WORKER) {
        let first: number | null;
        try {
          first = firstAfter.get(cursor) ?? null;
        } catch {
          reading = false;
          readFailed = true;
          return;
        }
        if (first === null) {
          reading = false;
          return;
        }
        // Rows after `cursor` start at `first`: the range (first - 1, first - 1 + RANGE].
        const after = Math.max(cursor, first - 1);
        const upTo = after + RANGE;
        inFlight.push({ after: cursor, result: pool.run({ file, after, upTo }).catch(() => undefined) });
        cursor = upTo;
      }
    };
    fill();
    // What a thread found of an event it names no problem for (one object for all of them).
    const clean = { rules: threadRules, problems: [] as readonly string[] };
    for (let range = inFlight.shift(); range; range = inFlight.shift()) {
      fill();
      const result = await range.result;
      if (!result || result.failed) return range.after;
      const { issues, fields } = result;
      const leaves = Buffer.from(result.leaves);
      let next = 0;
      for (let i = 0, at = 0; i < result.count; i++, at += ROW_FIELDS) {
        const event = new RowEvent(fields, at, leaves.subarray(i * LEAF_BYTES, (i + 1) * LEAF_BYTES), stored);
        if (next < issues.length && issues[next] === i) {
          verifier.check(event, issues[next + 1] as string, { rules: threadRules, problems: (issues[next + 2] as string[] | null) ?? clean.problems });
          next += 3;
        } else {
          verifier.check(event, event.hash, clean);
        }
      }
      // A range that came back early leaves the reader time to send the next ones.
      fill();
    }
    return readFailed ? cursor : undefined;
  } finally {
    db.close();
  }
}

type StoredRow = [type: string, schemaVersion: number, recordedAt: string, effectiveAt: string, data: string, metadata: string];

/**
 * A row as the event the checks on this thread see: what a verifier thread sent of it (position,
 * id, stream, revision, the hashes, the leaf), the rest read again from the store, by rowid, on
 * first use (the seal rules read the seal stream's events only), its data and metadata parsed on
 * first use.
 */
class RowEvent implements RecordedEvent, WithTreeLeaf {
  private row?: StoredRow;
  private parsedData?: { value: unknown };
  private parsedMetadata?: { value: EventMetadata };

  constructor(
    private readonly fields: RowsResult['fields'],
    private readonly at: number,
    readonly treeLeaf: Hash,
    private readonly stored: (rowid: number) => StoredRow,
  ) {}

  get globalPosition(): number { return this.fields[this.at] as number; }
  get eventId(): string { return this.fields[this.at + 1] as string; }
  get streamId(): string { return this.fields[this.at + 2] as string; }
  get streamVersion(): number { return this.fields[this.at + 3] as number; }
  get prevHash(): string { return this.fields[this.at + 4] as string; }
  get hash(): string { return this.fields[this.at + 5] as string; }

  private get columns(): StoredRow {
    return (this.row ??= this.stored(this.fields[this.at + 6] as number));
  }

  get type(): string { return this.columns[0]; }
  get schemaVersion(): number { return this.columns[1]; }
  get recordedAt(): string { return this.columns[2]; }
  get effectiveAt(): string { return this.columns[3]; }

  get data(): unknown {
    // The thread parsed the same text without error, or the range would have failed.
    this.parsedData ??= { value: JSON.parse(this.columns[4]) as unknown };
    return this.parsedData.value;
  }

  get metadata(): EventMetadata {
    this.parsedMetadata ??= { value: JSON.parse(this.columns[5]) as EventMetadata };
    return this.parsedMetadata.value;
  }
}
