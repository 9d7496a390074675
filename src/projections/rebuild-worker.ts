/**
 * The rebuild thread (see ProjectionRunner's `rebuildThread`): applies the batches of events the
 * runner on the main thread reads from the log and sends here, to the read models of
 * `workerData.file`, on a connection of its own, in the runner's long transactions. It loads the
 * projections from `workerData.projectionsModule` (a module exporting `projections`, the same
 * list as the main thread's) and reports after each batch what is committed and which projections
 * are stuck. A fault ends it: the runner on the main thread then goes on from the last commit.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { RecordedEvent } from '../event-store/envelope';
import type { EventStore } from '../event-store/event-store.port';
import type { Projection } from './projection';
import { ProjectionRunner } from './projection-runner';
import type { RebuildThreadData, RebuildThreadReport, RebuildThreadTask } from './rebuild-thread';
import { FALLBACK_AUTOCHECKPOINT_PAGES } from './wal-checkpointer';
import { ReadModelDatabase } from './read-model-database';

const data = workerData as RebuildThreadData;
const port = parentPort!;
const send = (report: RebuildThreadReport) => port.postMessage(report);

function run(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { projections } = require(data.projectionsModule) as { projections: readonly Projection[] };
  const readModels = new ReadModelDatabase(data.file, projections);
  // The service's checkpointer thread checkpoints this file; this connection only past the fallback bound.
  readModels.db.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
  const errors: Array<{ message: string; stack?: string }> = [];
  // Fed by the main thread: this runner never reads the log.
  const runner = new ProjectionRunner(undefined as unknown as EventStore, readModels, (error) => errors.push({ message: error.message, stack: error.stack }));
  const report = (done: boolean) => {
    send({ kind: done ? 'done' : 'applied', position: runner.appliedPosition(), stuck: [...runner.stuckProjections()], errors: errors.splice(0) });
  };
  port.on('message', (task: RebuildThreadTask) => {
    try {
      if (task.kind === 'events') {
        runner.applyFed(task.events as RecordedEvent[], data.until);
        report(false);
        return;
      }
      runner.finishFed();
      report(true);
    } catch (error) {
      const fault = error instanceof Error ? error : new Error(String(error));
      send({ kind: 'failed', message: fault.message, stack: fault.stack });
    }
    readModels.close();
    port.close();
  });
}

try {
  run();
} catch (error) {
  const fault = error instanceof Error ? error : new Error(String(error));
  send({ kind: 'failed', message: fault.message, stack: fault.stack });
  port.close();
}
