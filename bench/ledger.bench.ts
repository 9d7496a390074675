/**
 * bench:ledger — 100,000 money movements across the default funds through the command path
 * (decider, group-committed durable appends, conflict retries), 64 at a time; then balance
 * queries over HTTP (inject: auth, validation, read model), current and as of random dates.
 * The as-of query is also timed after the first tenth of the movements, to show its cost does
 * not grow with the log. Then the attribution projection (bench/attribution.bench-part.ts): its
 * events/s rebuilt from this log and over a large synthetic history, and "where did my gift go" for
 * a sustainer with ten years of monthly gifts. The last line printed is one JSON object.
 */
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { createApp } from '../src/app';
import { CommandBus } from '@nestjs/cqrs';
import { ApproveMovementCommand } from '../src/modules/funds/approve-movement/approve-movement.handler';
import type { MovementResponse } from '../src/modules/funds/funds-writes';
import { RecordIncomeCommand } from '../src/modules/funds/record-income/record-income.handler';
import { RequestDisbursementCommand } from '../src/modules/funds/request-disbursement/request-disbursement.handler';
import { RequestTransferCommand } from '../src/modules/funds/request-transfer/request-transfer.handler';
import { issueToken } from '../src/modules/access/manage-tokens';
import { CommandOutcome, CommandRunner } from '../src/commands/command-runner';
import { ProjectionRunner } from '../src/projections/projection-runner';
import { DomainError } from '../src/shared/domain-error';
import { EventStore } from '../src/event-store/event-store.port';
import { benchConfig, log, percentile, perSecond, random, runBench, scratchDir, stewardContext } from './bench-util';
import { attributionAtScale, attributionFromLog } from './attribution.bench-part';
import { ledgerEventCatalogue } from '../src/composition';
import { twoInstances } from './ledger-instances.bench-part';

const MOVEMENTS = Number(process.env.BENCH_MOVEMENTS ?? 100_000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 10_000);
const WRITERS = 64;
/** Events of the synthetic history the attribution's "where did my gift go" is timed at (0 skips it). */
const ATTRIBUTION_EVENTS = Number(process.env.BENCH_ATTRIBUTION_EVENTS ?? 1_000_000);

const ctx = stewardContext;

