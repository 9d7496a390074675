import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Every problem code the service can answer is listed in the README's "Problem codes" section:
 * a client matches on codes, so an unlisted one is an undocumented contract. Codes are found as
 * string literals of the form `AREA.NAME` in the sources (tests excluded).
 */
const ROOT = join(__dirname, '..');
const CODE = /'([A-Z][A-Z_]+\.[A-Z][A-Z_]+)'/g;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(path) ? [path] : [];
  });
}

describe('README problem codes', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('## Problem codes');
  const end = start < 0 ? -1 : readme.indexOf('\n## ', start + 1);
  const section = start < 0 ? '' : readme.slice(start, end < 0 ? undefined : end);

  it('has a Problem codes section', () => {
    expect(start).toBeGreaterThan(-1);
  });

  it('lists every code found in the sources', () => {
    const found = new Set<string>();
    for (const file of sources(join(ROOT, 'src'))) {
      for (const match of readFileSync(file, 'utf8').matchAll(CODE)) found.add(match[1]);
    }
    const listed = new Set([...section.matchAll(/`([A-Z][A-Z_]+\.[A-Z][A-Z_]+)`/g)].map((m) => m[1]));
    expect([...found].filter((code) => !listed.has(code)).sort()).toEqual([]);
    expect(found.size).toBeGreaterThan(100);
  });
});
