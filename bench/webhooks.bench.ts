/**
 * bench:webhooks — what webhook delivery costs the command path, and how fast it delivers.
 * Income commands (16 writers at a time) with no subscriber, then with three subscribers of
 * every type on a loopback receiver: command latency both ways, and from each command's
 * acknowledgement to the receiver holding its events. Then the receiver answers 503 while a
 * backlog is written, recovers, and the time to drain it is measured. Last line: one JSON object.
 */
import 'reflect-metadata';
import { Worker } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { CommandBus } from '@nestjs/cqrs';
import { createApp } from '../src/app';
import { CommandContext } from '../src/commands/command-context';
import { CommandOutcome, CommandRunner } from '../src/commands/command-runner';
import { issueToken } from '../src/modules/access/manage-tokens';
import type { MovementResponse } from '../src/modules/funds/funds-writes';
import { RecordIncomeCommand } from '../src/modules/funds/record-income/record-income.handler';
import { ChangeWebhookCommand } from '../src/modules/webhooks/change-webhook/change-webhook.handler';
import { RegisterWebhookCommand, type WebhookRegistered } from '../src/modules/webhooks/register-webhook/register-webhook.handler';
import { ProjectionRunner } from '../src/projections/projection-runner';
import { benchConfig, log, percentile, perSecond, runBench, scratchDir } from './bench-util';

const COMMANDS = Number(process.env.BENCH_COMMANDS ?? 3000);
const SUBSCRIBERS = 3;
const WRITERS = 16;

const RECEIVER = `
const { createServer } = require('node:http');
const { parentPort } = require('node:worker_threads');
let failing = false;
parentPort.on('message', (m) => { failing = m.failing; });
const server = createServer((request, response) => {
  const chunks = [];
  request.on('data', (c) => chunks.push(c));
  request.on('end', () => {
    if (failing) return void response.writeHead(503).end();
    const at = performance.timeOrigin + performance.now();
    const events = JSON.parse(Buffer.concat(chunks).toString('utf8')).events;
    parentPort.postMessage({ at, count: events.length, ids: events.map((e) => e.data.movementId).filter(Boolean) });
    response.writeHead(204).end();
  });
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
`;

function ctx(): CommandContext {
  return { actor: { id: 'token:bench', role: 'steward' }, correlationId: 'bench', causationId: 'bench', now: new Date() };
}

