/**
 * bench:ledger with BENCH_INSTANCES=2 (needs LEDGER_POSTGRES_URL): the ledger's money movements
 * over HTTP against two compiled service instances on one PostgreSQL log, each with its own data
 * directory, and, in the same run, against one instance on a log of its own on the same server
 * (the baseline). 64 clients; each transfer and disbursement is asked on one instance and approved
 * on the other (on the only one, for the baseline). Afterwards both instances, read at the log's
 * head, must show the same trial balance, summing to zero. The last line printed is one JSON object.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { KeyEncryptionKey } from '../src/modules/sustainers/personal-data/key-wrap';
import { log, percentile, perSecond, random, scratchDir, serviceEnv } from './bench-util';
import { scratchDatabase } from './postgres-store';

const ROOT = join(__dirname, '..', '..');
const CLIENTS = 64;

interface Phase {
  readonly movements: number;
  readonly movementsPerSec: number;
  readonly commandP50Ms: number;
  readonly commandP99Ms: number;
  readonly refused: number;
  readonly refusedBy: Record<string, number>;
  readonly events: number;
}

async function startService(dataDir: string, port: number, env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  mkdirSync(dataDir, { recursive: true });
  const child = spawn(process.execPath, [join('dist', 'src', 'main.js')], {
    cwd: ROOT,
    env: { ...serviceEnv(), ...env, LEDGER_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the instance on port ${port} exited with ${child.exitCode}`);
    const res = await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => undefined);
    if (res?.status === 200) return child;
    if (Date.now() > deadline) throw new Error(`the instance on port ${port} did not become ready`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function call(base: string, token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any; position: number }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: await res.json(), position: Number(res.headers.get('ledger-position') ?? 0) };
}

/** The movements of bench:ledger, over HTTP, spread over `bases` (a request on one, its approval on the next). */
async function drive(bases: readonly string[], token: string, approverToken: string, movements: number): Promise<Phase> {
  const funds = (await call(bases[0], token, 'GET', '/v1/funds')).body.items as Array<{ fundId: string; currency: string; restriction: { class: string; purpose?: string } }>;
  const usd = funds.filter((f) => f.currency === 'USD');
  const rnd = random(42);
  const pick = () => usd[Math.floor(rnd() * usd.length)];
  const day = () => `2026-${String(1 + Math.floor(rnd() * 10)).padStart(2, '0')}-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}`;
  const latencies: number[] = [];
  let refused = 0;
  const refusedBy: Record<string, number> = {};
  let next = 0;
  let head = 0;
  const timed = async (base: string, path: string, body: unknown, as = token) => {
    const t0 = performance.now();
    const res = await call(base, as, 'POST', path, body);
    latencies.push(performance.now() - t0);
    if (res.status === 409 || res.status === 422) {
      refused++;
      const code = String(res.body?.code);
      refusedBy[code] = (refusedBy[code] ?? 0) + 1;
      return undefined;
    }
    if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    head = Math.max(head, res.position);
    return res.body as { movementId: string };
  };
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      for (;;) {
        const i = next++;
        if (i >= movements) return;
        const [asked, approver] = [bases[(client + i) % bases.length], bases[(client + i + 1) % bases.length]];
        const r = rnd();
        if (r < 0.4 || i < 500) {
          await timed(asked, '/v1/income', { fundId: pick().fundId, source: 'bench', category: 'grant', amountMinor: 1000 + Math.floor(rnd() * 9000), currency: 'USD', effectiveAt: day() });
        } else if (r < 0.7) {
          const from = pick();
          if (from.restriction.class === 'donor-restricted') continue;
          const to = usd.filter((f) => f !== from)[Math.floor(rnd() * (usd.length - 1))];
          const req = await timed(asked, '/v1/transfers', { fromFundId: from.fundId, toFundId: to.fundId, amountMinor: 1 + Math.floor(rnd() * 2000), currency: 'USD', effectiveAt: day() });
          if (req) await timed(approver, `/v1/transfers/${req.movementId}/approve`, {}, approverToken);
        } else {
          const f = pick();
          const req = await timed(asked, '/v1/disbursements', {
            fundId: f.fundId, payee: `vendor-${Math.floor(rnd() * 50)}`, category: 'supplies', invoiceReference: `B-${i}`,
            ...(f.restriction.class === 'donor-restricted' ? { purpose: f.restriction.purpose } : {}),
            amountMinor: 1 + Math.floor(rnd() * 2000), currency: 'USD', effectiveAt: day(),
          });
          if (req) await timed(approver, `/v1/disbursements/${req.movementId}/approve`, {}, approverToken);
        }
      }
    }),
  );
  const ms = performance.now() - started;
  latencies.sort((a, b) => a - b);
  // Every instance, once at the last write, shows the same books, balanced.
  const trials = await Promise.all(bases.map((b) => call(b, token, 'GET', `/v1/ledger/trial-balance?minPosition=${head}`)));
  for (const t of trials) {
    if (t.status !== 200) throw new Error(`trial balance: ${t.status} ${JSON.stringify(t.body)}`);
    if (t.body.totalsByAsset.USD !== 0) throw new Error('the trial balance does not sum to zero');
    if (JSON.stringify(t.body.accounts ?? t.body) !== JSON.stringify(trials[0].body.accounts ?? trials[0].body)) throw new Error('the instances disagree on the trial balance');
  }
  return { movements, movementsPerSec: perSecond(movements, ms), commandP50Ms: percentile(latencies, 50), commandP99Ms: percentile(latencies, 99), refused, refusedBy, events: head };
}

