import type { RouteOptions } from 'fastify';

/**
 * Every route the server answers, by path pattern and method, so that a request for a known
 * path with a method it does not take can be answered 405 with `Allow` rather than 404. Fastify
 * itself only knows "no route matched"; this table is filled from its `onRoute` hook.
 */
export class RouteTable {
  private readonly routes = new Map<string, { readonly pattern: RegExp; readonly methods: Set<string> }>();

  add(route: Pick<RouteOptions, 'method' | 'url'>): void {
    const entry = this.routes.get(route.url) ?? { pattern: compile(route.url), methods: new Set<string>() };
    for (const method of Array.isArray(route.method) ? route.method : [route.method]) entry.methods.add(method.toUpperCase());
    this.routes.set(route.url, entry);
  }

  /** The methods some route takes at this path (without query), sorted; empty for an unknown path. */
  allowedMethods(url: string): string[] {
    const path = url.split('?')[0];
    const methods = new Set<string>();
    for (const { pattern, methods: taken } of this.routes.values()) {
      if (pattern.test(path)) taken.forEach((method) => methods.add(method));
    }
    return [...methods].sort();
  }
}

/** `/v1/funds/:fundId/balance` → a pattern matching one non-empty segment per parameter. */
function compile(url: string): RegExp {
  const source = url
    .split('/')
    .map((segment) => {
      if (segment === '*') return '.*';
      if (segment.startsWith(':')) return '[^/]+';
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return new RegExp(`^${source}$`);
}
