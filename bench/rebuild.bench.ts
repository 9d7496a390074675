/**
 * bench:rebuild — a service started on a log of BENCH_EVENTS (default 1,000,000) events with an
 * empty `readmodels.db`, as after a restore or a new instance: how soon the port is bound, how
 * `/health/live` answers while the read models are rebuilt (polled every 50 ms), how long the
 * rebuild takes (until `/health` leaves `rebuilding`), and the service's peak RSS. The baseline,
 * in the same run, is the bare floor of any rebuild: reading every event of the same `events.db`
 * and parsing its JSON, in one process, with nothing applied.
 *
 * The log is built through the command path in process (gifts from 1,000 sustainers, income,
 * transfers and disbursements, each request approved), so every projection has its real work.
 * Building 1M events takes minutes: BENCH_LOG_DIR keeps the built log there and reuses it on
 * the next run (its events.db, keys.db and the KEK it was made with). BENCH_PROFILE_DIR: the
 * rebuilding service writes a V8 CPU profile there (`node dist/bench/profile-summary.js`).
 * The last line printed is one JSON object.
 */
import 'reflect-metadata';
import { CommandBus } from '@nestjs/cqrs';
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createApp } from '../src/app';
import { EventStore } from '../src/event-store/event-store.port';
import { ProjectionRunner } from '../src/projections/projection-runner';
import { ApproveMovementCommand } from '../src/modules/funds/approve-movement/approve-movement.handler';
import { RecordIncomeCommand } from '../src/modules/funds/record-income/record-income.handler';
import { RequestDisbursementCommand } from '../src/modules/funds/request-disbursement/request-disbursement.handler';
import { RequestTransferCommand } from '../src/modules/funds/request-transfer/request-transfer.handler';
import { RecordDonationCommand } from '../src/modules/sustainers/record-donation/record-donation.handler';
import { RegisterSustainerCommand } from '../src/modules/sustainers/register-sustainer/register-sustainer.handler';
import { KeyEncryptionKey } from '../src/modules/sustainers/personal-data/key-wrap';
import { DomainError } from '../src/shared/domain-error';
import { benchConfig, log, percentile, perSecond, random, runBench, scratchDir, serviceEnv, serviceNodeFlags, stewardContext } from './bench-util';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const WRITERS = 64;
const SUSTAINERS = 1_000;
const ROOT = join(__dirname, '..', '..');

const ctx = stewardContext;

