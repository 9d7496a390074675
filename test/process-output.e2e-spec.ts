import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, freePort } from './support/processes';

const main = join(ROOT, 'dist', 'src', 'main.js');

function serviceEnv(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { KAFKA_BROKERS: _brokers, ...env } = process.env;
  return { ...env, LEDGER_DATA_DIR: dataDir, HOST: '127.0.0.1', ...extra };
}

async function healthOf(port: number, deadline: number): Promise<number | undefined> {
  while (Date.now() < deadline) {
    try {
      return (await fetch(`http://127.0.0.1:${port}/health/live`)).status;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return undefined;
}

describe('the service and its own output', () => {
  let dataDir: string;
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'ledger-output-'))));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts and keeps serving with stdout on a closed pipe and stderr on a full disk (/dev/full)', async () => {
    const full = openSync('/dev/full', 'w');
    const port = freePort();
    const child = spawn(process.execPath, [main], { cwd: ROOT, env: serviceEnv(dataDir, { PORT: String(port) }), stdio: ['ignore', 'pipe', full] });
    closeSync(full);
    // Nobody reads stdout: every log line the service writes there fails with EPIPE.
    child.stdout!.destroy();
    try {
      expect(await healthOf(port, Date.now() + 20_000)).toBe(200);
      // It answers on, and stays up, with every line it writes to stdout failing.
      for (let i = 0; i < 5; i++) expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBeLessThan(600);
      await new Promise((r) => setTimeout(r, 300));
      expect(child.exitCode).toBeNull();
    } finally {
      child.kill('SIGKILL');
    }
  });
});

describe('guardProcessOutput', () => {
  it('drops lines a full disk refuses, keeps the stream open for when space returns, and the process goes on', () => {
    const script = `
      const { guardProcessOutput } = require(${JSON.stringify(join(ROOT, 'dist', 'src', 'health', 'process-output.js'))});
      const guard = guardProcessOutput();
      for (let i = 0; i < 50; i++) process.stdout.write('line ' + i + '\\n');
      console.log('through console.log');
      process.stdout.write(Buffer.from('bytes\\n'), () => {
        setTimeout(() => require('fs').writeSync(3, JSON.stringify({ destroyed: process.stdout.destroyed, dropped: [...guard.dropped] })), 50);
      });`;
    const full = openSync('/dev/full', 'w');
    try {
      const result = spawnSync(process.execPath, ['-e', script], { stdio: ['ignore', full, full, 'pipe'], encoding: 'utf8', timeout: 20_000 });
      expect(result.status).toBe(0);
      const report = JSON.parse(result.output[3] as string);
      expect(report).toEqual({ destroyed: false, dropped: [['ENOSPC', 52]] });
    } finally {
      closeSync(full);
    }
  });
});

describe('configuration is checked before any file is created', () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'ledger-config-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const run = (env: Record<string, string>): Promise<{ code: number | null; stderr: string }> =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, [main], { cwd: ROOT, env: serviceEnv(join(root, 'data'), { PORT: String(freePort()), ...env }), stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      child.on('exit', (code) => {
        clearTimeout(timer);
        resolve({ code, stderr });
      });
    });

  it.each([
    ['a bad seed currency', { LEDGER_SEED_CURRENCY: 'usd' }, 'LEDGER_SEED_CURRENCY'],
    ['a missing seed funds file', { LEDGER_SEED_FUNDS: '/nonexistent/funds.json' }, 'LEDGER_SEED_FUNDS'],
  ])('%s stops the start with a message and creates no data directory', async (_what, env, name) => {
    const result = await run(env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('configuration:');
    expect(result.stderr).toContain(name);
    expect(existsSync(join(root, 'data'))).toBe(false);
  });

  it('a data directory that is a file stops the start before anything is opened', async () => {
    writeFileSync(join(root, 'data'), 'not a directory');
    const result = await run({});
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('LEDGER_DATA_DIR');
    expect(result.stderr).toContain('is not a directory');
  });
});
