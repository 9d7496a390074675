import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { extname, join } from 'node:path';
import type { EventMetadata, RecordedEvent } from '../../event-store/envelope';
import { WorkerPool, verifyWorkerCount } from '../verify/worker-pool';
import { EXPORT_EVENT_FIELDS, LinesResult, LinesTask } from './export-worker';
import { BalanceReplay, SealCheckSummary, SealChecker, TrustedKey, checkKeptSeal } from '../seals/seal-checker';
import { ExportHeader, parseExportLine } from '../seals/export-format';
import type { SealData } from '../seals/seal-statement';
import { LogProblem, LogVerifier, VerifyReport } from '../verify/verify-log';

/**
 * The offline verifier: an export file and a public key, nothing else (no service, no database,
 * no Nest). Every line is checked as it is read, so memory is bounded: one head per stream
 * (LogVerifier), O(log n) for the Merkle tree plus a fixed window (SealChecker), one balance per
 * account (BalanceReplay). The same checks `ledger verify` runs, from the same modules.
 */
export interface ExportReport extends VerifyReport {
  readonly seals: SealCheckSummary;
  readonly trialBalance: ReturnType<BalanceReplay['trialBalance']>;
  readonly valueEvents: number;
  readonly header?: Pick<ExportHeader, 'exportedAt' | 'headPosition'>;
}

export interface ExportVerifierOptions {
  readonly keys: readonly TrustedKey[];
  /** A seal the auditor kept from earlier: the export must extend it. */
  readonly keptSeal?: SealData;
  readonly onProgress?: (events: number) => void;
}

/** Checks an export line by line; `feed` each line, then `finish`. Import uses it too. */
export class ExportVerifier {
  private log: LogVerifier;
  private readonly seals: SealChecker;
  private readonly balances = new BalanceReplay();
  private header?: ExportHeader;
  private ended = false;
  private line = 0;
  private events = 0;
  private readonly early: LogProblem[] = [];
  private keptByRotation?: SealData;

  constructor(private readonly options: ExportVerifierOptions) {
    const kept = options.keptSeal;
    // A kept seal signed by a key the auditor was not given may be by one a given key was rotated
    // to: that is known once the log's rotations are read, so its signature is checked at the end.
    const signedByOther = kept !== undefined && typeof kept === 'object' && !options.keys.some((k) => k.keyId === kept.keyId);
    const keptProblem = kept && !signedByOther ? checkKeptSeal(kept, options.keys) : undefined;
    if (keptProblem) this.early.push({ kind: 'EVENT_RULE', position: 0, detail: keptProblem });
    if (signedByOther) this.keptByRotation = kept;
    this.seals = new SealChecker(options.keys, kept && !keptProblem ? { treeSize: kept.treeSize, rootHash: kept.rootHash } : undefined);
    // Positions are checked for gaps only where the store numbers them consecutively; the
    // Merkle tree and the seals cover order and completeness either way.
    this.log = this.logVerifier(true);
  }

  private logVerifier(gapFreePositions: boolean): LogVerifier {
    return new LogVerifier({ gapFreePositions, rules: [this.balances.check, this.seals.check] });
  }

  get failed(): boolean {
    return this.early.length > 0 || this.log.failed;
  }

  /** Checks one line; answers the event it holds, if any, with its stored text (import appends it). */
  feed(text: string): { event: RecordedEvent; dataText: string; metadataText: string } | undefined {
    this.line += 1;
    if (text.trim() === '') return undefined;
    const parsed = parseExportLine(text);
    const at = this.log.position + 1;
    switch (parsed.kind) {
      case 'header':
        if (this.line !== 1) this.problem(at, `line ${this.line}: a header inside the export`);
        this.header = parsed.header;
        // A clustered store (KurrentDB) numbers its log with gaps; the Merkle tree and the seals
        // prove order and completeness either way, so a header that lies here hides nothing.
        if (this.line === 1 && parsed.header.positionsAreGapFree === false) this.log = this.logVerifier(false);
        return undefined;
      case 'end':
        this.ended = true;
        if (parsed.end.events !== this.events) this.problem(at, `the end line counts ${parsed.end.events} events, the file holds ${this.events}`);
        return undefined;
      case 'bad':
        this.problem(at, `line ${this.line}: ${parsed.reason}`);
        return undefined;
      case 'event':
        this.accept(parsed.event, parsed.recomputedHash);
        return parsed;
    }
  }

  private accept(event: RecordedEvent, recomputedHash: string): void {
    const at = this.log.position + 1;
    if (this.line === 1) this.problem(at, 'the export has no header line');
    if (this.ended) this.problem(at, `line ${this.line}: an event after the end line`);
    this.events += 1;
    this.log.check(event, recomputedHash);
    this.options.onProgress?.(this.events);
  }

  /** Checks a block of lines a verifier thread parsed (export-worker.ts), as feed() would each line. */
  feedBlock(block: Omit<LinesResult, 'id'>): void {
    const { events, other } = block;
    let e = 0;
    let o = 0;
    for (let i = 0; i < block.lines; i++) {
      if (o < other.length && other[o] === i) {
        this.feed(other[o + 1] as string);
        o += 2;
        continue;
      }
      this.line += 1;
      const recomputed = events[e + 10];
      const event = new LineEvent(events, e);
      this.accept(event, recomputed === 0 ? event.hash : (recomputed as string));
      e += EXPORT_EVENT_FIELDS;
    }
  }

