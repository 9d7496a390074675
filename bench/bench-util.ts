import { mkdtempSync, rmSync } from 'node:fs';
import type { CommandContext } from '../src/commands/command-context';
import type { LedgerConfig } from '../src/config';
import { KeyEncryptionKey } from '../src/modules/sustainers/personal-data/key-wrap';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A scratch directory for one benchmark run, removed afterwards unless BENCH_KEEP is set. */
export function scratchDir(label: string): { dir: string; cleanup: () => void } {
  const base = process.env.BENCH_DIR ?? tmpdir();
  const dir = mkdtempSync(join(base, `ledger-bench-${label}-`));
  return { dir, cleanup: () => (process.env.BENCH_KEEP ? undefined : rmSync(dir, { recursive: true, force: true })) };
}

export function perSecond(count: number, ms: number): number {
  return Math.round((count * 1000) / ms);
}

/** The middle value (the upper one of an even count). */
export const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export function percentile(sortedMs: readonly number[], p: number): number {
  if (sortedMs.length === 0) return 0;
  const index = Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1);
  return Math.round(sortedMs[Math.max(0, index)] * 1000) / 1000;
}

export function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** A small deterministic generator (an LCG), so runs are comparable. */
export function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** The context of a command sent straight to the bus by a benchmark, as a steward. */
export function stewardContext(actor: string): CommandContext {
  return { actor: { id: actor, role: 'steward' }, correlationId: 'bench', causationId: 'bench', now: new Date() };
}

/**
 * The configuration of a service a benchmark starts in process: the embedded store in `dir`,
 * durable commits, the default funds, no read-your-writes wait, and a throw-away key-encryption
 * key (the service does not start without one); `overrides` change any of it.
 */
export function benchConfig(dir: string, overrides: Partial<LedgerConfig> = {}): LedgerConfig {
  return {
    port: 0, host: '127.0.0.1', dataDir: dir, store: 'sqlite', sqliteSynchronous: 'FULL', bodyLimitBytes: 65536,
    readYourWritesTimeoutMs: 0, rebuildThread: 'on', transferTtlMs: 72 * 3_600_000, expirySweepMs: 3_600_000, fiscalYearStartMonth: 1,
    seedFunds: 'default', seedCurrency: 'USD',
    kek: KeyEncryptionKey.fromText(KeyEncryptionKey.generateText()),
    ...overrides,
  } as LedgerConfig;
}

/**
 * Runs a benchmark's `main`: a failure prints its stack and exits with 1. `exitAtOnce` for the
 * benchmarks whose children or sockets would keep the process alive after a failure.
 */
export function runBench(main: () => Promise<void>, options: { exitAtOnce?: boolean } = {}): void {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    if (options.exitAtOnce) process.exit(1);
    process.exitCode = 1;
  });
}

/**
 * The Node flags a benchmark starts the compiled service with: BENCH_SERVICE_NODE_FLAGS
 * (space-separated) when set, else none.
 */
/**
 * The environment the service is started with, as `npm start` and the container start it: glibc's
 * malloc arenas capped at 2 (see MALLOC_ARENA_MAX in the README's Configuration), unless set.
 */
export function serviceEnv(): NodeJS.ProcessEnv {
  return { ...process.env, MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2' };
}

export function serviceNodeFlags(): string[] {
  return (process.env.BENCH_SERVICE_NODE_FLAGS ?? '').split(' ').filter((flag) => flag !== '');
}

/**
 * The Node flags `npm run ledger` and `npm run ledger-audit` (and ledger-audit's `#!` line) run
 * the command-line tools with: young-generation semi-spaces of 8 MB instead of V8's default (which
 * grows them to 32 MB on this machine). Measured on a 1M-event log (issue 16): `ledger verify`'s
 * peak RSS 478–497 MB -> 348–353 MB and the offline verifier's 373–384 MB -> 235–240 MB, at the
 * same speed within the runs' spread. The service itself is not started with them: its rebuild
 * measured 446 MB with them against 397 MB without.
 */
export const CLI_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8'];
