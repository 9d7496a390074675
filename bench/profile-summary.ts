/**
 * Summarises V8 CPU profiles (`node --cpu-prof`) of the service under load: where the time of a
 * request goes, in the stages the README's benchmark section names. Each sample is charged to
 * the innermost frame on its stack that belongs to a stage (so the time of a library called by
 * the command runner counts as the runner's stage only when no more specific stage is on the
 * stack above it), and to "other" when none is.
 *
 *   node dist/bench/profile-summary.js [--verify] <profile.cpuprofile>...
 *
 * `--verify` groups by the stages of the verifiers instead (one profile per thread).
 */
import { readFileSync } from 'node:fs';

interface CallFrame { functionName: string; url: string }
interface ProfileNode { id: number; callFrame: CallFrame; children?: number[] }
interface CpuProfile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

/** Stages, most specific first: the first rule a frame matches names its stage. */
const STAGES: readonly [string, (f: CallFrame) => boolean][] = [
  ['idle', (f) => f.functionName === '(idle)'],
  ['garbage collection', (f) => f.functionName === '(garbage collector)'],
  ['canonical JSON and hashing', (f) => /canonicalize|canonical-json|envelope\.js/.test(f.url) || /^(hash|digest|update|createHash)$/.test(f.functionName) && f.url.includes('crypto')],
  ['event schema checks (catalogue)', (f) => /ajv|event-catalogue/.test(f.url)],
  ['SQLite (append, commit, reads)', (f) => /better-sqlite3|sqlite-writer|sqlite-event-store|sqlite\//.test(f.url)],
  ['read models (projection apply)', (f) => /projection-runner|\.projection\.js|read-model/.test(f.url)],
  ['authentication', (f) => /http\/auth\.js|token-directory|api-token/.test(f.url)],
  ['DTO validation and transformation', (f) => /class-validator|class-transformer|validation\.js|dto-rules|declared-inputs|json-body/.test(f.url)],
  ['deciding (deciders, folding)', (f) => /\.decider\.js|shared\/(decider|postings|money|calendar|schedule|business-date)\.js/.test(f.url)],
  ['command runner and handlers', (f) => /command-runner|\.handler\.js|-writes\.js|ledger-writes/.test(f.url)],
  ['Nest routing and CQRS', (f) => /@nestjs|rxjs/.test(f.url)],
  ['Fastify and HTTP', (f) => /fastify|find-my-way|light-my-request|avvio|node:_http|node:http|node:net|_http_/.test(f.url)],
  ['Node internals and runtime', (f) => f.url.startsWith('node:') || f.functionName === '(program)' || f.url === ''],
];

/** `--verify`: the stages of `ledger verify` and the offline verifier (issue 16, item 6). */
const VERIFY_STAGES: readonly [string, (f: CallFrame) => boolean][] = [
  ['idle', (f) => f.functionName === '(idle)'],
  ['garbage collection', (f) => f.functionName === '(garbage collector)'],
  ['Merkle tree, seals, balance replay (their code; their SHA-256 counts as SHA-256)', (f) => /seals\/(merkle|seal-checker|seal-statement|verify-seals)\.js/.test(f.url)],
  ['SHA-256', (f) => /^(hash|digest|update|createHash)$/.test(f.functionName) || /internal\/crypto\/hash/.test(f.url)],
  ['canonical JSON (library, canonical check, envelope)', (f) => /canonicalize|canonical-json|envelope\.js/.test(f.url)],
  ['catalogue schemas, postings, business dates', (f) => /ajv|event-catalogue|event-rules|business-date|postings\.js|shared\/text\.js/.test(f.url) || /^validate\d+$/.test(f.functionName)],
  ['reading rows (SQLite) and parsing them', (f) => /better-sqlite3|sqlite-event-store|verify-store\.js|verify-worker\.js/.test(f.url)],
  ['reading and parsing export lines', (f) => /export-format|export-worker|verify-export|node:readline|string_decoder|node:internal\/fs\/streams/.test(f.url)],
  ['thread messages', (f) => /^(postMessage|receiveMessageOnPort|emitMessage)$/.test(f.functionName) || /worker-pool|internal\/worker/.test(f.url)],
  ['positions, stream heads and links (LogVerifier)', (f) => /verify-log\.js/.test(f.url)],
  ['Node internals and runtime', (f) => f.url.startsWith('node:') || f.functionName === '(program)' || f.url === ''],
];

let STAGE_LIST = STAGES;

function summarise(file: string): void {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const stageOf = new Map<number, string>();
  const resolve = (id: number): string => {
    const known = stageOf.get(id);
    if (known) return known;
    const node = byId.get(id)!;
    const own = STAGE_LIST.find(([, match]) => match(node.callFrame))?.[0];
    // The innermost specific stage wins; Node internals and "other" defer to an ancestor's stage.
    const generic = own === undefined || own === 'Node internals and runtime';
    const up = parent.has(id) && generic ? resolve(parent.get(id)!) : undefined;
    const stage = generic ? (up && up !== 'other' ? up : own ?? 'other') : own!;
    stageOf.set(id, stage);
    return stage;
  };
  const micros = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const stage = resolve(id);
    micros.set(stage, (micros.get(stage) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const total = [...micros.values()].reduce((a, b) => a + b, 0);
  const busy = total - (micros.get('idle') ?? 0);
  process.stdout.write(`${file}: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy\n`);
  for (const [stage, us] of [...micros.entries()].sort((a, b) => b[1] - a[1])) {
    if (stage === 'idle') continue;
    process.stdout.write(`  ${((us / busy) * 100).toFixed(1).padStart(5)} %  ${(us / 1e6).toFixed(2).padStart(6)} s  ${stage}\n`);
  }
}

const args = process.argv.slice(2);
if (args[0] === '--verify') {
  STAGE_LIST = VERIFY_STAGES;
  args.shift();
}
for (const file of args) summarise(file);
