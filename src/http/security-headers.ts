import helmet from 'helmet';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';

/**
 * The API answers JSON (and CSV) only: nothing in an answer may load, frame or run anything.
 * Helmet's other defaults stay (HSTS, nosniff, no referrer, frame denial, COOP/CORP same-origin,
 * no X-Powered-By).
 */
const API_POLICY = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'none'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'none'"],
  },
};

/**
 * Swagger UI at /docs loads its own scripts and styles from /docs, styles itself with inline
 * <style> blocks and draws icons from data: URIs, and calls /docs-json and the API (same origin).
 */
export const DOCS_POLICY = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:'],
    fontSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    frameAncestors: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
  },
};

/** Request headers a browser client may send, and answer headers it may read, when CORS is on. */
const CORS_REQUEST_HEADERS = ['authorization', 'content-type', 'accept', 'idempotency-key', 'x-request-id', 'x-correlation-id'];
const CORS_EXPOSED_HEADERS = ['x-request-id', 'ledger-position', 'ledger-read-models', 'idempotent-replayed', 'retry-after', 'content-disposition', 'www-authenticate', 'allow'];

/** The Swagger UI's pages and assets (not /docs-json, which is JSON like the API). */
const isDocsRoute = (url: string | undefined): boolean => url !== undefined && (url === '/docs' || url.startsWith('/docs/'));

/**
 * Security headers on every answer (helmet), with the Swagger UI's looser policy on the /docs
 * pages only; CORS (@fastify/cors) only when LEDGER_CORS_ORIGINS names origins, and then for
 * exactly those (or any, for `*`), without credentials: the API takes bearer tokens, never
 * cookies. Called before the routes are registered (Nest registers them at init).
 *
 * Each policy's helmet middleware is built once, here: @fastify/helmet built one per request
 * (helmet's options parsed and its middlewares made again for every answer, about 20 µs each,
 * measured in the profile of bench:http's edge).
 */
export function secureAnswers(app: NestFastifyApplication, corsOrigins: readonly string[] | undefined): void {
  const fastify: FastifyInstance = app.getHttpAdapter().getInstance();
  const api = helmet({ contentSecurityPolicy: API_POLICY });
  const docs = helmet({ contentSecurityPolicy: DOCS_POLICY });
  fastify.addHook('onRequest', (request, reply, done) => {
    const headers = isDocsRoute(request.routeOptions.url) ? docs : api;
    headers(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined));
  });
  if (corsOrigins && corsOrigins.length > 0) {
    app.enableCors({
      origin: corsOrigins.length === 1 && corsOrigins[0] === '*' ? '*' : [...corsOrigins],
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: CORS_REQUEST_HEADERS,
      exposedHeaders: CORS_EXPOSED_HEADERS,
      credentials: false,
      maxAge: 600,
    });
  }
}
