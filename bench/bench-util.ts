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
    readYourWritesTimeoutMs: 0, transferTtlMs: 72 * 3_600_000, expirySweepMs: 3_600_000, fiscalYearStartMonth: 1,
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
