/**
 * Proves the architecture rules in .dependency-cruiser.js can fail, not just that today's tree
 * passes them (`npm run arch` checks that). Each case writes throw-away probe files into a folder
 * of its own under a per-run unique `src/modules/__arch_probe_XXXXXX/` (or `src/shared/...`),
 * runs the dependency-cruiser CLI on that folder with the committed config and checks the exit
 * code and the rule it names. The probe folders are removed in afterAll, whatever happened.
 *
 * The committed config excludes `__arch_probe_*` folders so that a probe in flight never fails a
 * concurrent `npm run arch`; here `--exclude` is overridden with the config's other patterns.
 * Every probe file is valid TypeScript, so a concurrent `tsc --noEmit` is not disturbed either.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const CONFIG = '.dependency-cruiser.js';
const DEPCRUISE = path.join(ROOT, 'node_modules', '.bin', 'depcruise');
const PROBE_PREFIX = '__arch_probe_';
const CRUISE_TIMEOUT_MS = 60_000;
const STALE_PROBE_MS = 60 * 60 * 1000;

/** The config's own exclude patterns, minus the one that hides probes. */
function excludeWithoutProbes(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const config = require(path.join(ROOT, CONFIG)) as { options?: { exclude?: { path?: string | string[] } } };
  const configured = config.options?.exclude?.path ?? [];
  const patterns = (Array.isArray(configured) ? configured : [configured]).filter(
    (pattern) => !pattern.includes(PROBE_PREFIX),
  );
  // An empty --exclude would match (and so exclude) everything; '^$' matches no module path.
  return patterns.length > 0 ? patterns.join('|') : '^$';
}

interface Cruise {
  status: number | null;
  output: string;
}

