/**
 * bench:audit — over a log of BENCH_EVENTS (default 1,000,000) events: the Merkle follower and
 * sealing, `ledger export`, the offline verifier (hashes, stream links, Merkle tree, seals,
 * postings and the trial balance) and proof generation. Each phase runs in its own process so
 * its peak RSS is its own. The last line printed is one JSON object.
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { verifyExport } from '../src/audit/offline/verify-export';
import { checkInclusionProof } from '../src/audit/offline/check-proof';
import { exportLog } from '../src/audit/seals/export';
import { MerkleStore } from '../src/audit/seals/merkle-store';
import { inclusionProof } from '../src/audit/seals/proofs';
import { SealCheckSummary, trustKeys } from '../src/audit/seals/seal-checker';
import { sealVerification } from '../src/audit/seals/verify-seals';
import { verifyStore } from '../src/audit/verify/verify-store';
import { SELECT_RANGE } from '../src/audit/verify/verify-worker';
import { LEDGER_CATALOGUE } from '../src/composition';
import { SealKeyStore } from '../src/audit/seals/seal-keys';
import { Sealer } from '../src/audit/seals/sealer';
import { EventMetadata, GENESIS_HASH, sealEvent } from '../src/event-store/envelope';
import { migrateEventStore } from '../src/event-store/sqlite/event-store-schema';
import { SqliteEventStore } from '../src/event-store/sqlite/sqlite-event-store';
import { canonicalJson } from '../src/shared/canonical-json';
import { SystemClock } from '../src/shared/clock';
import { newId } from '../src/shared/ids';
import { CLI_NODE_FLAGS, log, median, percentile, perSecond, runBench, scratchDir } from './bench-util';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const STREAMS = Number(process.env.BENCH_STREAMS ?? 10_000);
/** The follower seals after every this many events while the log is built. */
const SEAL_EVERY = Math.max(1000, Math.floor(EVENTS / 20));
const PROOFS = 1000;

const metadata: EventMetadata = { actorId: 'bench', actorRole: 'steward', correlationId: newId(), causationId: newId() };

const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

