import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';
import { getMetadataStorage } from 'class-validator';
import { World, idKind, seedWorld } from './support/fixtures';
import { FailureLog } from './support/failure-log';
import { Json, Operation, operationsOf, pathParams, resolve } from './support/openapi-doc';
import { HttpMethod, RegisteredRoute } from './support/test-app';
import { isPageRoute } from '../src/modules/pages/page-routes';

/**
 * The OpenAPI document is the contract: this fails when the app answers on a route, a path or
 * query parameter, a response or a media type the document does not describe. Routes are taken
 * from Fastify as Nest registered them, query parameters from each @Query DTO's class-validator
 * metadata (what the validation pipe accepts), roles from the @Roles metadata, CSV from asking
 * each read for `text/csv`.
 */
const ROLES_METADATA = 'ledger:roles';
const PROBLEM_REF = '#/components/schemas/ProblemDto';

interface Handler {
  readonly method: string;
  readonly path: string;
  readonly controller: Json;
  readonly name: string;
}

/** Every controller method, with its HTTP method and full path in OpenAPI form. */
function handlersOf(container: ModulesContainer): Handler[] {
  const out: Handler[] = [];
  const join = (...parts: string[]) => `/${parts.flatMap((p) => p.split('/')).filter(Boolean).join('/')}`.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
  for (const module of container.values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Json;
      if (!controller?.prototype) continue;
      const base = [Reflect.getMetadata(PATH_METADATA, controller) ?? ''].flat()[0] as string;
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const fn = controller.prototype[name];
        if (name === 'constructor' || typeof fn !== 'function') continue;
        const paths = Reflect.getMetadata(PATH_METADATA, fn);
        const method = Reflect.getMetadata(METHOD_METADATA, fn);
        if (paths === undefined || method === undefined) continue;
        for (const p of [paths].flat() as string[]) out.push({ method: RequestMethod[method], path: join(base, p), controller, name });
      }
    }
  }
  return out;
}

/** The query parameters a handler accepts: its @Query DTO's validated properties, or @Query('name'). */
function acceptedQueryParams(h: Handler): Set<string> {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, h.controller, h.name) ?? {}) as Record<string, { index: number; data?: unknown }>;
  const types = (Reflect.getMetadata('design:paramtypes', h.controller.prototype, h.name) ?? []) as Json[];
  const names = new Set<string>();
  for (const [key, arg] of Object.entries(args)) {
    if (Number(key.split(':')[0]) !== RouteParamtypes.QUERY) continue;
    if (typeof arg.data === 'string') {
      names.add(arg.data);
      continue;
    }
    const dto = types[arg.index];
    if (!dto || dto === Object) continue;
    for (const m of getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false)) names.add(m.propertyName);
  }
  return names;
}

jest.setTimeout(60_000);