async function main(): Promise<void> {
  const { dir, cleanup } = scratchDir('webhooks');
  // The receiver runs in its own thread, as a real one would be on its own machine: its parsing is not the service's cost.
  const arrivals = new Map<string, number>();
  let received = 0;
  const receiver = new Worker(RECEIVER, { eval: true });
  receiver.on('message', (m: { port?: number; ids?: string[]; count?: number; at?: number }) => {
    if (m.ids) {
      received += m.count ?? 0;
      for (const id of m.ids) if (!arrivals.has(id)) arrivals.set(id, m.at!);
    }
  });
  const port = await new Promise<number>((resolve) => receiver.once('message', (m: { port: number }) => resolve(m.port)));
  const setFailing = (failing: boolean) => receiver.postMessage({ failing });
  const url = `http://127.0.0.1:${port}/hook`;
  const config = benchConfig(dir, { webhookMaxBackoffMs: 1000 });
  const app = await createApp(config, { logger: false });
  await app.init();
  try {
    const bus = app.get(CommandBus);
    const projections = app.get(ProjectionRunner);
    const token = await issueToken(app.get(CommandRunner), ctx(), { role: 'auditor', name: 'bench' });
    await projections.waitFor(token.position, 10_000);
    const funds = JSON.parse((await app.inject({ method: 'GET', url: '/v1/funds', headers: { authorization: `Bearer ${token.secret}` } })).body).items as Array<{ fundId: string }>;

    const acks = new Map<string, number>();
    const run = async (label: string): Promise<{ p50: number; p99: number; perSec: number }> => {
      const latencies: number[] = [];
      let next = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: WRITERS }, async () => {
          while (next < COMMANDS) {
            const n = next++;
            const t0 = performance.timeOrigin + performance.now();
            const outcome = await bus.execute<RecordIncomeCommand, CommandOutcome<MovementResponse>>(
              new RecordIncomeCommand(ctx(), { fundId: funds[n % funds.length].fundId, source: `src ${n % 50}`, category: 'grant', amountMinor: 100 + n, currency: 'USD', effectiveAt: '2026-03-01T00:00:00.000Z' }),
            );
            const t1 = performance.timeOrigin + performance.now();
            latencies.push(t1 - t0);
            acks.set(outcome.response.movementId, t1);
          }
        }),
      );
      const ms = performance.now() - started;
      latencies.sort((a, b) => a - b);
      const result = { p50: percentile(latencies, 50), p99: percentile(latencies, 99), perSec: perSecond(COMMANDS, ms) };
      log(`${label}: ${COMMANDS} commands, ${result.perSec}/s, latency p50 ${result.p50} ms p99 ${result.p99} ms`);
      return result;
    };

    const without = await run('no subscriber');
    acks.clear();
    let position = 0;
    for (let i = 0; i < SUBSCRIBERS; i++) {
      const r = await bus.execute<RegisterWebhookCommand, CommandOutcome<WebhookRegistered>>(new RegisterWebhookCommand(ctx(), { url, eventTypes: ['*'] }));
      position = r.position;
    }
    await projections.waitFor(position, 10_000);
    await new Promise((r) => setTimeout(r, 1000));
    received = 0;
    const withHooks = await run(`${SUBSCRIBERS} subscribers`);
    // The same again, paused and then resumed, so that changing load on the machine shows.
    const ids: string[] = [];
    for (const row of JSON.parse((await app.inject({ method: 'GET', url: '/v1/webhooks', headers: { authorization: `Bearer ${token.secret}` } })).body).items) ids.push(row.subscriptionId);
    const change = async (action: 'pause' | 'resume') => {
      let last = 0;
      for (const id of ids) last = (await bus.execute<ChangeWebhookCommand, CommandOutcome<unknown>>(new ChangeWebhookCommand(ctx(), id, { action }))).position;
      await projections.waitFor(last, 10_000);
      await new Promise((r) => setTimeout(r, 700));
    };
    const expected0 = COMMANDS * 3 * SUBSCRIBERS;
    while (received < expected0) await new Promise((r) => setTimeout(r, 20));
    await change('pause');
    const pausedRun = await run('subscribers paused');
    await change('resume');
    received = 0;
    acks.clear();
    const withHooks2 = await run(`${SUBSCRIBERS} subscribers again`);
    const expected = COMMANDS * 3 * SUBSCRIBERS;
    const end = Date.now() + 120_000;
    while (received < expected && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    const delivery = [...acks].map(([id, ack]) => (arrivals.get(id) ?? Number.NaN) - ack).filter(Number.isFinite).sort((a, b) => a - b);
    log(`ack → receiver: p50 ${percentile(delivery, 50)} ms p99 ${percentile(delivery, 99)} ms (${delivery.length} movements)`);

    setFailing(true);
    await new Promise((r) => setTimeout(r, 100));
    received = 0;
    await run('backlog while the receiver answers 503');
    await new Promise((r) => setTimeout(r, 1500));
    const backlog = COMMANDS * 3 * SUBSCRIBERS;
    setFailing(false);
    const drainStart = performance.now();
    while (received < backlog && performance.now() - drainStart < 300_000) await new Promise((r) => setTimeout(r, 10));
    const drainMs = performance.now() - drainStart;
    log(`drained ${received} of ${backlog} events in ${Math.round(drainMs)} ms after recovery`);
    console.log(
      JSON.stringify({
        commands: COMMANDS,
        subscribers: SUBSCRIBERS,
        commandP50MsWithout: without.p50,
        commandP99MsWithout: without.p99,
        commandsPerSecWithout: without.perSec,
        commandP50MsWith: withHooks.p50,
        commandP99MsWith: withHooks.p99,
        commandsPerSecWith: withHooks.perSec,
        commandsPerSecPaused: pausedRun.perSec,
        commandsPerSecWithAgain: withHooks2.perSec,
        commandP50MsPaused: pausedRun.p50,
        commandP50MsWithAgain: withHooks2.p50,
        deliveryP50Ms: percentile(delivery, 50),
        deliveryP99Ms: percentile(delivery, 99),
        backlogEvents: backlog,
        drainMs: Math.round(drainMs),
        drainEventsPerSec: perSecond(received, drainMs),
      }),
    );
  } finally {
    await app.close();
    await receiver.terminate();
    cleanup();
  }
}

runBench(main, { exitAtOnce: true });
