import helmet from '@fastify/helmet';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, RouteOptions } from 'fastify';

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

/**
 * Security headers on every answer (@fastify/helmet), with the Swagger UI's looser policy on the
 * /docs pages only; CORS (@fastify/cors) only when LEDGER_CORS_ORIGINS names origins, and then
 * for exactly those (or any, for `*`), without credentials: the API takes bearer tokens, never
 * cookies. Called before the routes are registered (Nest registers them at init).
 */
export async function secureAnswers(app: NestFastifyApplication, corsOrigins: readonly string[] | undefined): Promise<void> {
  const fastify: FastifyInstance = app.getHttpAdapter().getInstance();
  fastify.addHook('onRoute', (route: RouteOptions) => {
    if (route.url === '/docs' || route.url.startsWith('/docs/')) {
      route.config = { ...(route.config as object), helmet: { contentSecurityPolicy: DOCS_POLICY } } as RouteOptions['config'];
    }
  });
  await app.register(helmet as never, { contentSecurityPolicy: API_POLICY } as never);
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