async function phase(label: string, adminUrl: string, instances: number, movements: number, root: string): Promise<Phase> {
  const database = await scratchDatabase(adminUrl, label);
  const children: ChildProcess[] = [];
  try {
    const env = {
      LEDGER_STORE: 'postgres', LEDGER_POSTGRES_URL: database.url, LEDGER_KEK: KeyEncryptionKey.generateText(),
      LEDGER_VERIFY_INTERVAL_SECONDS: '0', LEDGER_LOG_LEVEL: 'warn', LEDGER_SEED_FUNDS: 'default',
    };
    const ports = Array.from({ length: instances }, (_, i) => 40000 + Math.floor(Math.random() * 500) * 2 + i);
    const dirs = ports.map((p) => join(root, `${label}-${p}`));
    // The first seeds the funds; the others start on a log that has them.
    children.push(await startService(dirs[0], ports[0], env));
    for (let i = 1; i < instances; i++) children.push(await startService(dirs[i], ports[i], env));
    // Two stewards: whoever asks for a transfer or a disbursement may not approve it.
    const steward = (name: string) =>
      execFileSync(process.execPath, [join('dist', 'src', 'cli.js'), 'tokens', 'create', '--role', 'steward', '--name', name], {
        cwd: ROOT, env: { ...process.env, ...env, LEDGER_DATA_DIR: dirs[0] }, stdio: ['ignore', 'pipe', 'ignore'],
      }).toString().trim().split('\n').pop()!;
    const result = await drive(ports.map((p) => `http://127.0.0.1:${p}`), steward('asks'), steward('approves'), movements);
    log(`  ${label}: ${instances} instance(s), ${result.movements} movements at ${result.movementsPerSec}/s, command p50 ${result.commandP50Ms} ms p99 ${result.commandP99Ms} ms, ${result.refused} refused ${JSON.stringify(result.refusedBy)}, ${result.events} events`);
    return result;
  } finally {
    for (const child of children) {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
    }
    await database.drop().catch(() => undefined);
  }
}

export async function twoInstances(): Promise<void> {
  const url = process.env.LEDGER_POSTGRES_URL;
  if (!url) throw new Error('BENCH_INSTANCES=2 needs LEDGER_POSTGRES_URL (a server where the benchmark may create and drop databases)');
  const movements = Number(process.env.BENCH_MOVEMENTS ?? 20_000);
  const { dir, cleanup } = scratchDir('ledger-instances');
  try {
    log(`bench:ledger with two instances on PostgreSQL: ${movements} movements, ${CLIENTS} clients, then the same on one instance`);
    const two = await phase('two', url, 2, movements, dir);
    const one = await phase('one', url, 1, movements, dir);
    process.stdout.write(
      `${JSON.stringify({ bench: 'ledger', instances: 2, store: 'postgres', twoInstances: two, oneInstance: one, throughputRatio: Math.round((two.movementsPerSec / one.movementsPerSec) * 100) / 100 })}\n`,
    );
  } finally {
    cleanup();
  }
}
