/**
 * Says once, at the top of the run, which suites need a server this machine may lack and
 * whether they run. The suites themselves skip when their address is not set.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { TEST_KEK } from './support/processes';

export default function globalSetup(): void {
  // The service refuses to start without a key-encryption key; the processes the tests start
  // (and the workers, forked after this) get a test key unless the caller gave one.
  if (!process.env.LEDGER_KEK && !process.env.LEDGER_KEK_FILE) process.env.LEDGER_KEK = TEST_KEK;
  // The CLI and crash tests run the compiled service and tool as separate processes, as a user
  // would; an incremental build is quick when nothing changed.
  execFileSync(process.execPath, [join(__dirname, '..', 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], {
    cwd: join(__dirname, '..'),
    stdio: 'inherit',
  });
  const servers: Array<[string, string, string]> = [
    ['KurrentDB contract suite', 'KURRENTDB_CONNECTION_STRING', 'a KurrentDB server'],
    ['Kafka relay suites', 'KAFKA_BROKERS', 'a Kafka broker'],
  ];
  for (const [suite, variable, what] of servers) {
    const line = process.env[variable]
      ? `${suite}: running against ${variable}=${process.env[variable]}`
      : `${suite}: SKIPPED because ${variable} is not set (needs ${what})`;
    process.stdout.write(`\n${line}`);
  }
  // The URL is not echoed: it may hold a password.
  process.stdout.write(
    process.env.LEDGER_POSTGRES_URL
      ? '\nPostgreSQL suites (store contract, shared state and lease, two instances): running against LEDGER_POSTGRES_URL'
      : '\nPostgreSQL suites (store contract, shared state and lease, two instances): SKIPPED because LEDGER_POSTGRES_URL is not set (needs a PostgreSQL server)',
  );
  process.stdout.write('\n');
}
