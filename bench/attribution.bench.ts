/**
 * bench:attribution — "where did my gift go" through the service's own routes, for a sustainer
 * with ten years of monthly gifts, over the attribution read model of a history of
 * BENCH_ATTRIBUTION_EVENTS (default 1,000,000) events.
 *
 * The service is started in process on an empty data directory (no seeded funds); one sustainer
 * is registered through the command path and given a sustainer token, and an auditor token is
 * issued. Then the synthetic history of bench:ledger's attribution part (ten and a half years:
 * gifts from 5,000 sustainers, income, transfers, spending, improvement expenses, loans lent,
 * repaid and forgiven, refunds, reversals; the registered sustainer giving every month from
 * 2016-01 to 2025-12) is applied by the attribution projection into the service's own read-model
 * database. What this does not do: write those events into the log (building 1M events through
 * the command path takes several minutes more and other projections' work, see bench:rebuild),
 * so the log itself stays small; the routes read the same tables and indexes as they would.
 *
 * Timed through `app.inject` (the whole Fastify/Nest request path: authentication, validation,
 * the query handler, JSON serialisation; no socket), each year 2016–2025 in turn, 20 rounds:
 * - `GET /v1/me/attribution?year=` with the sustainer's token (12 gifts each answer);
 * - `GET /v1/sustainers/{id}/attribution?year=` with the auditor's token;
 * - the ten years one after another (the sustainer's whole history);
 * - `GET /v1/me/donations/{id}/attribution` for every one of the 120 gifts;
 * and the same year query as a plain function call (traceSustainerYear), for the HTTP overhead.
 * The last line printed is one JSON object.
 */
import 'reflect-metadata';
import { CommandBus } from '@nestjs/cqrs';
import { performance } from 'node:perf_hooks';
import { createApp } from '../src/app';
import { CommandOutcome, CommandRunner } from '../src/commands/command-runner';
import { EventStore } from '../src/event-store/event-store.port';
import { issueToken } from '../src/modules/access/manage-tokens';
import { findSustainer, traceSustainerYear } from '../src/modules/accountability/attribution/attribution.queries';
import { RegisterSustainerCommand } from '../src/modules/sustainers/register-sustainer/register-sustainer.handler';
import { ProjectionRunner } from '../src/projections/projection-runner';
import { ReadModelDatabase } from '../src/projections/read-model-database';
import { buildSyntheticHistory } from './attribution.bench-part';
import { benchConfig, log, percentile, perSecond, runBench, scratchDir, stewardContext } from './bench-util';

