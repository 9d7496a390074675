import { extname, join } from 'node:path';
import Database from 'better-sqlite3';
import type { EventMetadata, RecordedEvent } from '../../event-store/envelope';
import type { EventStore } from '../../event-store/event-store.port';
import { ledgerEventRules } from '../event-rules';
import { EventRule, LogVerifier, VerifyOptions, VerifyReport, storeProbe, verifyLog } from './verify-log';
import { CatalogueSource, RowsResult, RowsTask, VerifyWorkerData, loadCatalogue } from './verify-worker';
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
const RANGE = 4096;
const RANGES_PER_WORKER = 3;

/**
 * `ledger verify` of a whole store: the report of verifyLog over store.readAll() with the
 * catalogue's rules then `rules`, and the same probe of unreadable events. On the embedded store
 * (an SQLite file) the work is shared with verifier threads (verify-worker.ts): the main thread
 * reads each range of rows (a read-only connection of its own, large pages) and checks what
 * depends on log order (positions, each stream's revision and link, the seal rules), while a
 * thread reads the same range and recomputes every hash and runs the catalogue's rules. Where a
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
  readonly rows: Row[];
  readonly result: Promise<RowsResult | undefined>;
}

/** As the threads' rows, data and metadata left out (null). */
type Row = [number, string, string, number, string, number, string, string, null, null, string, string];

const SELECT_NARROW = 'SELECT global_position, event_id, stream_id, stream_version, type, schema_version, recorded_at, effective_at, NULL, NULL, prev_hash, hash FROM events';

/** Verifies in ranges; answers the position to go on from on this thread when a range failed. */
async function verifyInThreads(file: string, pool: WorkerPool<RowsTask, RowsResult>, verifier: LogVerifier, threadRules: number): Promise<number | undefined> {
  let db: Database.Database | undefined;
  let select: Database.Statement<[number, number], Row>;
  let texts: (position: number) => [string, string];
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    // Data and metadata are left to the threads: this thread fetches them for the rare event a
    // rule here reads them of (the seal rules: the seal stream's events).
    select = db.prepare<[number, number], Row>(`${SELECT_NARROW} WHERE global_position > ? ORDER BY global_position LIMIT ?`).raw();
    const byPosition = db.prepare<[number], [string, string]>('SELECT data, metadata FROM events WHERE global_position = ?').raw();
    texts = (position) => {
      const found = byPosition.get(position);
      if (!found) throw new Error(`the event at position ${position} can no longer be read`);
      return found;
    };
  } catch {
    db?.close();
    return verifier.position;
  }
  try {
    const inFlight: Range[] = [];
    let after = 0;
    let reading = true;
    let readFailed = false;
    const fill = () => {
      while (reading && inFlight.length < pool.size * RANGES_PER_WORKER) {
        let rows: Row[];
        try {
          rows = select.all(after, RANGE);
        } catch {
          reading = false;
          readFailed = true;
          return;
        }
        if (rows.length === 0) {
          reading = false;
          return;
        }
        const upTo = rows[rows.length - 1][0];
        inFlight.push({ after, rows, result: pool.run({ file, after, upTo }).catch(() => undefined) });
        after = upTo;
        if (rows.length < RANGE) reading = false;
      }
    };
    fill();
    const empty: readonly string[] = [];
    for (let range = inFlight.shift(); range; range = inFlight.shift()) {
      fill();
      const result = await range.result;
      const { rows } = range;
      if (!result || result.failed || result.count !== rows.length || result.lastPosition !== rows[rows.length - 1][0]) return range.after;
      const { issues } = result;
      let next = 0;
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i];
        if (next < issues.length && issues[next] === i) {
          verifier.check(new RowEvent(row, texts), issues[next + 1] as string, { rules: threadRules, problems: (issues[next + 2] as string[] | null) ?? empty });
          next += 3;
        } else {
          verifier.check(new RowEvent(row, texts), row[11], { rules: threadRules, problems: empty });
        }
      }
      // A range that came back early leaves the reader time to read the next ones.
      fill();
    }
    return readFailed ? after : undefined;
  } finally {
    db.close();
  }
}

/**
 * A row as the event the rules on this thread see: its data and metadata parsed on first use
 * (the seal rules read the data of the seal stream's events only).
 */
class RowEvent implements RecordedEvent {
  private parsedData?: { value: unknown };
  private parsedMetadata?: { value: EventMetadata };
  private stored?: [string, string];

  constructor(
    private readonly row: Row,
    private readonly texts: (position: number) => [string, string],
  ) {}

  get globalPosition(): number { return this.row[0]; }
  get eventId(): string { return this.row[1]; }
  get streamId(): string { return this.row[2]; }
  get streamVersion(): number { return this.row[3]; }
  get type(): string { return this.row[4]; }
  get schemaVersion(): number { return this.row[5]; }
  get recordedAt(): string { return this.row[6]; }
  get effectiveAt(): string { return this.row[7]; }
  get prevHash(): string { return this.row[10]; }
  get hash(): string { return this.row[11]; }

  get data(): unknown {
    // The thread parsed the same text without error, or the range would have failed.
    this.parsedData ??= { value: JSON.parse((this.stored ??= this.texts(this.row[0]))[0]) as unknown };
    return this.parsedData.value;
  }

  get metadata(): EventMetadata {
    this.parsedMetadata ??= { value: JSON.parse((this.stored ??= this.texts(this.row[0]))[1]) as EventMetadata };
    return this.parsedMetadata.value;
  }
}
