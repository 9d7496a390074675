/**
 * The store cannot do its work for a reason that is not the request's: the disk is full, the
 * file is read-only, unreadable or damaged, or the writer is gone. Nothing of the failed write
 * was stored. The HTTP layer answers it as 503 `STORE.UNAVAILABLE`, and /health reports it.
 */
export class StoreUnavailableError extends Error {
  constructor(
    /** A short, stable name of the fault (e.g. `SQLITE_FULL`), used to rate-limit its log line. */
    readonly kind: string,
    message: string,
  ) {
    super(message);
    this.name = 'StoreUnavailableError';
  }
}

/** A storage fault as /health reports it. */
export interface StoreFault {
  readonly kind: string;
  readonly message: string;
  /** When it happened (server clock, ISO 8601). */
  readonly at: string;
  /** The fault lasts until the service restarts (the writer is gone), however long ago it began. */
  readonly ongoing?: true;
}

/** A store that can say whether its last write failed for a storage fault (the SQLite store does). */
export interface WriteFaultSource {
  lastWriteFault(): StoreFault | undefined;
}

export function hasWriteFaults(store: object): store is WriteFaultSource {
  return typeof (store as Partial<WriteFaultSource>).lastWriteFault === 'function';
}

/** The SQLite result codes (primary or extended) that mean the storage itself failed. */
const SQLITE_FAULT = /^SQLITE_(FULL|IOERR|READONLY|CANTOPEN|CORRUPT|NOTADB|NOLFS|PROTOCOL)(_|$)/;

/** True for an error from SQLite that says the storage failed, not the statement. */
export function isSqliteStorageFault(error: unknown): error is Error & { code: string } {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && SQLITE_FAULT.test(code);
}

/** A SQLite storage fault as a StoreUnavailableError; anything else unchanged. */
export function asStoreFault(error: unknown): unknown {
  if (error instanceof StoreUnavailableError || !isSqliteStorageFault(error)) return error;
  return new StoreUnavailableError(error.code, describeSqliteFault(error.code, error.message));
}

function describeSqliteFault(code: string, message: string): string {
  if (code.startsWith('SQLITE_FULL')) return `the event store's disk is full (${message})`;
  if (code.startsWith('SQLITE_READONLY')) return `the event store is read-only (${message})`;
  if (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB')) return `the event store file is damaged (${message})`;
  return `the event store cannot read or write its file (${code}: ${message})`;
}

/**
 * One log line per kind of fault per interval: a full disk refuses every write, and a line (let
 * alone a stack trace) per refusal would fill what little space is left.
 */
export class FaultLogLimiter {
  private readonly lastLogged = new Map<string, { at: number; suppressed: number }>();

  constructor(
    private readonly log: (line: string) => void,
    private readonly intervalMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  report(error: StoreUnavailableError): void {
    const at = this.now();
    const last = this.lastLogged.get(error.kind);
    if (last && at - last.at < this.intervalMs) {
      last.suppressed += 1;
      return;
    }
    const suppressed = last?.suppressed ? ` (${last.suppressed} more since the last report)` : '';
    this.lastLogged.set(error.kind, { at, suppressed: 0 });
    this.log(`store unavailable: ${error.message}${suppressed}`);
  }
}