/** Builds a log of at least EVENTS events in `dir` through the command path; returns its KEK text. */
async function buildLog(dir: string): Promise<string> {
  const kekText = KeyEncryptionKey.generateText();
  const config = benchConfig(dir, { sqliteSynchronous: 'NORMAL', kek: KeyEncryptionKey.fromText(kekText), sealIntervalSeconds: 0, verifyIntervalSeconds: 0 });
  const app = await createApp(config, { logger: false });
  await app.init();
  try {
    const bus = app.get(CommandBus);
    const store = app.get(EventStore);
    const send = <R>(command: object) => bus.execute<object, { response: R }>(command);
    await app.get(ProjectionRunner).waitFor(await store.headPosition(), 30_000);
    const funds = await fundsOf(dir);
    if (funds.length < 2) throw new Error(`the seeded funds are not there (${funds.length})`);
    const sustainers: string[] = [];
    for (let i = 0; i < SUSTAINERS; i++) {
      sustainers.push((await send<{ sustainerId: string }>(new RegisterSustainerCommand(ctx('a'), { displayName: `Sustainer ${i}`, anonymous: i % 10 === 0 }))).response.sustainerId);
    }
    const rnd = random(42);
    const pick = () => funds[Math.floor(rnd() * funds.length)];
    const day = () => `2026-${String(1 + Math.floor(rnd() * 10)).padStart(2, '0')}-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}`;
    let head = await store.headPosition();
    let commands = 0;
    let refused = 0;
    const started = performance.now();
    let lastLog = started;
    await Promise.all(
      Array.from({ length: WRITERS }, async () => {
        while (head < EVENTS) {
          const r = rnd();
          try {
            if (r < 0.45) {
              const f = pick();
              await send(new RecordDonationCommand(ctx('a'), { sustainerId: sustainers[Math.floor(rnd() * SUSTAINERS)], fundId: f.fundId, amountMinor: 500 + Math.floor(rnd() * 20_000), currency: 'USD', method: 'card', effectiveAt: day() } as never));
            } else if (r < 0.6) {
              await send(new RecordIncomeCommand(ctx('a'), { fundId: pick().fundId, source: 'bench', category: 'grant', amountMinor: 10_000 + Math.floor(rnd() * 90_000), currency: 'USD', effectiveAt: day() }));
            } else if (r < 0.75) {
              const from = pick();
              const to = funds.filter((f) => f !== from)[Math.floor(rnd() * (funds.length - 1))];
              if (from.restriction.class === 'donor-restricted') continue;
              const req = await send<{ movementId: string }>(new RequestTransferCommand(ctx('a'), { fromFundId: from.fundId, toFundId: to.fundId, amountMinor: 1 + Math.floor(rnd() * 3_000), currency: 'USD', effectiveAt: day() }));
              await send(new ApproveMovementCommand(ctx('b'), req.response.movementId));
            } else {
              const f = pick();
              const req = await send<{ movementId: string }>(new RequestDisbursementCommand(ctx('a'), {
                fundId: f.fundId, payee: `vendor-${Math.floor(rnd() * 200)}`, category: 'supplies', invoiceReference: `R-${commands}`,
                purpose: f.restriction.class === 'donor-restricted' ? f.restriction.purpose : undefined,
                amountMinor: 1 + Math.floor(rnd() * 3_000), currency: 'USD', effectiveAt: day(),
              }));
              await send(new ApproveMovementCommand(ctx('b'), req.response.movementId));
            }
            commands++;
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
            refused++;
          }
          if (commands % 256 === 0) head = await store.headPosition();
          if (performance.now() - lastLog > 30_000) {
            lastLog = performance.now();
            log(`  building: ${head} events, ${perSecond(head, lastLog - started)} events/s`);
          }
        }
      }),
    );
    log(`built ${await store.headPosition()} events (${commands} commands, ${refused} refused) in ${Math.round((performance.now() - started) / 1000)} s`);
  } finally {
    await app.close();
  }
  return kekText;
}

async function fundsOf(dir: string): Promise<Array<{ fundId: string; restriction: { class: string; purpose?: string } }>> {
  const db = new Database(join(dir, 'readmodels.db'), { readonly: true });
  try {
    const rows = db.prepare("SELECT fund_id AS fundId, restriction_class AS class, purpose FROM funds WHERE currency = 'USD' AND status = 'open'").all() as Array<{ fundId: string; class: string; purpose: string | null }>;
    return rows.map((r) => ({ fundId: r.fundId, restriction: { class: r.class, ...(r.purpose ? { purpose: r.purpose } : {}) } }));
  } finally {
    db.close();
  }
}

/** The floor: every event of events.db read and its JSON parsed, nothing applied. */
function rawRead(file: string): { events: number; ms: number } {
  const db = new Database(file, { readonly: true });
  try {
    const started = performance.now();
    let events = 0;
    for (const row of db.prepare('SELECT global_position, event_id, stream_id, stream_version, type, schema_version, recorded_at, effective_at, data, metadata, prev_hash, hash FROM events ORDER BY global_position').raw().iterate() as IterableIterator<unknown[]>) {
      JSON.parse(row[8] as string);
      JSON.parse(row[9] as string);
      events++;
    }
    return { events, ms: performance.now() - started };
  } finally {
    db.close();
  }
}