describe('the OpenAPI document is the contract', () => {
  const routes: RegisteredRoute[] = [];
  const failures = new FailureLog();
  let world: World;
  let doc: Json;
  let operations: Operation[];
  let handlers: Handler[];
  let ms = 0;

  const problemResponse = (op: Operation, status: number) => {
    const r = op.op.responses?.[String(status)];
    const schema = r?.content?.['application/problem+json']?.schema;
    return schema?.$ref === PROBLEM_REF || JSON.stringify(schema ?? {}).includes(PROBLEM_REF);
  };

  beforeAll(async () => {
    const started = Date.now();
    // The same world as the roles matrix and the fuzz suite: real ids to ask each read for CSV with.
    world = await seedWorldWithRoutes(routes);
    doc = (await world.t.request('GET', '/docs-json')).body;
    operations = operationsOf(doc);
    handlers = handlersOf(world.t.app.get(ModulesContainer));

    // 1. Every route Fastify serves (but the documentation itself and HEAD twins) is in the document.
    const served = servedRoutes(routes);
    for (const key of undocumentedRoutes(served, operations)) failures.add('route missing from the document', key, 'route', 0, '-', key);

    for (const op of operations) {
      if (op.path.startsWith('/docs')) continue;
      const params: Json[] = (op.op.parameters ?? []).map((p: Json) => resolve(doc, p));
      const handler = handlers.find((h) => h.method === op.method && h.path === op.path);
      // 2. A summary.
      if (typeof op.op.summary !== 'string' || op.op.summary.trim() === '') failures.add('operation without summary', op.key, 'summary', 0, '-', op.key);
      // 3. Every path parameter.
      for (const name of undocumentedPathParams(doc, op)) failures.add('path parameter undocumented', op.key, name, 0, '-', op.key);
      // 4. Every query parameter the route accepts, and none it does not.
      const documented = new Set<string>(params.filter((p) => p.in === 'query').map((p) => p.name as string));
      const accepted = handler ? acceptedQueryParams(handler) : new Set<string>();
      if (!handler) failures.add('operation without a handler', op.key, '-', 0, '-', op.key);
      for (const name of accepted) if (!documented.has(name)) failures.add('query parameter undocumented', op.key, name, 0, '-', `${op.key}?${name}=`);
      for (const name of documented) if (handler && !accepted.has(name)) failures.add('documented query parameter not accepted', op.key, name, 0, '-', `${op.key}?${name}=`);
      // /metrics reads no read model: there is no position to wait for.
      if (op.method === 'GET' && !op.path.startsWith('/health') && op.path !== '/metrics' && !documented.has('minPosition')) failures.add('query route without minPosition', op.key, 'minPosition', 0, '-', op.key);
      // 5. A 2xx with a schema (and text/csv where the route serves CSV).
      const ok = Object.entries<Json>(op.op.responses ?? {}).filter(([s]) => /^2\d\d$/.test(s));
      if (!ok.some(([, r]) => Object.values<Json>(r.content ?? {}).some((c) => c.schema))) failures.add('no 2xx response with a schema', op.key, '2xx', 0, '-', op.key);
      if (op.method === 'GET' && !op.path.startsWith('/health')) {
        const url = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => world.ids[idKind(op.path, name)]?.own ?? name);
        const query = /statement|fund-totals|me\/donations/.test(op.path) ? '?year=2026' : '';
        const csv = await world.t.request(op.method as HttpMethod, url + query, { token: op.path.startsWith('/v1/me') ? world.tokens.sustainerOwn : world.tokens.steward, headers: { accept: 'text/csv' } });
        if (String(csv.headers['content-type'] ?? '').startsWith('text/csv') && !ok.some(([, r]) => r.content?.['text/csv'])) {
          failures.add('serves text/csv but the document does not say so', op.key, 'text/csv', csv.status, '-', `${op.key} Accept: text/csv`);
        }
      }
      // 6. The problem responses it can answer, each with the shared schema.
      const roles = handler ? Reflect.getMetadata(ROLES_METADATA, handler.controller.prototype[handler.name]) ?? Reflect.getMetadata(ROLES_METADATA, handler.controller) : undefined;
      const takesInput = Boolean(op.op.requestBody) || documented.size > 0 || accepted.size > 0 || pathParams(op.path).length > 0 || op.method !== 'GET';
      const expected = [...(takesInput ? [400] : []), ...(roles ? [401, 403] : []), ...(pathParams(op.path).length > 0 ? [404] : [])];
      for (const status of expected) {
        if (!problemResponse(op, status)) {
          const has = op.op.responses?.[String(status)];
          failures.add(has ? `${status} response without the ProblemDto schema` : `${status} response undocumented`, op.key, String(status), status, '-', op.key);
        }
      }
    }

    // 7. The bearer scheme: opaque tokens, not JWTs.
    for (const [name, scheme] of Object.entries<Json>(doc.components?.securitySchemes ?? {})) {
      if (/jwt/i.test(String(scheme.bearerFormat ?? ''))) failures.add('bearer scheme says JWT', `securitySchemes.${name}`, 'bearerFormat', 0, scheme.bearerFormat, name);
    }
    if (!doc.components?.schemas?.ProblemDto) failures.add('no ProblemDto schema', 'components', 'schemas', 0, '-', 'components.schemas');
    ms = Date.now() - started;
    // eslint-disable-next-line no-console
    console.log(`openapi contract: ${served.size} served routes, ${operations.length} operations, ${handlers.length} handlers in ${ms} ms\n${failures.summary()}`);
  });

  afterAll(() => world?.t.close());

  // The checks that pass today must still be able to fail: each is tried on a document with a gap.
  it('would notice a route or a path parameter missing from the document', () => {
    const served = servedRoutes(routes);
    const gappy = structuredClone(doc);
    delete gappy.paths['/v1/funds/{fundId}'];
    expect(undocumentedRoutes(served, operationsOf(gappy))).toContain('GET /v1/funds/{fundId}');
    const op = operationsOf(gappy).find((o) => o.key === 'POST /v1/funds/{fundId}/close')!;
    op.op.parameters = (op.op.parameters ?? []).filter((p: Json) => p.in !== 'path');
    expect(undocumentedPathParams(gappy, op)).toEqual(['fundId']);
  });

  it.each([
    ['documents every route the app serves', (c: string) => c.startsWith('route missing') || c.startsWith('operation without a handler')],
    ['gives every operation a summary', (c: string) => c === 'operation without summary'],
    ['documents every path parameter', (c: string) => c === 'path parameter undocumented'],
    ['documents exactly the query parameters each route accepts, minPosition on every query', (c: string) => c.includes('query parameter') || c.startsWith('query route')],
    ['documents a 2xx schema for every operation, and text/csv where it is served', (c: string) => c.startsWith('no 2xx') || c.startsWith('serves text/csv')],
    ['documents the problem responses each operation can answer, with ProblemDto', (c: string) => /^\d{3} response/.test(c) || c === 'no ProblemDto schema'],
    ['describes the bearer tokens as opaque, not JWT', (c: string) => c.startsWith('bearer scheme')],
  ])('%s', (_name, matches) => {
    failures.assertNone(matches);
  });
});

