import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');

/**
 * The key-encryption key the compiled service and tool get in the tests (LEDGER_KEK, set by
 * global-setup.ts when neither LEDGER_KEK nor LEDGER_KEK_FILE is set): a test key, never a default.
 */
export const TEST_KEK = 'dGVzdC1rZXktZW5jcnlwdGlvbi1rZXktMzItYnl0ZXM=';

/** Runs the compiled `ledger` tool as `npm run ledger` would, with the given data directory. */
export function ledgerCli(dataDir: string, args: string[]): { status: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(ROOT, 'dist', 'src', 'cli.js'), ...args], {
    cwd: ROOT,
    env: { ...process.env, LEDGER_DATA_DIR: dataDir },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Starts the compiled service as `npm start` would, and resolves once /health answers. */
export async function startService(dataDir: string, port: number): Promise<ChildProcess> {
  // The test broker CI starts is for the relay suites; a service under test here publishes nothing.
  const { KAFKA_BROKERS: _brokers, ...env } = process.env;
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'src', 'main.js')], {
    cwd: ROOT,
    env: { ...env, LEDGER_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`service exited early: ${stderr}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      if (res.status === 200) return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`service did not become healthy: ${stderr}`);
}

/**
 * A port for a service a test starts: 20000–32767, below Linux's ephemeral range (32768–60999),
 * where the tests' own outgoing connections take ports (one such collision failed a CI run with
 * EADDRINUSE on 34564).
 */
export function freePort(): number {
  return 20_000 + Math.floor(Math.random() * 12_768);
}
