import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { guardProcessOutput } from './health/process-output';

async function main(): Promise<void> {
  // Before anything is logged: a full log disk or a closed stdout must not stop the ledger.
  guardProcessOutput();
  const config = loadConfig();
  const app = await createApp(config);
  await app.listen({ port: config.port, host: config.host });
  new Logger('Ledger').log(`Listening on ${await app.getUrl()} (OpenAPI at /docs); data in ${config.dataDir}`);
}

void main().catch((error: unknown) => {
  const text = error instanceof ConfigError ? `configuration: ${error.message}` : error instanceof Error ? error.stack : String(error);
  process.stderr.write(`ledger: ${text}\n`);
  process.exit(1);
});
