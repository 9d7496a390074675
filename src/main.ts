import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './app';
import { ConfigError, loadConfig, requireKek } from './config';
import { guardProcessOutput } from './health/process-output';
import { KekError } from './modules/sustainers/personal-data/key-wrap';
import { inspectKeyFile } from './modules/sustainers/personal-data/key-store';
import { join } from 'node:path';

async function main(): Promise<void> {
  // Before anything is logged: a full log disk or a closed stdout must not stop the ledger.
  guardProcessOutput();
  const config = loadConfig();
  // Personal data's keys are unwrapped with it: no key-encryption key, no service (nothing opened yet).
  const kek = requireKek(config);
  const keyFile = inspectKeyFile(join(config.dataDir, 'keys.db'));
  if (keyFile?.kekId !== undefined && keyFile.kekId !== kek.id) {
    throw new ConfigError(`keys.db in ${config.dataDir} is wrapped under key-encryption key ${keyFile.kekId}, but ${config.kekSource} holds ${kek.id}: give the key it was wrapped with`);
  }
  const app = await createApp(config);
  await app.listen({ port: config.port, host: config.host });
  new Logger('Ledger').log(`Listening on ${await app.getUrl()} (OpenAPI at /docs); data in ${config.dataDir}`);
}

void main().catch((error: unknown) => {
  const text = error instanceof ConfigError || error instanceof KekError ? `configuration: ${error.message}` : error instanceof Error ? error.stack : String(error);
  process.stderr.write(`ledger: ${text}\n`);
  process.exit(1);
});