/** `METHOD /path/{param}` of every route Fastify registered, but the documentation's own and HEAD twins. */
function servedRoutes(routes: RegisteredRoute[]): Set<string> {
  const served = new Set<string>();
  for (const route of routes) {
    for (const method of [route.method].flat()) {
      if (method === 'HEAD' || method === 'OPTIONS' || route.url.startsWith('/docs') || route.url === '*') continue;
      // The HTML pages are not the JSON API: they are left out of the document on purpose.
      if (isPageRoute(route.url)) continue;
      served.add(`${method} ${route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`);
    }
  }
  return served;
}

function undocumentedRoutes(served: Set<string>, operations: Operation[]): string[] {
  const documented = new Set(operations.map((o) => o.key));
  return [...served].filter((key) => !documented.has(key));
}

function undocumentedPathParams(doc: Json, op: Operation): string[] {
  const params: Json[] = (op.op.parameters ?? []).map((p: Json) => resolve(doc, p));
  return pathParams(op.path).filter((name) => !params.some((p) => p.in === 'path' && p.name === name));
}

/** The shared world, started with a hook that records every route Fastify registers. */
async function seedWorldWithRoutes(routes: RegisteredRoute[]): Promise<World> {
  return seedWorld({}, { onRoute: (route) => routes.push({ method: route.method, url: route.url }) });
}

describe('schema names in the OpenAPI document', () => {
  // @nestjs/swagger names a schema after its class: two DTO classes of one name give one schema
  // (the first), so a route would document another route's body.
  it('are unique: no two DTO classes share a name', () => {
    const { readdirSync, readFileSync, statSync } = require('node:fs') as typeof import('node:fs');
    const { join } = require('node:path') as typeof import('node:path');
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? files(join(dir, name)) : name.endsWith('.ts') ? [join(dir, name)] : []));
    const seen = new Map<string, string[]>();
    for (const file of files(join(__dirname, '..', 'src'))) {
      for (const match of readFileSync(file, 'utf8').matchAll(/\bclass (\w+Dto)\b/g)) seen.set(match[1], [...(seen.get(match[1]) ?? []), file]);
    }
    expect([...seen].filter(([, where]) => where.length > 1).map(([name]) => name)).toEqual([]);
  });
});
