/**
 * The attribution part of bench:ledger (README, Accountability):
 * 1. the attribution projection alone, rebuilt from the benchmark's own log (events/s);
 * 2. a large synthetic history (BENCH_ATTRIBUTION_EVENTS, default 1,000,000 events: gifts from
 *    5,000 sustainers, income, transfers, disbursements, improvement expenses, loans lent, repaid
 *    and forgiven, refunds and reversals over ten years) applied by the projection into a file
 *    database (events/s), with one sustainer giving every month for ten years; then "where did my
 *    gift go" for that sustainer: each year's attribution (12 gifts) and every gift one by one, timed.
 */
import Database from 'better-sqlite3';
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import type { EventStore } from '../src/event-store/event-store.port';
import type { EventCatalogue } from '../src/event-store/event-catalogue';
import type { RecordedEvent } from '../src/event-store/envelope';
import { attributionProjection } from '../src/modules/accountability/attribution/attribution.projection';
import { findOrigin, findSustainer, traceOrigin, traceSustainerYear } from '../src/modules/accountability/attribution/attribution.queries';
import { checkConservation } from '../src/modules/accountability/attribution/conservation';
import { HistorySimulator, Step } from '../src/modules/accountability/attribution/history.testing';
import { log, percentile, perSecond, random } from './bench-util';

function open(file: string): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  attributionProjection.setup(db);
  return db;
}

function applyAll(db: Database.Database, events: readonly RecordedEvent[]): void {
  db.transaction(() => {
    for (const e of events) attributionProjection.apply(db, e);
  })();
}

export async function attributionFromLog(store: EventStore, catalogue: EventCatalogue, dir: string): Promise<{ events: number; eventsPerSec: number }> {
  const db = open(join(dir, 'attribution-replay.db'));
  let batch: RecordedEvent[] = [];
  let count = 0;
  let applyMs = 0;
  try {
    for await (const raw of store.readAll()) {
      batch.push(catalogue.upcast(raw));
      if (batch.length === 1000) {
        const t0 = performance.now();
        applyAll(db, batch);
        applyMs += performance.now() - t0;
        count += batch.length;
        batch = [];
      }
    }
    const t0 = performance.now();
    applyAll(db, batch);
    applyMs += performance.now() - t0;
    count += batch.length;
    return { events: count, eventsPerSec: perSecond(count, applyMs) };
  } finally {
    db.close();
  }
}

/**
 * Applies a synthetic history of about `targetEvents` events to the attribution tables of `db`
 * (set up already): ten and a half years, 2016-01-01 to 2026-06-30, with sustainer 0 giving every
 * month from 2016-01 to 2025-12 (120 gifts). `sustainerId` names that sustainer (default: the
 * simulator's own id), so a real sustainer of a running service can be the one who gives.
 */
export function buildSyntheticHistory(db: Database.Database, targetEvents: number, sustainerId?: string): { applied: number; applyMs: number; sustainerId: string } {
  const rnd = random(7);
  const sim = new HistorySimulator('2016-01-01', 5_000, 40);
  if (sustainerId) sim.sustainerIds[0] = sustainerId;
  const int = (n: number) => Math.floor(rnd() * n);
  let applied = 0;
  let applyMs = 0;
  const flush = () => {
    const events = sim.drain();
    const t0 = performance.now();
    applyAll(db, events);
    applyMs += performance.now() - t0;
    applied += events.length;
  };
  let lastMonth = '';
  let steps = 0;
  const stepsPerDay = Math.max(1, Math.round(targetEvents / 1.8 / 3_833));
  while (applied + sim.events.length < targetEvents) {
    const month = sim.day.slice(0, 7);
    if (month !== lastMonth && sim.day < '2026-01-01') {
      lastMonth = month;
      sim.step({ kind: 'gift', sustainer: 0, fund: 0, amount: 2_500, recurring: true });
    }
    const r = rnd();
    const s: Step =
      r < 0.3 ? { kind: 'gift', sustainer: 1 + int(4_999), fund: int(5), amount: 500 + int(20_000), recurring: rnd() < 0.6 }
      : r < 0.36 ? { kind: 'income', fund: int(5), amount: 10_000 + int(100_000) }
      : r < 0.46 ? { kind: 'transfer', from: int(5), to: int(5), amount: 1_000 + int(30_000) }
      : r < 0.8 ? { kind: 'spend', fund: int(5), amount: 500 + int(25_000), category: int(6) }
      : r < 0.86 ? { kind: 'improvement', funds: [int(5), int(5)], amount: 2_000 + int(40_000) }
      : r < 0.9 ? { kind: 'lend', amount: 5_000 + int(50_000), cooperative: int(40) }
      : r < 0.95 ? { kind: 'repay', pick: int(1_000_000), amount: 1_000 + int(20_000) }
      : r < 0.955 ? { kind: 'forgive', pick: int(1_000_000) }
      : r < 0.957 ? { kind: 'reverse', pick: Math.max(0, sim.openPostings - 1 - int(50)) }
      : r < 0.958 ? { kind: 'reverse-expense', pick: int(1_000_000) }
      : { kind: 'gift', sustainer: 1 + int(4_999), fund: int(5), amount: 500 + int(20_000), recurring: false };
    sim.step(s);
    // Ten and a half years of history, 2016-01-01 to 2026-06-30, whatever the size.
    if (++steps % stepsPerDay === 0 && sim.day < '2026-06-30') sim.step({ kind: 'next-day', days: 1 });
    if (sim.events.length >= 2_000) flush();
  }
  flush();
  log(`attribution at scale: ${applied} events applied to the projection in ${Math.round(applyMs)} ms; history ends ${sim.day}`);
  return { applied, applyMs, sustainerId: sim.sustainerIds[0] };
}

