/**
 * Architecture rules, checked by `npm run arch` (and so by `npm test`).
 *
 * The core rule: deciders, events and state are pure. They import nothing from `@nestjs/*`,
 * from an adapter (SQLite, KurrentDB, Kafka, Fastify), from the application layers
 * (event store, projections, HTTP, commands, audit) or from Node built-ins (no I/O). They may
 * import only the pure helpers listed in DOMAIN_MAY_IMPORT and each other.
 *
 * src/shared may not import @nestjs/* or adapters either; no circular dependencies anywhere;
 * every import must resolve.
 *
 * test/architecture.e2e-spec.ts proves these rules fail when broken: it writes throw-away
 * probe files under src/modules/__arch_probe_<unique>/ (and src/shared/__arch_probe_<unique>/)
 * and cruises them. Those folders are excluded here, so that a probe in flight never fails
 * somebody else's concurrent `npm run arch`; the spec overrides `--exclude` to cruise them.
 */

/**
 * Domain files: deciders, events, state, a module's error catalogue (`<module>.errors.ts`, the
 * named factories its deciders throw) and a module's public domain entry (`<module>.domain.ts`,
 * re-exports of its domain files for other modules), anywhere under src (tests excluded).
 */
const DOMAIN = '^src/.*\\.(decider|events|state|errors|domain)\\.ts$';

/**
 * A module's public entries: `index.ts` (what other modules' application code may use) and
 * `<module>.domain.ts` (the pure part of it, which other modules' deciders may use too).
 */
const MODULE_ENTRY = '^src/modules/[^/]+/(index|[^/]+\\.domain)\\.ts$';

/** The explicit allow-list for domain files: the pure shared helpers, and other domain files. */
const DOMAIN_MAY_IMPORT = [
  '^src/shared/(decider|domain-error|money|postings|calendar|schedule|event-schema)\\.ts$',
  DOMAIN,
];

/** Matches a package whether resolved (node_modules/..., incl. @types) or unresolved (bare name). */
const pkg = (names) => `(^|node_modules/)(@types/)?(${names})(/|$)`;

const NEST = pkg('@nestjs');
const ADAPTER_PACKAGES = pkg('better-sqlite3|kafkajs|@kurrent|fastify|@fastify|pg');
const ADAPTER_CODE = '^src/event-store/(sqlite|kurrentdb|postgres)/';

/** Layers and file kinds that sit outside the domain. */
const APPLICATION_LAYERS = [
  '^src/(event-store|projections|http|commands|audit)/',
  '\\.(projection|controller|handler|module)\\.ts$',
];

/**
 * Build output and in-flight probes (see the header comment) are left out of the graph.
 * node_modules is deliberately NOT excluded: `exclude` drops the edges into it too, which would
 * hide a decider's `@nestjs/common` import. It is `doNotFollow`ed instead (below).
 */
const EXCLUDE = ['^dist/', '(^|/)__arch_probe_[^/]*/'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'infrastructure-no-modules',
      severity: 'error',
      comment:
        'The infrastructure (event store, projections, command runner, HTTP edge, audit, health, relay, observability) ' +
        'never imports a feature module: the composition root (src/composition.ts, src/app.ts, src/cli.ts) ' +
        'hands it the read models, the event catalogue and the token directory.',
      from: { path: '^src/(event-store|projections|commands|http|audit|health|relay|observability|shared-state)/', pathNot: '\\.(spec|int-spec)\\.ts$' },
      to: { path: '^src/modules/' },
    },
    {
      name: 'module-public-entry',
      severity: 'error',
      comment:
        'A module imports another module only through its public entry: src/modules/<module>/index.ts, or ' +
        '<module>.domain.ts for the pure part. Its other files are its own to change.',
      from: { path: '^src/modules/([^/]+)/' },
      to: { path: '^src/modules/[^/]+/', pathNot: ['^src/modules/$1/', MODULE_ENTRY] },
    },
    {
      name: 'domain-no-nestjs',
      severity: 'error',
      comment: 'Deciders, events and state must not import @nestjs/* (the domain is framework-free).',
      from: { path: DOMAIN },
      to: { path: NEST },
    },
    {
      name: 'domain-no-adapters',
      severity: 'error',
      comment:
        'Deciders, events and state must not import adapters (better-sqlite3, kafkajs, @kurrent/*, fastify) ' +
        'or adapter code under src/event-store/{sqlite,kurrentdb}.',
      from: { path: DOMAIN },
      to: { path: [ADAPTER_PACKAGES, ADAPTER_CODE] },
    },
    {
      name: 'domain-no-application-layers',
      severity: 'error',
      comment:
        'Deciders, events and state must not import the event store, projections, HTTP, commands, audit, ' +
        'or any *.projection / *.controller / *.handler / *.module file.',
      from: { path: DOMAIN },
      to: { path: APPLICATION_LAYERS },
    },
    {
      name: 'domain-no-node-builtins',
      severity: 'error',
      comment: 'Deciders, events and state do no I/O: no Node built-ins (fs, net, http, crypto, ...).',
      from: { path: DOMAIN },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'domain-only-pure-imports',
      severity: 'error',
      comment:
        'Deciders, events and state may import only src/shared/{decider,domain-error,money,postings,calendar,schedule,event-schema}.ts and other ' +
        'domain files (*.decider.ts, *.events.ts, *.state.ts, *.errors.ts). Anything else needs a deliberate change here.',
      from: { path: DOMAIN },
      to: { pathNot: DOMAIN_MAY_IMPORT },
    },
    {
      name: 'shared-no-nestjs-or-adapters',
      severity: 'error',
      comment:
        'src/shared holds pure helpers: no @nestjs/*, no adapters (better-sqlite3, kafkajs, @kurrent/*, ' +
        'src/event-store/{sqlite,kurrentdb}).',
      from: { path: '^src/shared/' },
      to: { path: [NEST, ADAPTER_PACKAGES, ADAPTER_CODE] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No circular dependencies between modules.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'Every import must resolve (a missing package or a typo in a path).',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    tsConfig: { fileName: 'tsconfig.json' },
    // Keep type-only imports in the graph: `import type { X } from '@nestjs/common'` in a decider
    // is a violation too, even though it compiles away.
    tsPreCompilationDeps: true,
    doNotFollow: { path: '(^|/)node_modules/' },
    exclude: { path: EXCLUDE },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.json', '.d.ts'],
      mainFields: ['main', 'types', 'typings'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
