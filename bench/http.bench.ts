/**
 * bench:http — `POST /v1/donations` on the real service against the bare baseline
 * (bench/http-baseline.ts) and the stack's floor (bench/http-nest-floor.ts: Nest, the service's
 * ValidationPipe and DTO, the bare baseline's durable work), in one run, rounds alternating, 64
 * connections: gifts spread over the
 * default funds from 200 sustainers, then every gift to one fund. Each side runs as its own
 * process on loopback; the load comes from autocannon in this process. Every answer of the service
 * comes after its own durable commit (synchronous=FULL), as in production.
 *
 * BENCH_SECONDS (10) per round, BENCH_ROUNDS (3), BENCH_CONNECTIONS (64), BENCH_SCENARIOS (a
 * comma-separated subset of spread,hot,edge), BENCH_PROFILE_DIR (profile the service, see below). The last line printed
 * is one JSON object with the medians and the ratios.
 */
import autocannon from 'autocannon';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { join } from 'node:path';
import { log, median, runBench, scratchDir, serviceEnv, serviceNodeFlags } from './bench-util';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const SUSTAINERS = 200;
const ROOT = join(__dirname, '..', '..');

interface Round { rps: number; p50: number; p99: number; errors: number }

/** The answer each round expects: 201 for a gift; 400 for the edge's refused one. */
type Expect = 201 | 400;

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

async function load(url: string, token: string | undefined, body: () => string, expect: Expect = 201): Promise<Round> {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: SECONDS,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    requests: [{ method: 'POST', setupRequest: (req) => ({ ...req, body: body() }) }],
  });
  const stats = (result as unknown as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {};
  const expected = stats[String(expect)]?.count ?? 0;
  return {
    rps: Math.round(result.requests.total / (result.duration || SECONDS)),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.requests.total - expected + result.errors + result.timeouts,
  };
}


async function main(): Promise<void> {
  const { dir, cleanup } = scratchDir('http');
  const servicePort = 38000 + Math.floor(Math.random() * 1000);
  const baselinePort = servicePort + 1;
  const floorPort = servicePort + 2;
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
  const service = spawn(process.execPath, [...serviceNodeFlags(), ...profile, join('dist', 'src', 'main.js')], { cwd: ROOT, env: { ...serviceEnv(), ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  await until(async () => (await fetch(`http://127.0.0.1:${servicePort}/health/live`).catch(() => undefined))?.status === 200, 60_000);
  const baseline = await start([join('dist', 'bench', 'http-baseline.js'), dir, String(baselinePort)], {}, /listening/);
  const floor = await start([join('dist', 'bench', 'http-nest-floor.js'), dir, String(floorPort)], {}, /listening/);
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
    const gift = (fundIds: readonly string[], amountMinor = 2500) => () =>
      JSON.stringify({ sustainerId: sustainers[n % SUSTAINERS], fundId: fundIds[n++ % fundIds.length], amountMinor, currency: 'USD', method: 'card', effectiveAt: day });
    const usd = funds.filter((f) => f.currency === 'USD').map((f) => f.fundId);
    // `edge` is the ceiling of any command in this stack: the same route and token, a gift whose
    // amount the DTO refuses (0), so Fastify, Nest's routing, the guards (token, role, rate
    // limit), the whole ValidationPipe and the problem document run, and nothing after them.
    // `floor`: the stack floor (bench/http-nest-floor.ts) is measured in that scenario's rounds too.
    const only = process.env.BENCH_SCENARIOS?.split(',');
    const scenarios = [
      { name: 'spread', fundIds: usd, amountMinor: 2500, expect: 201 as Expect, floor: true },
      { name: 'hot', fundIds: [usd[0]], amountMinor: 2500, expect: 201 as Expect, floor: true },
      { name: 'edge', fundIds: usd, amountMinor: 0, expect: 400 as Expect, floor: false },
    ].filter((x) => !only || only.includes(x.name));
    log(`bench:http: ${ROUNDS} rounds of ${SECONDS} s, ${CONNECTIONS} connections; ${usd.length} funds, ${SUSTAINERS} sustainers; data in ${dir}`);

    const report: Record<string, unknown> = {};
    const summary = (rounds: Round[]) => ({ rps: median(rounds.map((x) => x.rps)), p50: median(rounds.map((x) => x.p50)), p99: median(rounds.map((x) => x.p99)), errors: rounds.reduce((a, x) => a + x.errors, 0) });
    const ratios = (x: { rps: number; p99: number }, b: { rps: number; p99: number }) => ({ throughputRatio: Math.round((x.rps / b.rps) * 100) / 100, p99Ratio: Math.round((x.p99 / b.p99) * 100) / 100 });
    for (const { name, fundIds, amountMinor, expect, floor } of scenarios) {
      const bare: Round[] = [];
      const nest: Round[] = [];
      const real: Round[] = [];
      const bareRound = () => load(`http://127.0.0.1:${baselinePort}/v1/donations`, undefined, gift(fundIds));
      const floorRound = () => load(`http://127.0.0.1:${floorPort}/v1/donations`, undefined, gift(fundIds));
      const serviceRound = () => load(`${base}/v1/donations`, token, gift(fundIds, amountMinor), expect);
      // Warm each up (JIT, caches) before the measured rounds.
      await bareRound();
      if (floor) await floorRound();
      await serviceRound();
      for (let r = 0; r < ROUNDS; r++) {
        bare.push(await bareRound());
        if (floor) nest.push(await floorRound());
        real.push(await serviceRound());
        const floorText = floor ? ` | stack floor ${nest[r].rps} req/s p99 ${nest[r].p99} ms` : '';
        log(`  ${name} round ${r + 1}: baseline ${bare[r].rps} req/s p99 ${bare[r].p99} ms${floorText} | service ${real[r].rps} req/s p99 ${real[r].p99} ms (${real[r].errors} not ${expect})`);
      }
      const b = summary(bare);
      const s = summary(real);
      const f = floor ? summary(nest) : undefined;
      report[name] = { baseline: b, ...(f ? { stackFloor: { ...f, ...ratios(f, b) } } : {}), service: s, ...ratios(s, b) };
      const floorText = f ? `; stack floor ${f.rps} req/s p99 ${f.p99} ms, ratio ${(f.rps / b.rps).toFixed(2)}` : '';
      log(`${name}: baseline ${b.rps} req/s p99 ${b.p99} ms${floorText}; service ${s.rps} req/s p99 ${s.p99} ms; ratio ${(s.rps / b.rps).toFixed(2)}, p99 ${(s.p99 / b.p99).toFixed(2)} ×`);
    }
    process.stdout.write(`${JSON.stringify({ bench: 'http', seconds: SECONDS, rounds: ROUNDS, connections: CONNECTIONS, ...report })}\n`);
  } finally {
    await stop(service);
    await stop(baseline);
    await stop(floor);
    cleanup();
  }
}

runBench(main, { exitAtOnce: true });