async function main(): Promise<void> {
  const { dir, cleanup } = scratchDir('rebuild');
  try {
    const logDir = process.env.BENCH_LOG_DIR ?? join(dir, 'log');
    mkdirSync(logDir, { recursive: true });
    const kekFile = join(logDir, 'bench-kek');
    if (!existsSync(join(logDir, 'events.db')) || !existsSync(kekFile)) {
      log(`bench:rebuild: building a log of ${EVENTS} events in ${logDir} (BENCH_LOG_DIR keeps it for the next run)`);
      writeFileSync(kekFile, `${await buildLog(logDir)}\n`, { mode: 0o600 });
    }
    // The service's data directory: the log and the keys, no read models (and no Merkle tree, as after a restore).
    const dataDir = join(dir, 'service');
    mkdirSync(dataDir, { recursive: true });
    for (const file of ['events.db', 'keys.db']) if (existsSync(join(logDir, file))) copyFileSync(join(logDir, file), join(dataDir, file));
    const raw = rawRead(join(dataDir, 'events.db'));
    log(`baseline: read and parsed ${raw.events} events in ${Math.round(raw.ms)} ms (${perSecond(raw.events, raw.ms)} events/s)`);

    const port = 39000 + Math.floor(Math.random() * 1000);
    const profile = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
    const env = {
      ...serviceEnv(), LEDGER_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LEDGER_KEK: readFileSync(kekFile, 'utf8').trim(),
      LEDGER_VERIFY_INTERVAL_SECONDS: '0', LEDGER_LOG_LEVEL: 'warn', LEDGER_SEED_FUNDS: 'default',
    };
    const started = performance.now();
    const service = spawn(process.execPath, [...serviceNodeFlags(), ...profile, join('dist', 'src', 'main.js')], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
    const base = `http://127.0.0.1:${port}`;
    let boundMs: number | undefined;
    const live: number[] = [];
    let failedLive = 0;
    let peakRssMb = 0;
    let doneMs: number | undefined;
    let lastProgress = '';
    try {
      while (doneMs === undefined) {
        if (service.exitCode !== null) throw new Error(`the service exited with ${service.exitCode}`);
        const t0 = performance.now();
        const res = await fetch(`${base}/health/live`, { signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
        if (res) {
          await res.arrayBuffer();
          boundMs ??= performance.now() - started;
          if (res.status === 200) live.push(performance.now() - t0);
          else failedLive++;
          const status = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${service.pid}/status`, 'utf8'));
          if (status) peakRssMb = Math.max(peakRssMb, Math.round(Number(status[1]) / 1024));
          if (live.length % 20 === 0) {
            const health = (await (await fetch(`${base}/health`)).json()) as { status: string; checks?: { projections?: { rebuilding?: { position: number; target: number; eventsPerSecond?: number } } } };
            if (health.status !== 'rebuilding') doneMs = performance.now() - started;
            const progress = health.checks?.projections?.rebuilding;
            if (progress && performance.now() - started > 10_000 && JSON.stringify(progress) !== lastProgress && live.length % 200 === 0) {
              lastProgress = JSON.stringify(progress);
              log(`  rebuilding: ${progress.position} of ${progress.target}`);
            }
          }
        } else if (boundMs !== undefined) failedLive++;
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      service.kill('SIGTERM');
      if (service.exitCode === null) await once(service, 'exit');
    }
    live.sort((a, b) => a - b);
    const rebuildMs = doneMs - (boundMs ?? 0);
    const result = {
      bench: 'rebuild',
      events: raw.events,
      portBoundMs: Math.round(boundMs ?? -1),
      rebuildMs: Math.round(doneMs),
      rebuildEventsPerSec: perSecond(raw.events, doneMs),
      baselineReadEventsPerSec: perSecond(raw.events, raw.ms),
      rebuildRatio: Math.round((raw.ms / doneMs) * 100) / 100,
      liveAnswers: live.length,
      liveFailed: failedLive,
      liveP99Ms: percentile(live, 99),
      liveMaxMs: Math.round(live[live.length - 1] ?? -1),
      peakRssMb,
    };
    log(`rebuild: ${raw.events} events in ${Math.round(doneMs / 1000)} s from the start (${perSecond(raw.events, doneMs)} events/s; port bound after ${Math.round(boundMs ?? -1)} ms, ${Math.round(rebuildMs)} ms after that); /health/live ${live.length} answers, p99 ${result.liveP99Ms} ms, max ${result.liveMaxMs} ms, ${failedLive} failed; peak RSS ${peakRssMb} MB`);
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    cleanup();
  }
}

runBench(main);