function cruise(target: string, options: { cruiseProbes: boolean } = { cruiseProbes: true }): Cruise {
  const args = [DEPCRUISE, path.relative(ROOT, target), '--config', CONFIG, '--output-type', 'err'];
  if (options.cruiseProbes) args.push('--exclude', excludeWithoutProbes());
  const result = spawnSync(process.execPath, args, {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: CRUISE_TIMEOUT_MS,
    killSignal: 'SIGKILL',
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
  });
  if (result.error) throw new Error(`depcruise did not run: ${result.error.message}`);
  if (result.signal) throw new Error(`depcruise killed by ${result.signal} (timeout ${CRUISE_TIMEOUT_MS} ms)`);
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function modulesCruised(output: string): number {
  const match = /\((\d+) modules?, \d+ dependenc/.exec(output) ?? /(\d+) modules?, \d+ dependenc/.exec(output);
  return match ? Number(match[1]) : -1;
}

/** Removes probe folders an earlier, killed run left behind (old enough not to be in flight). */
function removeStaleProbes(parent: string): void {
  if (!fs.existsSync(parent)) return;
  for (const entry of fs.readdirSync(parent, { withFileTypes: true })) {
    if (!entry.isDirectory() || !entry.name.startsWith(PROBE_PREFIX)) continue;
    const dir = path.join(parent, entry.name);
    try {
      if (Date.now() - fs.statSync(dir).mtimeMs > STALE_PROBE_MS) fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      // Another run removed it first.
    }
  }
}

describe('architecture rules (.dependency-cruiser.js)', () => {
  const modulesDir = path.join(ROOT, 'src', 'modules');
  const sharedDir = path.join(ROOT, 'src', 'shared');
  const probeRoots: string[] = [];
  let modulesProbe = '';
  let sharedProbe = '';

  /** Writes `files` (name → source) into `<root>/<caseName>/` and returns that folder. */
  function probeCase(root: string, caseName: string, files: Record<string, string>): string {
    const dir = path.join(root, caseName);
    fs.mkdirSync(dir, { recursive: true });
    for (const [name, source] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), source);
    return dir;
  }

  function rel(file: string): string {
    return path.relative(ROOT, file).split(path.sep).join('/');
  }

  function expectViolation(dir: string, rules: string | string[], file: string): void {
    const { status, output } = cruise(dir);
    expect(status).not.toBe(0);
    // The err reporter prints "error <rule>: <from> → <to>".
    for (const rule of [rules].flat()) expect(output).toContain(`error ${rule}: ${rel(path.join(dir, file))}`);
  }

  function expectClean(dir: string, minimumModules: number): void {
    const { status, output } = cruise(dir);
    expect({ status, output }).toEqual({ status: 0, output: expect.stringContaining('no dependency violations found') });
    // The probe really was cruised (an exclude that hid it would also "pass").
    expect(modulesCruised(output)).toBeGreaterThanOrEqual(minimumModules);
  }

  beforeAll(() => {
    removeStaleProbes(modulesDir);
    removeStaleProbes(sharedDir);
    // mkdtemp: unique per run, so parallel runs never share (or delete) each other's probes.
    modulesProbe = fs.mkdtempSync(path.join(modulesDir, PROBE_PREFIX));
    probeRoots.push(modulesProbe);
    sharedProbe = fs.mkdtempSync(path.join(sharedDir, PROBE_PREFIX));
    probeRoots.push(sharedProbe);
  });

  afterAll(() => {
    for (const dir of probeRoots) fs.rmSync(dir, { recursive: true, force: true });
    for (const dir of probeRoots) expect(fs.existsSync(dir)).toBe(false);
  });

  // Probes sit at src/modules/__arch_probe_XXXXXX/<case>/, so '../../../' is src/.

  it('fails a decider that imports @nestjs/*', () => {
    const dir = probeCase(modulesProbe, 'nestjs', {
      'probe.decider.ts': "import { Injectable } from '@nestjs/common';\nexport const probe = Injectable;\n",
    });
    expectViolation(dir, 'domain-no-nestjs', 'probe.decider.ts');
  });

  it('fails a decider that imports @nestjs/* for types only', () => {
    const dir = probeCase(modulesProbe, 'nestjs-type-only', {
      'probe.decider.ts': "import type { Type } from '@nestjs/common';\nexport type Probe = Type<unknown>;\n",
    });
    expectViolation(dir, 'domain-no-nestjs', 'probe.decider.ts');
  });

  it('fails a decider that imports the SQLite adapter', () => {
    const dir = probeCase(modulesProbe, 'sqlite', {
      'probe.decider.ts':
        "import { SqliteEventStore } from '../../../event-store/sqlite/sqlite-event-store';\n" +
        'export type Probe = SqliteEventStore;\n',
    });
    expectViolation(dir, ['domain-no-adapters', 'domain-no-application-layers'], 'probe.decider.ts');
  });

  it('fails a decider that imports a Node built-in', () => {
    const dir = probeCase(modulesProbe, 'node-builtin', {
      'probe.decider.ts': "import { readFileSync } from 'node:fs';\nexport const probe = readFileSync;\n",
    });
    expectViolation(dir, 'domain-no-node-builtins', 'probe.decider.ts');
  });

  it('fails a decider that imports a projection', () => {
    const dir = probeCase(modulesProbe, 'projection', {
      'probe.projection.ts': 'export const probeProjection = 1;\n',
      'probe.decider.ts': "import { probeProjection } from './probe.projection';\nexport const probe = probeProjection;\n",
    });
    expectViolation(dir, 'domain-no-application-layers', 'probe.decider.ts');
  });

  it('fails an *.events.ts file that imports @nestjs/*', () => {
    const dir = probeCase(modulesProbe, 'events-file', {
      'probe.events.ts': "import type { IEvent } from '@nestjs/cqrs';\nexport type ProbeEvent = IEvent;\n",
    });
    expectViolation(dir, 'domain-no-nestjs', 'probe.events.ts');
  });

  it('fails a decider that imports a shared helper outside the allow-list', () => {
    const dir = probeCase(modulesProbe, 'not-allowed', {
      'probe.decider.ts': "import * as ids from '../../../shared/ids';\nexport const probe = ids;\n",
    });
    expectViolation(dir, 'domain-only-pure-imports', 'probe.decider.ts');
  });

  it('fails src/shared code that imports @nestjs/*', () => {
    const dir = probeCase(sharedProbe, 'nestjs', {
      'probe.ts': "import { Injectable } from '@nestjs/common';\nexport const probe = Injectable;\n",
    });
    expectViolation(dir, 'shared-no-nestjs-or-adapters', 'probe.ts');
  });

  it('fails a circular dependency', () => {
    const dir = probeCase(modulesProbe, 'circular', {
      'a.ts': "import { b } from './b';\nexport const a = (): number => b() + 1;\n",
      'b.ts': "import { a } from './a';\nexport const b = (): number => 0;\nexport const ba = a;\n",
    });
    expectViolation(dir, 'no-circular', 'a.ts');
  });

  it('fails an import that does not resolve', () => {
    const dir = probeCase(modulesProbe, 'unresolvable', {
      'probe.ts': "export const probe: unknown = require('./does-not-exist');\n",
    });
    expectViolation(dir, 'not-to-unresolvable', 'probe.ts');
  });

  it("fails a module that imports another module's inner file instead of its public entry", () => {
    const dir = probeCase(modulesProbe, 'inner-file', {
      'probe.handler.ts': "import { fundStream } from '../../funds/fund/fund.decider';\nexport const probe = fundStream;\n",
    });
    expectViolation(dir, 'module-public-entry', 'probe.handler.ts');
  });

  it("passes a decider that imports another module's public domain entry", () => {
    const dir = probeCase(modulesProbe, 'domain-entry', {
      'probe.decider.ts': "import type { FundFacts } from '../../funds/funds.domain';\nexport type Probe = FundFacts;\n",
    });
    expectClean(dir, 2);
  });

  it('passes a decider that imports only src/shared/domain-error', () => {
    const dir = probeCase(modulesProbe, 'clean', {
      'probe.decider.ts':
        "import { DomainError } from '../../../shared/domain-error';\n" +
        "export const reject = (): never => {\n  throw new DomainError('probe.rejected', 'probe');\n};\n",
    });
    expectClean(dir, 2);
  });

  it('passes a decider that imports the allowed helpers and its own events and state', () => {
    const dir = probeCase(modulesProbe, 'clean-domain', {
      'probe.events.ts': "export type ProbeEvent = { type: 'ProbeHappened' };\n",
      'probe.state.ts': "import { ProbeEvent } from './probe.events';\nexport type ProbeState = { last?: ProbeEvent };\n",
      'probe.decider.ts':
        "import { Decider } from '../../../shared/decider';\n" +
        "import { DomainError } from '../../../shared/domain-error';\n" +
        "import { isIsoCurrency } from '../../../shared/money';\n" +
        "import { ProbeEvent } from './probe.events';\n" +
        "import { ProbeState } from './probe.state';\n" +
        'export type Probe = Decider<never, ProbeEvent, ProbeState>;\n' +
        'export const probe = { DomainError, isIsoCurrency };\n',
    });
    expectClean(dir, 6);
  });

  it('leaves probe folders out of a plain `npm run arch`, so a probe in flight never fails it', () => {
    const dir = probeCase(modulesProbe, 'ignored', {
      'probe.decider.ts': "import { Injectable } from '@nestjs/common';\nexport const probe = Injectable;\n",
    });
    const { status, output } = cruise(dir, { cruiseProbes: false });
    expect({ status, modules: modulesCruised(output) }).toEqual({ status: 0, modules: 0 });
  });
});
