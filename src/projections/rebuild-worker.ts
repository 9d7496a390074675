/**
 * The rebuild thread (see ProjectionRunner's `rebuildThread`): applies a catch-up to
 * `workerData.until` to the read models of `workerData.file`, on a connection of its own, in the
 * runner's long transactions, with the projections of `workerData.modules.projections` (the same
 * list as the main thread's). With `logFile` (the embedded log) it reads the log itself on a
 * read-only connection and upcasts each event with the catalogue of `modules.catalogue`, yielding
 * between batches so the main thread's `end` is heard; without it, it applies the batches the
 * main thread reads and sends. After each batch it reports what is committed and which projections
 * are stuck. A fault ends it: the runner on the main thread then goes on from the last commit.
 *
 * With `only`, it applies those read models alone; with `scratch` too (a rebuild from position 0
 * split over two threads), it applies them in that file of its own, and once it has `until` and
 * the main thread says `copy`, copies their tables and checkpoints into `file` in one
 * transaction (ReadModelDatabase.adopt) and deletes the scratch file.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { RecordedEvent } from '../event-store/envelope';
import type { EventStore } from '../event-store/event-store.port';
import { openLogReader } from '../event-store/sqlite/sqlite-event-store';
import type { Projection } from './projection';
import { ProjectionRunner, removeFiles } from './projection-runner';
import type { RebuildThreadData, RebuildThreadReport, RebuildThreadTask } from './rebuild-thread';
import { FALLBACK_AUTOCHECKPOINT_PAGES } from './wal-checkpointer';
import { ReadModelDatabase } from './read-model-database';

/** Events the thread reads from the log and applies as one batch, when it reads the log itself. */
const READ_BATCH = 2_000;

const data = workerData as RebuildThreadData;
const port = parentPort!;
const send = (report: RebuildThreadReport) => port.postMessage(report);
const failed = (error: unknown) => {
  const fault = error instanceof Error ? error : new Error(String(error));
  send({ kind: 'failed', message: fault.message, stack: fault.stack });
};

type Upcast = (event: RecordedEvent) => RecordedEvent;

/** The catalogue's upcast: a thread that reads the log itself needs it (the main thread sends only upcast events). */
function upcaster(): Upcast {
  const catalogue = data.modules.catalogue;
  if (!catalogue) throw new Error('a rebuild thread that reads the log needs the catalogue module');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const make = (require(catalogue.module) as Record<string, () => { upcast: Upcast }>)[catalogue.exportName];
  const compiled = make();
  return (event) => compiled.upcast(event);
}

function run(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { projections } = require(data.modules.projections) as { projections: readonly Projection[] };
  // Another list would drop and rebuild tables the main thread's runner has not reset, and move
  // its position past events a projection of its own never saw.
  const found = JSON.stringify(projections.map(({ name, version }) => ({ name, version })));
  if (found !== JSON.stringify(data.expect)) throw new Error(`the module's read models are not the runner's: ${found}`);
  const only = data.only ? new Set(data.only) : undefined;
  const mine = only ? projections.filter(({ name }) => only.has(name)) : projections;
  const upcast = data.logFile ? upcaster() : undefined;
  const scratch = data.scratch;
  const readModels = new ReadModelDatabase(scratch ?? data.file, mine);
  // The scratch file is thrown away after a crash: its commits need not reach the disk. The
  // service's checkpointer thread checkpoints the read models' file; this connection only past the fallback bound.
  if (scratch) readModels.db.pragma('synchronous = OFF');
  else readModels.db.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
  const errors: Array<{ message: string; stack?: string }> = [];
  // This runner never reads the log through a store: the main thread or the loop below feeds it.
  const runner = new ProjectionRunner(undefined as unknown as EventStore, readModels, (error) => errors.push({ message: error.message, stack: error.stack }));
  const report = (done: boolean) => {
    send({ kind: done ? 'done' : 'applied', position: runner.appliedPosition(), stuck: [...runner.stuckProjections()], errors: errors.splice(0) });
  };
  const finish = () => {
    runner.finishFed();
    report(true);
  };
  const close = () => {
    readModels.close();
    if (scratch) removeFiles(scratch);
    port.close();
  };

  if (data.logFile && upcast) {
    const log = openLogReader(data.logFile);
    let ending = false;
    let copy = false;
    let heard: (() => void) | undefined;
    port.on('message', (task: RebuildThreadTask) => {
      if (task.kind === 'end') ending = true;
      if (task.kind === 'copy') copy = true;
      heard?.();
    });
    void (async () => {
      try {
        // A turn first: an `end` sent before this thread was ready (a stop) is heard before any batch.
        await new Promise((resolve) => setImmediate(resolve));
        let after = runner.appliedPosition();
        while (!ending && after < data.until) {
          const events = log.page(after, Math.min(READ_BATCH, data.until - after)).filter((event) => event.globalPosition <= data.until);
          if (events.length === 0) break;
          runner.applyFed(events.map(upcast), data.until);
          report(false);
          after = events[events.length - 1].globalPosition;
          // A turn of the event loop: the main thread's `end` (a stop) is heard between batches.
          await new Promise((resolve) => setImmediate(resolve));
        }
        if (!scratch) finish();
        else {
          runner.finishFed();
          report(false);
          // The copy waits for the main thread: until then another thread writes the read models' file.
          while (!ending && !copy) await new Promise<void>((resolve) => (heard = resolve));
          const copied = !ending && runner.appliedPosition() >= data.until;
          if (copied) adopt(data.file, scratch, mine);
          // Gone before the main thread hears it is done: no one finds it once the read models are ready.
          readModels.close();
          removeFiles(scratch);
          send({ kind: 'done', position: copied ? runner.appliedPosition() : 0, stuck: [...runner.stuckProjections()], errors: errors.splice(0) });
        }
      } catch (error) {
        failed(error);
      }
      log.close();
      close();
    })();
    return;
  }

  port.on('message', (task: RebuildThreadTask) => {
    try {
      if (task.kind === 'events') {
        runner.applyFed(task.events, data.until);
        report(false);
        return;
      }
      finish();
    } catch (error) {
      failed(error);
    }
    close();
  });
}

/** Copies the scratch file's read models into the read models' file, in one transaction (see ReadModelDatabase.adopt). */
function adopt(file: string, scratch: string, projections: readonly Projection[]): void {
  const target = new ReadModelDatabase(file, projections);
  try {
    target.db.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
    target.adopt(scratch);
  } finally {
    target.close();
  }
}

try {
  run();
} catch (error) {
  failed(error);
  port.close();
}
