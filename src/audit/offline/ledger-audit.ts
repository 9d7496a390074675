#!/usr/bin/env -S node --max-semi-space-size=8
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { TrustedKey, trustKeys } from '../seals/seal-checker';
import type { SealData } from '../seals/seal-statement';
import { describeProblem } from '../verify/verify-log';
import { checkConsistencyProof, checkInclusionProof } from './check-proof';
import { verifyExport } from './verify-export';

/**
 * `ledger-audit`: the offline verifier, a separate entry point with no service, database or Nest
 * (node:crypto and canonicalize only). It trusts nothing in the file it checks: the public key
 * comes from the command line.
 *
 *   ledger-audit verify <export.ndjson> --public-key key.pem [--public-key old.pem] [--kept-seal seal.json] [--json]
 *   ledger-audit check-proof <proof.json> --public-key key.pem [--first-seal seal.json [--second-seal seal.json]]
 *
 * Exit codes: 0 verified, 1 something is broken (the first broken event is named), 2 usage.
 */

const USAGE = `usage:
  ledger-audit verify <export.ndjson> --public-key <key.pem> [--public-key <key.pem>…] [--kept-seal <seal.json>] [--require-sealed] [--json]
  ledger-audit check-proof <proof.json> --public-key <key.pem> [--public-key <key.pem>…] [--first-seal <seal.json> [--second-seal <seal.json>]] [--json]
`;

function usage(message: string): never {
  process.stderr.write(`ledger-audit: ${message}\n${USAGE}`);
  process.exit(2);
}

function readJson(path: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    return usage(`cannot read ${what} ${path}: ${(error as Error).message}`);
  }
}

/** A seal as kept: the data of a LogSealed event, or what GET /v1/seals/latest answers ({seal}). */
function readSeal(path: string): SealData {
  const value = readJson(path, 'the seal') as { seal?: SealData } & SealData;
  return value && typeof value === 'object' && value.seal ? value.seal : value;
}

function readKeys(paths: readonly string[] | undefined): TrustedKey[] {
  if (!paths || paths.length === 0) usage('--public-key is required: the key you trust, never the one in the file');
  try {
    return trustKeys(paths.map((p) => readFileSync(p, 'utf8')));
  } catch (error) {
    return usage(`--public-key: ${(error as Error).message}`);
  }
}

async function main(): Promise<number> {
  const [command, ...rest] = process.argv.slice(2);
  if (command !== 'verify' && command !== 'check-proof') usage(command ? `unknown command ${command}` : 'a command is required');
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        'public-key': { type: 'string', multiple: true },
        'kept-seal': { type: 'string' },
        'first-seal': { type: 'string' },
        'second-seal': { type: 'string' },
        json: { type: 'boolean' },
        'require-sealed': { type: 'boolean' },
      },
    });
  } catch (error) {
    return usage((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) usage(`${command} takes one file`);
  const keys = readKeys(values['public-key']);
  const out = (text: string) => process.stdout.write(`${text}\n`);

  if (command === 'check-proof') {
    const doc = readJson(positionals[0], 'the proof');
    const isConsistency = (doc as { kind?: string })?.kind === 'consistency';
    if (isConsistency && !values['first-seal']) usage('a consistency proof needs --first-seal, the earlier seal you kept');
    if (!isConsistency && (values['first-seal'] || values['second-seal'])) usage('--first-seal and --second-seal are for a consistency proof');
    const secondSeal = values['second-seal'] ? readSeal(values['second-seal']) : undefined;
    const verdict = isConsistency ? checkConsistencyProof(doc, readSeal(values['first-seal']!), keys, secondSeal) : checkInclusionProof(doc, keys);
    out(values.json ? JSON.stringify(verdict, null, 2) : `${verdict.ok ? 'OK' : 'BROKEN'}: ${verdict.detail}`);
    return verdict.ok ? 0 : 1;
  }

  const started = Date.now();
  const verified = await verifyExport(positionals[0], { keys, ...(values['kept-seal'] ? { keptSeal: readSeal(values['kept-seal']) } : {}) });
  // Events after the last seal carry no signature: an auditor who wants every event vouched for
  // (a forged tail appended after the last seal) asks for it.
  const tail = verified.seals.unsealedEvents;
  const report =
    values['require-sealed'] && tail > 0
      ? (() => {
          const problem = { kind: 'UNSEALED_TAIL' as const, position: verified.seals.firstUnsealedPosition ?? verified.lastPosition, detail: `${tail} event(s) after the last seal are not covered by any signature` };
          const problems = [...verified.problems, problem];
          return { ...verified, ok: false, problems, firstProblem: problems[0] };
        })()
      : verified;
  const seconds = (Date.now() - started) / 1000;
  if (values.json) {
    out(JSON.stringify(report, null, 2));
    return report.ok ? 0 : 1;
  }
  const { seals } = report;
  if (report.ok) {
    out(`OK: ${report.eventsChecked} events in ${report.streamsChecked} streams verified up to position ${report.lastPosition} (${seconds.toFixed(1)} s).`);
    out(`  Merkle root of ${seals.treeSize} events: ${seals.rootHash}`);
    out(`  ${seals.sealsChecked} seal(s) and ${seals.rotationsChecked} key rotation(s) checked; ${seals.lastSeal ? `the last seals ${seals.lastSeal.treeSize} events (to position ${seals.lastSeal.lastPosition}) at ${seals.lastSeal.sealedAt}` : 'no seal in the export'}.`);
    if (seals.keptSeal) out(`  consistent with the kept seal of tree size ${seals.keptSeal.treeSize}.`);
    if (seals.unsealedEvents > 0) out(`  NOTE: ${seals.unsealedEvents} event(s) after the last seal are not covered by a signature (from position ${seals.firstUnsealedPosition ?? '?'}).`);
    out(`  ${report.valueEvents} value movements replayed; trial balance: ${Object.entries(report.trialBalance.perAsset).map(([asset, a]) => `${asset} ${a.accounts} accounts, sum ${a.sum}`).join('; ') || 'no postings'}.`);
    return 0;
  }
  out(describeProblem(report.firstProblem!));
  out(`${report.problems.length} problem(s) found in ${report.eventsChecked} events read (up to position ${report.lastPosition}).`);
  return 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`ledger-audit: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