/** Writes `count` events straight into events.db: half of them value movements with postings. */
function writeEvents(file: string, from: number, count: number, heads: Map<string, { version: number; hash: string }>): void {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  migrateEventStore(db);
  const insert = db.prepare(
    'INSERT INTO events (global_position, event_id, stream_id, stream_version, type, schema_version, recorded_at, effective_at, data, metadata, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const recordedAt = new Date().toISOString();
  const write = db.transaction((start: number, n: number) => {
    for (let i = start; i < start + n; i++) {
      const streamId = `movement-${i % STREAMS}`;
      const head = heads.get(streamId);
      const posted = i % 2 === 0;
      // Events the catalogue accepts, so that `ledger verify` (which checks every schema) passes.
      const data = posted
        ? { movementId: newId(), kind: 'income', postings: [{ from: `income:grant-${i % 7}`, to: `fund:general-${i % 13}`, amountMinor: 100 + (i % 977), asset: 'USD' }], effectiveAt: recordedAt }
        : { movementId: newId(), rejectedBy: 'bench', reason: `movement ${i} of ${100 + (i % 977)} refused` };
      const event = sealEvent(
        { type: posted ? 'MovementPosted' : 'MovementRejected', schemaVersion: 1, data },
        { streamId, streamVersion: head ? head.version + 1 : 0, prevHash: head?.hash ?? GENESIS_HASH },
        { eventId: newId(), recordedAt, metadata },
      );
      insert.run(i, event.eventId, streamId, event.streamVersion, event.type, 1, recordedAt, event.effectiveAt, canonicalJson(data), canonicalJson(metadata), event.prevHash, event.hash);
      heads.set(streamId, { version: event.streamVersion, hash: event.hash });
    }
  });
  for (let at = from; at < from + count; at += 10_000) write(at, Math.min(10_000, from + count - at));
  db.close();
}

async function build(dir: string): Promise<Record<string, unknown>> {
  const file = join(dir, 'events.db');
  const heads = new Map<string, { version: number; hash: string }>();
  let followerMs = 0;
  let written = 0;
  let position = 1;
  while (written < EVENTS) {
    const n = Math.min(SEAL_EVERY, EVENTS - written);
    writeEvents(file, position, n, heads);
    written += n;
    position += n;
    // The follower catches up and seals (appending the seal through the store, as the service does).
    const store = new SqliteEventStore({ file, clock: new SystemClock(), synchronous: 'NORMAL' });
    const sealer = new Sealer(store, new MerkleStore(join(dir, 'merkle.db')), new SealKeyStore(join(dir, 'seal-keys.db')), { everyEvents: 1, intervalMs: 0 });
    const started = performance.now();
    await sealer.maybeSeal(true);
    followerMs += performance.now() - started;
    position = (await store.headPosition()) + 1;
    sealer.close();
    await store.close();
  }
  return { followerEventsPerSecond: perSecond(EVENTS, followerMs), seals: Math.ceil(EVENTS / SEAL_EVERY) };
}

async function phaseExport(dir: string): Promise<Record<string, unknown>> {
  const store = new SqliteEventStore({ file: join(dir, 'events.db'), clock: new SystemClock() });
  const keys = new SealKeyStore(join(dir, 'seal-keys.db'));
  const publicKeys = keys.publicKeys().map(({ keyId, publicKey, status }) => ({ keyId, publicKey, status }));
  keys.close();
  const out = createWriteStream(join(dir, 'export.ndjson'));
  const started = performance.now();
  for await (const chunk of exportLog(store, publicKeys)) if (!out.write(chunk)) await once(out, 'drain');
  await new Promise<void>((resolve) => out.end(resolve));
  const ms = performance.now() - started;
  const events = await store.headPosition();
  await store.close();
  return { events, exportEventsPerSecond: perSecond(events, ms), exportPeakRssMb: peakRssMb() };
}

async function phaseVerify(dir: string): Promise<Record<string, unknown>> {
  const keys = new SealKeyStore(join(dir, 'seal-keys.db'));
  const trusted = trustKeys(keys.publicKeys().map((k) => k.publicKey));
  keys.close();
  const started = performance.now();
  const report = await verifyExport(join(dir, 'export.ndjson'), { keys: trusted });
  const ms = performance.now() - started;
  if (!report.ok) throw new Error(`the export does not verify: ${JSON.stringify(report.firstProblem)}`);
  return { verifyEventsPerSecond: perSecond(report.eventsChecked, ms), verifyPeakRssMb: peakRssMb(), streams: report.streamsChecked, sealsChecked: report.seals.sealsChecked, accounts: report.trialBalance.accounts };
}

/** `ledger verify` over events.db, as the CLI runs it (verifyStore; LEDGER_VERIFY_WORKERS threads): hashes, links, positions, catalogue schemas, postings, seals. */
async function phaseLedgerVerify(dir: string): Promise<Record<string, unknown>> {
  const store = new SqliteEventStore({ file: join(dir, 'events.db'), clock: new SystemClock() });
  const keys = new SealKeyStore(join(dir, 'seal-keys.db'));
  const seals = sealVerification(keys);
  let summary: SealCheckSummary | undefined;
  const started = performance.now();
  const report = await verifyStore(store, { catalogue: LEDGER_CATALOGUE, rules: [seals.rule], onEnd: (verifier) => (summary = seals.finish(verifier)) });
  const ms = performance.now() - started;
  keys.close();
  await store.close();
  if (!report.ok) throw new Error(`the log does not verify: ${JSON.stringify(report.firstProblem)}`);
  return { ledgerVerifyEventsPerSecond: perSecond(report.eventsChecked, ms), ledgerVerifyPeakRssMb: peakRssMb(), ledgerVerifySeals: summary?.sealsChecked };
}

/**
 * The same-run baseline of `ledger verify`: the work it cannot do without, on as many threads
 * (LEDGER_VERIFY_WORKERS, default 2): read every row of events.db as the threads do (SELECT_RANGE), and SHA-256
 * its data and metadata text. No parsing, no rules, no links, no tree.
 */
async function phaseVerifyBaseline(dir: string): Promise<Record<string, unknown>> {
  const threads = Number(process.env.LEDGER_VERIFY_WORKERS ?? 2);
  const file = join(dir, 'events.db');
  const source = `
    const { parentPort, workerData } = require('node:worker_threads');
    const crypto = require('node:crypto');
    const Database = require(${JSON.stringify(require.resolve('better-sqlite3'))});
    const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
    const select = db.prepare(${JSON.stringify(SELECT_RANGE)}).raw();
    let rows = 0;
    for (let after = workerData.index * 128; after < workerData.head; after += workerData.threads * 128) {
      for (const row of select.all(after, after + 128)) {
        if (crypto.hash('sha256', row[10] + row[8] + row[9], 'hex').length !== 64) throw new Error('no hash');
        rows += 1;
      }
    }
    parentPort.postMessage(rows);`;
  const db = new Database(file, { readonly: true });
  const head = db.prepare('SELECT MAX(global_position) FROM events').pluck().get() as number;
  db.close();
  const started = performance.now();
  const counts = await Promise.all(
    Array.from({ length: threads }, (_, index) => {
      const worker = new Worker(source, { eval: true, workerData: { file, index, threads, head } });
      return once(worker, 'message').then(([rows]) => rows as number);
    }),
  );
  const ms = performance.now() - started;
  const rows = counts.reduce((a, b) => a + b, 0);
  return { verifyBaselineEventsPerSecond: perSecond(rows, ms), verifyBaselinePeakRssMb: peakRssMb() };
}

async function phaseProofs(dir: string): Promise<Record<string, unknown>> {
  const store = new SqliteEventStore({ file: join(dir, 'events.db'), clock: new SystemClock() });
  const sealer = new Sealer(store, new MerkleStore(join(dir, 'merkle.db')), new SealKeyStore(join(dir, 'seal-keys.db')), { everyEvents: 1, intervalMs: 0 });
  await sealer.catchUp();
  const latest = (await sealer.latestSeal())!;
  const trusted = trustKeys(sealer.keys.publicKeys().map((k) => k.publicKey));
  const times: number[] = [];
  const checks: number[] = [];
  for (let i = 0; i < PROOFS; i++) {
    const position = 1 + Math.floor(Math.random() * latest.data.lastPosition);
    const started = performance.now();
    const proof = await inclusionProof(store, sealer, position);
    times.push(performance.now() - started);
    const checkStarted = performance.now();
    if (!checkInclusionProof(proof, trusted).ok) throw new Error(`proof of ${position} does not verify`);
    checks.push(performance.now() - checkStarted);
  }
  const consistency: number[] = [];
  for (let i = 0; i < 100; i++) {
    const first = 1 + Math.floor(Math.random() * (latest.data.treeSize - 1));
    const started = performance.now();
    sealer.merkle.consistency(first, latest.data.treeSize);
    consistency.push(performance.now() - started);
  }
  sealer.close();
  await store.close();
  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  return {
    treeSize: latest.data.treeSize,
    inclusionProofMsP50: percentile(sorted(times), 50),
    inclusionProofMsP99: percentile(sorted(times), 99),
    proofCheckMsP50: percentile(sorted(checks), 50),
    consistencyProofMsP99: percentile(sorted(consistency), 99),
    proofsPeakRssMb: peakRssMb(),
  };
}

async function main(): Promise<void> {
  const [phase, dir] = process.argv.slice(2);
  if (phase) {
    const run = { export: phaseExport, verify: phaseVerify, ledgerVerify: phaseLedgerVerify, verifyBaseline: phaseVerifyBaseline, proofs: phaseProofs }[phase];
    if (!run) throw new Error(`unknown phase ${phase}`);
    process.stdout.write(`${JSON.stringify(await run(dir))}\n`);
    return;
  }
  // BENCH_REUSE_DIR: a directory an earlier run kept (BENCH_KEEP=1) holding the log; it is not rebuilt.
  const reuse = process.env.BENCH_REUSE_DIR;
  const scratch = reuse ? { dir: reuse, cleanup: () => undefined } : scratchDir('audit');
  try {
    let built: Record<string, unknown> = { reused: reuse };
    if (!reuse) {
      log(`bench:audit: building a log of ${EVENTS} events in ${STREAMS} streams (sealed every ${SEAL_EVERY})…`);
      const started = performance.now();
      built = await build(scratch.dir);
      log(`  built and followed in ${Math.round((performance.now() - started) / 1000)} s (kept in ${process.env.BENCH_KEEP ? scratch.dir : 'nowhere'}): ${JSON.stringify(built)}`);
    }
    const result: Record<string, unknown> = { events: EVENTS, streams: STREAMS, ...built, loadAverage: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ') };
    const phases = (process.env.BENCH_PHASES ?? 'export,verify,ledgerVerify,proofs').split(',');
    const runPhase = (phase: string): Record<string, number> => {
      const out = execFileSync(process.execPath, [...CLI_NODE_FLAGS, __filename, phase, scratch.dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 });
      const figures = JSON.parse(out.trim().split('\n').pop()!) as Record<string, number>;
      log(`  ${phase}: ${JSON.stringify(figures)} (load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')})`);
      return figures;
    };
    for (const phase of phases) {
      if (phase !== 'ledgerVerify') {
        Object.assign(result, runPhase(phase));
        continue;
      }
      // `ledger verify` alternates with its bare baseline, BENCH_ROUNDS rounds: medians, and the
      // median of each round's ratio (the machine's speed drifts between runs; a ratio much less).
      const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
      const verify: number[] = [];
      const bare: number[] = [];
      const ratios: number[] = [];
      let rss = 0;
      for (let round = 0; round < rounds; round++) {
        const b = runPhase('verifyBaseline');
        const v = runPhase('ledgerVerify');
        bare.push(b.verifyBaselineEventsPerSecond);
        verify.push(v.ledgerVerifyEventsPerSecond);
        ratios.push(v.ledgerVerifyEventsPerSecond / b.verifyBaselineEventsPerSecond);
        rss = Math.max(rss, v.ledgerVerifyPeakRssMb);
        result.ledgerVerifySeals = v.ledgerVerifySeals;
      }
      Object.assign(result, {
        ledgerVerifyEventsPerSecond: median(verify),
        ledgerVerifyPeakRssMb: rss,
        verifyBaselineEventsPerSecond: median(bare),
        ledgerVerifyRatio: Math.round(median(ratios) * 100) / 100,
      });
    }
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    scratch.cleanup();
  }
}

runBench(main);
