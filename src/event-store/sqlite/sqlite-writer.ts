/**
 * The protocol between the SQLite event store and its writer thread (sqlite-writer.worker.ts),
 * and how that thread is started.
 */
import { extname, join } from 'node:path';
import { ResourceLimits, Worker } from 'node:worker_threads';
import type { ExpectedRevision } from '../event-store.port';

export interface WriterOptions {
  readonly file: string;
  readonly synchronous: string;
  readonly busyTimeoutMs: number;
  /** SQLite's max_page_count for the write connection, when the file is capped. */
  readonly maxPageCount?: number;
}

/**
 * Appends as one flat array, which crosses threads several times faster than objects. Per
 * append: recordedAt, metadata (canonical JSON), stream count; then per stream: stream id,
 * expected revision, event count; then per event: event id, type, schema version, effectiveAt,
 * data (canonical JSON). Strings and the schema version are checked by the main thread to be
 * strings and a finite number.
 */
export type WireAppends = Array<string | number>;

export type WriterRequest =
  | { readonly kind: 'chunk'; readonly appends: WireAppends; readonly count: number }
  | { readonly kind: 'close' };

export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
}

export type AppendFailure =
  | { readonly kind: 'conflict'; readonly streamId: string; readonly expected: ExpectedRevision; readonly actual: number | 'no_stream' }
  | { readonly kind: 'error'; readonly error: SerializedError };

/**
 * One reply per transaction, for its appends in the order they were sent. `outcomes` is flat:
 * per append either a failure, or the global position of its last event followed by the new
 * revision of each of its streams.
 */
export type WriterReply =
  | {
      readonly kind: 'done';
      readonly outcomes: ReadonlyArray<number | AppendFailure>;
      /** Events the transaction wrote, and how long it took from BEGIN to the end of COMMIT (ms). */
      readonly events: number;
      readonly transactionMs: number;
    }
  /** The transaction failed as a whole: none of its `count` appends was written. */
  | { readonly kind: 'failed'; readonly count: number; readonly error: SerializedError };

const WORKER_MODULE = 'sqlite-writer.worker';

/**
 * Starts the writer thread on sqlite-writer.worker, a module like any other.
 *
 * Compiled (dist/, `node dist/src/main.js`) this file is .js and so is the worker module beside
 * it: Node loads it as it is. From the TypeScript sources (jest with @swc/jest, which compiles
 * only inside its own module registry) there is no .js to load, and a worker thread gets plain
 * Node's loader, which refuses .ts. So the thread runs a small bootstrap first that teaches that
 * loader .ts with @swc/core's transformSync (the compiler jest itself uses, with its options),
 * then requires the worker module, which imports envelope.ts and the port like any module.
 * Deciding by this file's own extension, not by an environment variable or a build check,
 * means each way runs the code beside it: the sources under jest, the build from dist.
 */
export function startWriter(options: WriterOptions): Worker {
  return startWorkerModule(join(__dirname, `${WORKER_MODULE}${extname(__filename)}`), options);
}

/**
 * Starts a worker thread on a module beside its caller (`entry` with the caller's own extension),
 * the same way as the writer: as it is when compiled, through the TypeScript bootstrap from the
 * sources. The verifier's threads (src/audit/verify/verify-worker.ts) start this way too.
 */
export function startWorkerModule(entry: string, workerData: unknown, resourceLimits?: ResourceLimits): Worker {
  const options = { workerData, ...(resourceLimits ? { resourceLimits } : {}) };
  if (extname(entry) !== '.ts') return new Worker(entry, options);
  return new Worker(typeScriptBootstrap(require.resolve('@swc/core'), entry), { eval: true, ...options });
}

/** The options of jest.config.js's @swc/jest transform, without its source maps. */
const SWC_OPTIONS = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
};

function typeScriptBootstrap(swcCore: string, entry: string): string {
  return `
const { readFileSync } = require('node:fs');
const { transformSync } = require(${JSON.stringify(swcCore)});
const options = ${JSON.stringify(SWC_OPTIONS)};
require('node:module')._extensions['.ts'] = (module, filename) => {
  module._compile(transformSync(readFileSync(filename, 'utf8'), { ...options, filename }).code, filename);
};
require(${JSON.stringify(entry)});
`;
}