async function main(): Promise<void> {
  const { dir, cleanup } = scratchDir('ledger');
  const config = benchConfig(dir);
  const app = await createApp(config, { logger: false });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  try {
    const bus = app.get(CommandBus);
    const send = <C extends object>(command: C) => bus.execute<C, CommandOutcome<MovementResponse>>(command);
    const store = app.get(EventStore);
    const projections = app.get(ProjectionRunner);
    const token = await issueToken(app.get(CommandRunner), ctx('bench-operator'), { role: 'auditor', name: 'bench' });
    await projections.waitFor(token.position, 10_000);
    const fundsRes = await app.inject({ method: 'GET', url: '/v1/funds', headers: { authorization: `Bearer ${token.secret}` } });
    const funds = (JSON.parse(fundsRes.body) as { items: Array<{ fundId: string; code: string; restriction: { class: string; purpose?: string } }> }).items;
    log(`bench:ledger: ${MOVEMENTS} movements over ${funds.length} funds, ${WRITERS} writers, data in ${dir}`);

    const rnd = random(42);
    const pick = () => funds[Math.floor(rnd() * funds.length)];
    const day = () => `2026-${String(1 + Math.floor(rnd() * 10)).padStart(2, '0')}-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}T12:00:00.000Z`;
    const counts = { income: 0, transfer: 0, disbursement: 0, refused: 0 };
    // Donor-restricted money cannot be transferred to another purpose: those funds only spend.
    let lastPicked = funds[0];
    const from0 = (_: () => number) => (lastPicked = pick());

    const asOfLatencies = async (n: number): Promise<number[]> => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) {
        const f = pick();
        const started = performance.now();
        const res = await app.inject({ method: 'GET', url: `/v1/funds/${f.fundId}/balance?asOf=${day().slice(0, 10)}`, headers: { authorization: `Bearer ${token.secret}` } });
        out.push(performance.now() - started);
        if (res.statusCode !== 200) throw new Error(res.body);
      }
      return out.sort((a, b) => a - b);
    };

    let next = 0;
    let earlyAsOf: number[] = [];
    const started = performance.now();
    await Promise.all(
      Array.from({ length: WRITERS }, async () => {
        for (;;) {
          const i = next++;
          if (i >= MOVEMENTS) return;
          const r = rnd();
          try {
            if (r < 0.4 || i < 1000) {
              const f = pick();
              await send(new RecordIncomeCommand(ctx('a'), { fundId: f.fundId, source: 'bench', category: 'grant', amountMinor: 1000 + Math.floor(rnd() * 9000), currency: 'USD', effectiveAt: day() }));
              counts.income += 1;
            } else if (r < 0.7 && from0(rnd).restriction.class !== 'donor-restricted') {
              const from = lastPicked;
              const candidates = funds.filter((f) => f !== from);
              const to = candidates[Math.floor(rnd() * candidates.length)];
              const req = await send(new RequestTransferCommand(ctx('a'), { fromFundId: from.fundId, toFundId: to.fundId, amountMinor: 1 + Math.floor(rnd() * 2000), currency: 'USD', effectiveAt: day() }));
              await send(new ApproveMovementCommand(ctx('b'), req.response.movementId));
              counts.transfer += 1;
            } else {
              const f = pick();
              const req = await send(new RequestDisbursementCommand(ctx('a'), {
                fundId: f.fundId, payee: `vendor-${Math.floor(rnd() * 50)}`, category: 'supplies', invoiceReference: `B-${i}`,
                purpose: f.restriction.class === 'donor-restricted' ? f.restriction.purpose : undefined,
                amountMinor: 1 + Math.floor(rnd() * 2000), currency: 'USD', effectiveAt: day(),
              }));
              await send(new ApproveMovementCommand(ctx('b'), req.response.movementId));
              counts.disbursement += 1;
            }
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
            counts.refused += 1;
          }
          if (i === Math.floor(MOVEMENTS / 10)) {
            await projections.waitFor(await store.headPosition(), 60_000);
            earlyAsOf = await asOfLatencies(1000);
          }
        }
      }),
    );
    const writeMs = performance.now() - started;
    const head = await store.headPosition();
    const catchUpStarted = performance.now();
    await projections.waitFor(head, 600_000);
    const catchUpMs = performance.now() - catchUpStarted;
    log(`movements: ${JSON.stringify(counts)} in ${Math.round(writeMs)} ms; ${head} events; projections caught up ${Math.round(catchUpMs)} ms later`);

    const current: number[] = [];
    for (let i = 0; i < QUERIES; i++) {
      const f = pick();
      const t0 = performance.now();
      const res = await app.inject({ method: 'GET', url: `/v1/funds/${f.fundId}/balance`, headers: { authorization: `Bearer ${token.secret}` } });
      current.push(performance.now() - t0);
      if (res.statusCode !== 200) throw new Error(res.body);
    }
    current.sort((a, b) => a - b);
    const asOf = await asOfLatencies(QUERIES);
    const trial = JSON.parse(
      (await app.inject({ method: 'GET', url: '/v1/ledger/trial-balance', headers: { authorization: `Bearer ${token.secret}` } })).body,
    ) as { totalsByAsset: Record<string, number> };
    if (trial.totalsByAsset.USD !== 0) throw new Error('trial balance does not sum to zero');

    const movements = counts.income + counts.transfer + counts.disbursement;
    const fromLog = await attributionFromLog(store, ledgerEventCatalogue(), dir);
    log(`attribution rebuilt from this log: ${fromLog.events} events at ${fromLog.eventsPerSec} events/s`);
    const atScale = ATTRIBUTION_EVENTS > 0 ? attributionAtScale(dir, ATTRIBUTION_EVENTS) : {};
    process.stdout.write(
      `${JSON.stringify({
        movements,
        refused: counts.refused,
        events: head,
        movementsPerSec: perSecond(movements, writeMs),
        projectionCatchUpMs: Math.round(catchUpMs),
        balanceQueryP50Ms: percentile(current, 50),
        balanceQueryP99Ms: percentile(current, 99),
        asOfQueryP50Ms: percentile(asOf, 50),
        asOfQueryP99Ms: percentile(asOf, 99),
        asOfQueryP99MsAtOneTenth: percentile(earlyAsOf, 99),
        attributionReplayEventsPerSec: fromLog.eventsPerSec,
        ...atScale,
        heapUsedMb: Math.round(process.memoryUsage().heapUsed / 1048576),
      })}\n`,
    );
  } finally {
    await app.close();
    cleanup();
  }
}

runBench(Number(process.env.BENCH_INSTANCES ?? 1) > 1 ? twoInstances : main);
