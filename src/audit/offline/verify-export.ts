import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { RecordedEvent } from '../../event-store/envelope';
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

  constructor(private readonly options: ExportVerifierOptions) {
    const keptProblem = options.keptSeal ? checkKeptSeal(options.keptSeal, options.keys) : undefined;
    if (keptProblem) this.early.push({ kind: 'EVENT_RULE', position: 0, detail: keptProblem });
    this.seals = new SealChecker(options.keys, options.keptSeal && !keptProblem ? { treeSize: options.keptSeal.treeSize, rootHash: options.keptSeal.rootHash } : undefined);
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
        if (this.line === 1) this.problem(at, 'the export has no header line');
        if (this.ended) this.problem(at, `line ${this.line}: an event after the end line`);
        this.events += 1;
        this.log.check(parsed.event, parsed.recomputedHash);
        this.options.onProgress?.(this.events);
        return parsed;
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

/** Reads an export (a file path or a stream) line by line and verifies it. */
export async function verifyExport(input: string | Readable, options: ExportVerifierOptions): Promise<ExportReport> {
  const stream = typeof input === 'string' ? createReadStream(input, { highWaterMark: 1 << 20 }) : input;
  const verifier = new ExportVerifier(options);
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  for await (const line of lines) verifier.feed(line);
  return verifier.finish();
}
