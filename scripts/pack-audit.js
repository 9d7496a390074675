#!/usr/bin/env node
/**
 * Copies the offline verifier (`ledger-audit`) and only what it needs into a directory, so an
 * auditor can run it on another machine with Node.js alone:
 *   npm run -s build && node scripts/pack-audit.js /path/to/dir && node /path/to/dir/ledger-audit.js verify …
 * It follows the compiled entry point's relative require() calls; the one package it uses
 * (canonicalize, RFC 8785) is copied beside them.
 */
const { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } = require('node:fs');
const { dirname, join, relative, resolve } = require('node:path');

const root = resolve(__dirname, '..');
const dist = join(root, 'dist', 'src');
const target = resolve(process.argv[2] ?? 'ledger-audit');
const entry = join(dist, 'audit', 'offline', 'ledger-audit.js');
if (!existsSync(entry)) {
  process.stderr.write('pack-audit: build first (npm run -s build)\n');
  process.exit(2);
}
const seen = new Set();
const packages = new Set();
const visit = (file) => {
  if (seen.has(file)) return;
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  for (const [, spec] of text.matchAll(/require\("([^"]+)"\)/g)) {
    if (spec.startsWith('.')) visit(resolve(dirname(file), spec.endsWith('.js') ? spec : `${spec}.js`));
    else if (!spec.startsWith('node:')) packages.add(spec.split('/')[0]);
  }
};
visit(entry);
// The verifier's threads run this module, started by its path rather than required.
visit(join(dist, 'audit', 'offline', 'export-worker.js'));
for (const file of seen) {
  const out = join(target, 'lib', relative(dist, file));
  mkdirSync(dirname(out), { recursive: true });
  cpSync(file, out);
}
for (const name of packages) cpSync(join(root, 'node_modules', name), join(target, 'node_modules', name), { recursive: true });
// The same #! line as the repository's ledger-audit: 8 MB semi-spaces keep a large export's
// verification in less memory (README, Benchmarks).
writeFileSync(join(target, 'ledger-audit.js'), "#!/usr/bin/env -S node --max-semi-space-size=8\nrequire('./lib/audit/offline/ledger-audit.js');\n", { mode: 0o755 });
process.stdout.write(`ledger-audit packed into ${target}: ${seen.size} files, packages: ${[...packages].join(', ') || 'none'}\n`);