const EVENTS = Number(process.env.BENCH_ATTRIBUTION_EVENTS ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const YEARS = Array.from({ length: 10 }, (_, i) => 2016 + i);

interface YearAnswer {
  gifts: Array<{ donationId: string; conserved: boolean }>;
}

async function main(): Promise<void> {
  const { dir, cleanup } = scratchDir('attribution');
  // The synthetic history opens its own funds.
  const config = benchConfig(dir, { sqliteSynchronous: 'NORMAL', seedFunds: 'none' });
  const app = await createApp(config, { logger: false });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  try {
    const bus = app.get(CommandBus);
    const runner = app.get(CommandRunner);
    const projections = app.get(ProjectionRunner);
    const registered = await bus.execute<RegisterSustainerCommand, CommandOutcome<{ sustainerId: string }>>(
      new RegisterSustainerCommand(stewardContext('bench-steward'), { displayName: 'Ten Years Monthly', anonymous: false }),
    );
    const sustainerId = registered.response.sustainerId;
    const auditor = await issueToken(runner, stewardContext('bench-operator'), { role: 'auditor', name: 'bench auditor' });
    const mine = await issueToken(runner, stewardContext('bench-operator'), { role: 'sustainer', name: 'bench sustainer', subject: sustainerId });
    await projections.waitFor(await app.get(EventStore).headPosition(), 10_000);

    const db = app.get(ReadModelDatabase).db;
    log(`bench:attribution: applying a synthetic history of ${EVENTS} events to the service's attribution read model (data in ${dir})`);
    const built = buildSyntheticHistory(db, EVENTS, sustainerId);
    const counts = db.prepare('SELECT (SELECT COUNT(*) FROM attr_origins) AS origins, (SELECT COUNT(*) FROM attr_pieces) AS pieces, (SELECT COUNT(*) FROM attr_outflows) AS outflows, (SELECT COUNT(*) FROM attr_consumption) AS consumption').get();
    log(`read model: ${JSON.stringify(counts)}`);

    let yearAnswerBytes = 0;
    const get = async (url: string, token: string): Promise<{ body: unknown; ms: number }> => {
      const t0 = performance.now();
      const res = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
      const ms = performance.now() - t0;
      if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
      if (url.includes('year=')) yearAnswerBytes = Math.max(yearAnswerBytes, res.body.length);
      return { body: JSON.parse(res.body) as unknown, ms };
    };
    const checkYear = (year: number, body: unknown) => {
      const r = body as YearAnswer;
      if (r.gifts.length !== 12 || r.gifts.some((g) => !g.conserved)) throw new Error(`year ${year}: ${r.gifts.length} gifts, or one not conserved`);
      return r;
    };

    // One warm-up pass (prepared statements, JIT), not timed.
    const giftIds: string[] = [];
    for (const year of YEARS) giftIds.push(...checkYear(year, (await get(`/v1/me/attribution?year=${year}`, mine.secret)).body).gifts.map((g) => g.donationId));

    const meYear: number[] = [];
    const auditorYear: number[] = [];
    const tenYears: number[] = [];
    const functionYear: number[] = [];
    const meGift: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      let whole = 0;
      for (const year of YEARS) {
        const r = await get(`/v1/me/attribution?year=${year}`, mine.secret);
        checkYear(year, r.body);
        meYear.push(r.ms);
        whole += r.ms;
      }
      tenYears.push(whole);
      for (const year of YEARS) {
        const r = await get(`/v1/sustainers/${sustainerId}/attribution?year=${year}`, auditor.secret);
        checkYear(year, r.body);
        auditorYear.push(r.ms);
      }
      const sustainer = findSustainer(db, sustainerId)!;
      for (const year of YEARS) {
        const t0 = performance.now();
        checkYear(year, traceSustainerYear(db, sustainer, year, '2026-06-30'));
        functionYear.push(performance.now() - t0);
      }
      if (round < 5) {
        for (const id of giftIds) {
          const r = await get(`/v1/me/donations/${id}/attribution${round % 2 ? '?asOf=2021-03-15' : ''}`, mine.secret);
          if (!(r.body as { conserved: boolean }).conserved) throw new Error(`gift ${id} not conserved`);
          meGift.push(r.ms);
        }
      }
    }
    for (const list of [meYear, auditorYear, tenYears, functionYear, meGift]) list.sort((a, b) => a - b);
    process.stdout.write(
      `${JSON.stringify({
        historyEvents: built.applied,
        historyEventsPerSec: perSecond(built.applied, built.applyMs),
        logEvents: await app.get(EventStore).headPosition(),
        readModelRows: counts,
        sustainerGifts: giftIds.length,
        largestYearAnswerBytes: yearAnswerBytes,
        meYearP50Ms: percentile(meYear, 50),
        meYearP99Ms: percentile(meYear, 99),
        meYearMaxMs: Math.round(meYear[meYear.length - 1] * 100) / 100,
        auditorYearP50Ms: percentile(auditorYear, 50),
        auditorYearP99Ms: percentile(auditorYear, 99),
        tenYearsOneAfterAnotherP50Ms: percentile(tenYears, 50),
        tenYearsOneAfterAnotherP99Ms: percentile(tenYears, 99),
        functionYearP50Ms: percentile(functionYear, 50),
        functionYearP99Ms: percentile(functionYear, 99),
        meGiftP50Ms: percentile(meGift, 50),
        meGiftP99Ms: percentile(meGift, 99),
        heapUsedMb: Math.round(process.memoryUsage().heapUsed / 1048576),
      })}\n`,
    );
  } finally {
    await app.close();
    cleanup();
  }
}

runBench(main);
