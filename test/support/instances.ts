import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, freePort } from './processes';

/**
 * Service instances as separate processes of the compiled service (as `npm start` runs it), each
 * with its own data directory (its own read models), sharing the log named by `env`.
 */
export interface Instance {
  readonly name: string;
  readonly dataDir: string;
  readonly port: number;
  process: ChildProcess;
  stderr: string;
  request(method: string, path: string, options?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<InstanceResponse>;
  cli(args: string[]): { status: number; stdout: string; stderr: string };
  stop(signal?: NodeJS.Signals): Promise<void>;
  restart(): Promise<void>;
  dispose(): void;
}

export interface InstanceResponse {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** The environment of a service or CLI process: the caller's, without what would point it elsewhere. */
function childEnv(dataDir: string, env: Record<string, string>): NodeJS.ProcessEnv {
  const { KAFKA_BROKERS: _brokers, ...rest } = process.env;
  return { ...rest, ...env, LEDGER_DATA_DIR: dataDir };
}

export function runCli(dataDir: string, env: Record<string, string>, args: string[]): { status: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(ROOT, 'dist', 'src', 'cli.js'), ...args], {
    cwd: ROOT,
    env: childEnv(dataDir, env),
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

async function spawnService(dataDir: string, port: number, env: Record<string, string>): Promise<{ child: ChildProcess; stderr: () => string }> {
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'src', 'main.js')], {
    cwd: ROOT,
    env: { ...childEnv(dataDir, env), PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // Generous: two instances start at once, on a 2-core machine that may be running other suites.
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`service exited early: ${stderr}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health/ready`);
      if (res.status === 200) return { child, stderr: () => stderr };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`service did not become ready: ${stderr}`);
}

export async function startInstance(name: string, env: Record<string, string>): Promise<Instance> {
  const dataDir = mkdtempSync(join(tmpdir(), `ledger-${name}-`));
  const port = freePort();
  let started = await spawnService(dataDir, port, env);
  const instance: Instance = {
    name,
    dataDir,
    port,
    process: started.child,
    get stderr() {
      return started.stderr();
    },
    async request(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(`http://127.0.0.1:${port}${path}`, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
      });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON
      }
      return { status: res.status, headers: res.headers, body };
    },
    cli: (args) => runCli(dataDir, env, args),
    async stop(signal = 'SIGTERM') {
      const child = instance.process;
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill(signal);
      await exited;
    },
    async restart() {
      await instance.stop();
      started = await spawnService(dataDir, port, env);
      instance.process = started.child;
    },
    dispose() {
      if (instance.process.exitCode === null && instance.process.signalCode === null) instance.process.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return instance;
}
