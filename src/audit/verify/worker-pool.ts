import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startWorkerModule } from '../../event-store/sqlite/sqlite-writer';

/**
 * How many verifier threads `ledger verify`, `GET /v1/audit/verify` and `ledger-audit verify` use
 * beside the main thread: LEDGER_VERIFY_WORKERS when set (0 = none: everything on the calling
 * thread, as before the threads), else one less than the cores Node may use, at least `atLeast`
 * and at most 4 (the main thread's share, reading and the checks in log order, caps what more
 * would give). `ledger verify` asks at least 2: on two cores two threads beside the main one
 * measured faster than one there (the threads' share, the catalogue's schemas, is the larger); the
 * offline verifier's main thread has the larger share, and a second thread measured slower.
 */
export function verifyWorkerCount(requested?: number, atLeast = 1): number {
  const fromEnv = process.env.LEDGER_VERIFY_WORKERS;
  const wanted = requested ?? (fromEnv !== undefined && fromEnv.trim() !== '' ? Number(fromEnv) : Math.min(4, Math.max(atLeast, availableParallelism() - 1)));
  if (!Number.isSafeInteger(wanted) || wanted < 0 || wanted > 64) {
    throw new RangeError(`LEDGER_VERIFY_WORKERS must be an integer from 0 to 64, not ${String(fromEnv ?? requested)}`);
  }
  return wanted;
}

/**
 * A few worker threads on one module, each task answered by one message `{ id, … }`; tasks are
 * dealt round robin and their answers awaited in any order. A thread that fails or exits fails
 * every task it holds.
 */
export class WorkerPool<Task extends { id: number }, Result extends { id: number }> {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, { resolve: (r: Result) => void; reject: (e: Error) => void; worker: Worker }>();
  private next = 0;
  private ids = 0;
  private closed = false;

  constructor(entry: string, count: number, workerData: unknown) {
    for (let i = 0; i < count; i++) {
      // A thread holds a few ranges at a time: a capped heap keeps the collector eager, as the pace
      // of allocation would otherwise let each heap grow. 16 MB young and 32 MB old kept `ledger
      // verify` of 1M events under 300 MB with no speed lost against 32 and 64 (bench:audit). Events
      // far larger than a ledger's would make a thread collect often near the cap, or run out of
      // heap: it then fails its ranges, which the main thread verifies itself (the same report).
      const worker = startWorkerModule(entry, workerData, { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 32 });
      worker.on('message', (result: Result) => {
        const waiting = this.pending.get(result.id);
        this.pending.delete(result.id);
        waiting?.resolve(result);
      });
      const fail = (error: Error) => {
        for (const [id, waiting] of this.pending) {
          if (waiting.worker !== worker) continue;
          this.pending.delete(id);
          waiting.reject(error);
        }
      };
      worker.on('error', fail);
      worker.on('exit', (code) => fail(new Error(`a verifier thread exited (code ${code})`)));
      this.workers.push(worker);
    }
  }

  get size(): number {
    return this.workers.length;
  }

  /** Sends a task (its id is set here); `transfer` moves buffers instead of copying them. */
  run(task: Omit<Task, 'id'>, transfer: ArrayBuffer[] = []): Promise<Result> {
    if (this.closed) return Promise.reject(new Error('the verifier threads are closed'));
    const worker = this.workers[this.next++ % this.workers.length];
    const id = ++this.ids;
    return new Promise<Result>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, worker });
      worker.postMessage({ ...task, id }, transfer);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const waiting of this.pending.values()) waiting.reject(new Error('the verifier threads are closed'));
    this.pending.clear();
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