  private problem(position: number, detail: string): void {
    this.log.addProblem({ kind: 'UNREADABLE', position, detail });
  }

  finish(): ExportReport {
    if (!this.ended) this.problem(this.log.position + 1, 'the export has no end line: the file is cut short');
    const truncated = this.seals.finish();
    if (truncated) this.log.addProblem({ kind: 'TRUNCATED', position: this.log.position + 1, detail: truncated });
    const report = this.log.result();
    const keptByRotation = this.keptByRotation ? this.seals.checkKeptSealByRotation(this.keptByRotation) : undefined;
    if (keptByRotation) this.early.push({ kind: 'EVENT_RULE', position: 0, detail: keptByRotation });
    this.keptByRotation = undefined;
    const problems = [...this.early, ...report.problems];
    const trialBalance = this.balances.trialBalance();
    if (!trialBalance.balanced) {
      problems.push({ kind: 'EVENT_RULE', position: report.lastPosition, detail: `the trial balance does not sum to zero: ${JSON.stringify(trialBalance.perAsset)}` });
    }
    return {
      ...report,
      ok: problems.length === 0,
      problems,
      ...(problems.length > 0 ? { firstProblem: problems[0] } : {}),
      seals: this.seals.summary(),
      trialBalance,
      valueEvents: this.balances.events,
      ...(this.header ? { header: { exportedAt: this.header.exportedAt, headPosition: this.header.headPosition } } : {}),
    };
  }
}

/**
 * An event line as a verifier thread answered it: the fields the checks read, and its data
 * parsed on first use as parseExportLine's event does, for the events whose data a check reads
 * (value movements, the seal stream). The metadata is not carried: no check reads it.
 */
class LineEvent implements RecordedEvent {
  private parsed?: { value: unknown };
  constructor(private readonly fields: LinesResult['events'], private readonly at: number) {}
  get globalPosition(): number { return this.fields[this.at] as number; }
  get eventId(): string { return this.fields[this.at + 1] as string; }
  get type(): string { return this.fields[this.at + 2] as string; }
  get schemaVersion(): number { return this.fields[this.at + 3] as number; }
  get streamId(): string { return this.fields[this.at + 4] as string; }
  get streamVersion(): number { return this.fields[this.at + 5] as number; }
  get recordedAt(): string { return this.fields[this.at + 6] as string; }
  get effectiveAt(): string { return this.fields[this.at + 7] as string; }
  get prevHash(): string { return this.fields[this.at + 8] as string; }
  get hash(): string { return this.fields[this.at + 9] as string; }
  get metadata(): EventMetadata { return undefined as unknown as EventMetadata; }
  get data(): unknown {
    if (!this.parsed) {
      const text = this.fields[this.at + 11];
      // Only the events a check reads the data of carry it (export-worker.ts, carriesData).
      if (text === 0) throw new Error(`the data of event ${this.eventId} was not carried from its verifier thread`);
      let value: unknown;
      try { value = JSON.parse(text as string); } catch { value = undefined; }
      this.parsed = { value };
    }
    return this.parsed.value;
  }
}

/** Blocks of lines a thread parses at once, and how many are in flight per thread. */
const BLOCK_BYTES = 1 << 18;
const BLOCKS_PER_WORKER = 2;

/**
 * Reads an export (a file path or a stream) and verifies it line by line. With verifier threads
 * (verifyWorkerCount, LEDGER_VERIFY_WORKERS) the file is cut into blocks of whole lines that the
 * threads parse and hash (export-worker.ts) while this thread checks them in order, each line as
 * feed() does; with none, as before, one line at a time through node:readline. Either way the
 * same lines (split where readline splits them) reach the same checks in the same order.
 */
export async function verifyExport(input: string | Readable, options: ExportVerifierOptions & { readonly workers?: number }): Promise<ExportReport> {
  const stream = typeof input === 'string' ? createReadStream(input, { highWaterMark: BLOCK_BYTES }) : input;
  const verifier = new ExportVerifier(options);
  const workers = verifyWorkerCount(options.workers);
  if (workers === 0) {
    const lines = createInterface({ input: stream, crlfDelay: Infinity });
    for await (const line of lines) verifier.feed(line);
    return verifier.finish();
  }
  const pool = new WorkerPool<LinesTask, LinesResult>(join(__dirname, `export-worker${extname(__filename)}`), workers, {});
  try {
    const inFlight: Array<Promise<LinesResult>> = [];
    const send = (bytes: Buffer) => {
      // A buffer of its own, moved to the thread rather than copied.
      const own = new ArrayBuffer(bytes.length);
      new Uint8Array(own).set(bytes);
      inFlight.push(pool.run({ buffer: own }, [own]));
    };
    let rest: Buffer | undefined;
    for await (const chunk of stream as AsyncIterable<Buffer | string>) {
      let bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      if (rest && rest.length > 0) bytes = Buffer.concat([rest, bytes]);
      const cut = bytes.lastIndexOf(0x0a);
      if (cut < 0) {
        rest = bytes;
        continue;
      }
      send(bytes.subarray(0, cut + 1));
      rest = bytes.subarray(cut + 1);
      while (inFlight.length >= pool.size * BLOCKS_PER_WORKER) verifier.feedBlock(await inFlight.shift()!);
    }
    if (rest && rest.length > 0) send(rest);
    for (let block = inFlight.shift(); block; block = inFlight.shift()) verifier.feedBlock(await block);
  } finally {
    await pool.close();
  }
  return verifier.finish();
}
