import { mkdtempSync, rmSync } from 'node:fs';
import type { CommandContext } from '../src/commands/command-context';
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