export function attributionAtScale(dir: string, targetEvents: number) {
  const db = open(join(dir, 'attribution-large.db'));
  const { applied, applyMs, sustainerId } = buildSyntheticHistory(db, targetEvents);
  const sustainer = findSustainer(db, sustainerId)!;
  const yearMs: number[] = [];
  for (let round = 0; round < 20; round++) {
    for (let year = 2016; year <= 2025; year++) {
      const t0 = performance.now();
      const r = traceSustainerYear(db, sustainer, year, '2026-06-30');
      yearMs.push(performance.now() - t0);
      if (r.gifts.length !== 12 || r.gifts.some((g) => !g.conserved)) throw new Error(`year ${year}: ${r.gifts.length} gifts`);
    }
  }
  yearMs.sort((a, b) => a - b);
  const origins = (db.prepare('SELECT origin_id FROM attr_origins WHERE sustainer_id = ? ORDER BY day').all(sustainerId) as Array<{ origin_id: string }>).map((o) => o.origin_id);
  const allMs: number[] = [];
  const giftMs: number[] = [];
  for (let round = 0; round < 20; round++) {
    const t0 = performance.now();
    for (const id of origins) {
      const g0 = performance.now();
      const trace = traceOrigin(db, findOrigin(db, id)!, round % 2 ? '2026-06-30' : '2021-03-15');
      giftMs.push(performance.now() - g0);
      if (!trace.conserved) throw new Error(`gift ${id} not conserved`);
    }
    allMs.push(performance.now() - t0);
  }
  allMs.sort((a, b) => a - b);
  giftMs.sort((a, b) => a - b);
  const t0 = performance.now();
  const conservation = checkConservation(db);
  const checkMs = performance.now() - t0;
  if (!conservation.ok) throw new Error(conservation.problems.join('\n'));
  const counts = db.prepare('SELECT (SELECT COUNT(*) FROM attr_origins) AS origins, (SELECT COUNT(*) FROM attr_pieces) AS pieces, (SELECT COUNT(*) FROM attr_outflows) AS outflows, (SELECT COUNT(*) FROM attr_consumption) AS consumption').get();
  db.close();
  return {
    attributionLargeEvents: applied,
    attributionLargeEventsPerSec: perSecond(applied, applyMs),
    attributionRows: counts,
    sustainerGifts: origins.length,
    whereDidMyGiftGoYearP50Ms: percentile(yearMs, 50),
    whereDidMyGiftGoYearP99Ms: percentile(yearMs, 99),
    whereDidMyGiftGoAllGiftsP50Ms: percentile(allMs, 50),
    whereDidMyGiftGoAllGiftsP99Ms: percentile(allMs, 99),
    oneGiftP99Ms: percentile(giftMs, 99),
    conservationCheckMs: Math.round(checkMs),
  };
}
