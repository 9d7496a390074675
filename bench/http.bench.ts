/**
 * bench:http — `POST /v1/donations` on the real service against the bare baseline
 * (bench/http-baseline.ts), in one run, rounds alternating, 64 connections: gifts spread over the
 * default funds from 200 sustainers, then every gift to one fund. Each side runs as its own
 * process on loopback; the load comes from autocannon in this process. Every answer of the service
 * comes after its own durable commit (synchronous=FULL), as in production.
 *
 * BENCH_SECONDS (10) per round, BENCH_ROUNDS (3), BENCH_CONNECTIONS (64), BENCH_PROFILE_DIR (profile
 * the service, see below). The last line printed
 * is one JSON object with the medians and the ratios.
 */
import autocannon from 'autocannon';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { join } from 'node:path';
import { log, runBench, scratchDir } from './bench-util';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const SUSTAINERS = 200;
const ROOT = join(__dirname, '..', '..');

interface Round { rps: number; p50: number; p99: number; errors: number }

/** Starts a process and waits for the line that says it listens. */
async function start(args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let seen = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      if (ready.test(seen)) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${args[0]} exited ${code}: ${seen.slice(-2000)}`)));
  });
  child.stdout!.removeAllListeners('data').resume();
  child.stderr!.removeAllListeners('data').resume();
  return child;
}

async function until(done: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('the service did not answer /health/live in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await once(child, 'exit');
}

async function json(url: string, token: string, method = 'GET', body?: unknown): Promise<any> {
  const res = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
  return res.json();
}

async function load(url: string, token: string | undefined, body: () => string): Promise<Round> {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: SECONDS,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    requests: [{ method: 'POST', setupRequest: (req) => ({ ...req, body: body() }) }],
  });
  return {
    rps: Math.round(result.requests.total / (result.duration || SECONDS)),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.non2xx + result.errors + result.timeouts,
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const { dir, cleanup } = scratchDir('http');
  const servicePort = 38000 + Math.floor(Math.random() * 1000);
  const baselinePort = servicePort + 1;
  const env = {
    LEDGER_DATA_DIR: dir, PORT: String(servicePort), HOST: '127.0.0.1', LEDGER_SEED_FUNDS: 'default', LEDGER_VERIFY_INTERVAL_SECONDS: '0',
    // A throw-away key-encryption key for the run's keys.db (the service refuses to start without one).
    LEDGER_KEK: randomBytes(32).toString('base64'),
    // One log line per request would be the bench's own cost: only warnings and errors.
    LEDGER_LOG_LEVEL: 'warn',
  };
  // BENCH_PROFILE_DIR: the service writes V8 CPU profiles there (one per thread) when it stops;
  // `node dist/bench/profile-summary.js <dir>/*.cpuprofile` shows where the time went.
  const profile = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
  const service = spawn(process.execPath, [...profile, join('dist', 'src', 'main.js')], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  await until(async () => (await fetch(`http://127.0.0.1:${servicePort}/health/live`).catch(() => undefined))?.status === 200, 60_000);
  const baseline = await start([join('dist', 'bench', 'http-baseline.js'), dir, String(baselinePort)], {}, /listening/);
  try {
    const out = execFileSync(process.execPath, [join('dist', 'src', 'cli.js'), 'tokens', 'create', '--role', 'steward', '--name', 'bench'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'ignore'] });
    const token = out.toString().trim().split('\n').pop()!;
    const base = `http://127.0.0.1:${servicePort}`;
    const funds: { fundId: string; code: string; currency: string; restriction?: unknown }[] = (await json(`${base}/v1/funds`, token)).items;
    const sustainers: string[] = [];
    for (let i = 0; i < SUSTAINERS; i += 20) {
      const batch = await Promise.all(
        Array.from({ length: 20 }, (_, j) => json(`${base}/v1/sustainers`, token, 'POST', { displayName: `Bench Sustainer ${i + j}`, anonymous: false })),
      );
      sustainers.push(...batch.map((s) => s.sustainerId as string));
    }
    const day = new Date().toISOString().slice(0, 10);
    let n = 0;
    const gift = (fundIds: readonly string[]) => () =>
      JSON.stringify({ sustainerId: sustainers[n % SUSTAINERS], fundId: fundIds[n++ % fundIds.length], amountMinor: 2500, currency: 'USD', method: 'card', effectiveAt: day });
    const usd = funds.filter((f) => f.currency === 'USD').map((f) => f.fundId);
    const scenarios = { spread: usd, hot: [usd[0]] };
    log(`bench:http: ${ROUNDS} rounds of ${SECONDS} s, ${CONNECTIONS} connections; ${usd.length} funds, ${SUSTAINERS} sustainers; data in ${dir}`);

    const report: Record<string, unknown> = {};
    for (const [name, fundIds] of Object.entries(scenarios)) {
      const bare: Round[] = [];
      const real: Round[] = [];
      // Warm both up (JIT, caches) before the measured rounds.
      await load(`http://127.0.0.1:${baselinePort}/v1/donations`, undefined, gift(fundIds));
      await load(`${base}/v1/donations`, token, gift(fundIds));
      for (let r = 0; r < ROUNDS; r++) {
        bare.push(await load(`http://127.0.0.1:${baselinePort}/v1/donations`, undefined, gift(fundIds)));
        real.push(await load(`${base}/v1/donations`, token, gift(fundIds)));
        log(`  ${name} round ${r + 1}: baseline ${bare[r].rps} req/s p99 ${bare[r].p99} ms | service ${real[r].rps} req/s p99 ${real[r].p99} ms (${real[r].errors} not 201)`);
      }
      const b = { rps: median(bare.map((x) => x.rps)), p50: median(bare.map((x) => x.p50)), p99: median(bare.map((x) => x.p99)) };
      const s = { rps: median(real.map((x) => x.rps)), p50: median(real.map((x) => x.p50)), p99: median(real.map((x) => x.p99)), errors: real.reduce((a, x) => a + x.errors, 0) };
      report[name] = {
        baseline: b,
        service: s,
        throughputRatio: Math.round((s.rps / b.rps) * 100) / 100,
        p99Ratio: Math.round((s.p99 / b.p99) * 100) / 100,
      };
      log(`${name}: baseline ${b.rps} req/s p99 ${b.p99} ms; service ${s.rps} req/s p99 ${s.p99} ms; ratio ${(s.rps / b.rps).toFixed(2)}, p99 ${(s.p99 / b.p99).toFixed(2)} ×`);
    }
    process.stdout.write(`${JSON.stringify({ bench: 'http', seconds: SECONDS, rounds: ROUNDS, connections: CONNECTIONS, ...report })}\n`);
  } finally {
    await stop(service);
    await stop(baseline);
    cleanup();
  }
}

runBench(main, { exitAtOnce: true });
