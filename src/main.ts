import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { writeSync } from 'node:fs';
import { Writable } from 'node:stream';
import { createApp } from './app';
import { loadConfig } from './config';

/**
 * A log line that cannot be written (stdout redirected to a file on a full disk, a closed pipe)
 * is dropped; it must never stop the service, which would then not even start again until space
 * is freed. Node writes to a file synchronously and, on failure, destroys the stream and raises
 * an unhandled 'error' that exits the process. For a file, each line is written directly, so
 * logging resumes by itself once there is space again; any other stream's errors are ignored.
 */
function keepRunningWhenLogsCannotBeWritten(stream: NodeJS.WriteStream): void {
  const fd = (stream as unknown as { fd?: unknown }).fd;
  if (stream.constructor.name === 'SyncWriteStream' && typeof fd === 'number') {
    (stream as unknown as Writable)._write = (chunk: Buffer, _encoding, done) => {
      try {
        writeSync(fd, chunk);
      } catch {
        // Dropped: there is nowhere to report that the log itself cannot be written.
      }
      done();
    };
  }
  stream.on('error', () => undefined);
}

async function main(): Promise<void> {
  keepRunningWhenLogsCannotBeWritten(process.stdout);
  keepRunningWhenLogsCannotBeWritten(process.stderr);
  const config = loadConfig();
  const app = await createApp(config);
  await app.listen({ port: config.port, host: config.host });
  new Logger('Ledger').log(`Listening on ${await app.getUrl()} (OpenAPI at /docs); data in ${config.dataDir}`);
}

void main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
