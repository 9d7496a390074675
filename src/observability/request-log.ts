import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Actor } from '../shared/decider';
import { MetricsRegistry } from './metrics-registry';

/** A value a feature may add to its request's log line. */
export type RequestLogValue = string | number | boolean;

const EXTRA_FIELDS = Symbol('ledger:request-log-fields');

interface Annotated {
  [EXTRA_FIELDS]?: Record<string, RequestLogValue>;
  actor?: Actor;
}

/**
 * Adds fields to the one log line of this request (say `auth: 'expired'` from the guard, so that
 * every use of an expired token shows in the log). Never a token, a secret, a body or personal
 * data: ids, codes and counts only.
 */
export function addRequestLogFields(request: FastifyRequest, fields: Record<string, RequestLogValue>): void {
  const annotated = request as FastifyRequest & Annotated;
  annotated[EXTRA_FIELDS] = { ...annotated[EXTRA_FIELDS], ...fields };
}

/** The route label of an answer: the pattern it matched (`/v1/funds/:fundId`), never the URL itself. */
export function routeOf(request: FastifyRequest): string {
  if (request.is404) return 'unmatched';
  return request.routeOptions.url ?? 'unmatched';
}

/** Paths an orchestrator or Prometheus calls every few seconds: their successful answers log at `debug`. */
const PROBES = new Set(['/health', '/health/live', '/health/ready', '/metrics']);

/** The code of the 503 every read answers while the read models rebuild (see http/rebuild-gate.ts). */
export const REBUILDING_CODE = 'READ_MODELS.REBUILDING';

/**
 * A 503 the service gives by design, not a fault: a probe saying "not ready" (a rebuild, a store
 * that is down: the probe has done its job, and the fault is logged where it is met), and every
 * read refused while the read models rebuild. They log at `warn`: a rebuild polled every second
 * would otherwise write an `error` line a second.
 */
function unavailableByDesign(route: string, status: number, fields: Record<string, RequestLogValue> | undefined): boolean {
  return status === 503 && (PROBES.has(route) || fields?.code === REBUILDING_CODE);
}

function levelOf(route: string, status: number, fields: Record<string, RequestLogValue> | undefined): 'error' | 'warn' | 'info' | 'debug' {
  if (status >= 500) return unavailableByDesign(route, status, fields) ? 'warn' : 'error';
  return status < 400 && PROBES.has(route) ? 'debug' : 'info';
}

/**
 * One JSON line per request, written when the answer has been sent, and the request metrics:
 *
 *   {"level":"info","time":"…","reqId":"…","method":"POST","route":"/v1/funds/:fundId/close",
 *    "status":201,"durationMs":4.2,"actorId":"token:…","msg":"request"}
 *
 * The line carries the method, the route pattern (not the URL, whose path and query could carry
 * names), the status, the duration, the actor's id (a token id, never its secret) and the request
 * id; no header, no body. 5xx answers log at `error` (503s by design at `warn`, see
 * unavailableByDesign); probes' successful answers at `debug`.
 * Every answer carries its request id in `X-Request-Id` (see requestIdOf in app.ts).
 */
export function observeRequests(fastify: FastifyInstance, log: Logger, metrics: MetricsRegistry): RequestRecorder {
  const requests = metrics.counter({
    name: 'ledger_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'] as const,
  });
  const duration = metrics.histogram({
    name: 'ledger_http_request_duration_seconds',
    help: 'Time from the request received to the answer sent, by method and route pattern.',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  });

  fastify.addHook('onSend', (request: FastifyRequest, reply: FastifyReply, payload: unknown, done) => {
    void reply.header('x-request-id', String(request.id));
    done(null, payload);
  });

  const record = (request: FastifyRequest, reply: FastifyReply): void => {
    const route = routeOf(request);
    const status = reply.statusCode;
    const durationMs = reply.elapsedTime;
    requests.inc({ method: request.method, route, status: String(status) });
    duration.observe({ method: request.method, route }, durationMs / 1000);
    const annotated = request as FastifyRequest & Annotated;
    const level = levelOf(route, status, annotated[EXTRA_FIELDS]);
    if (log.isLevelEnabled(level)) {
      log[level](
        {
          ...annotated[EXTRA_FIELDS],
          reqId: String(request.id),
          method: request.method,
          route,
          status,
          durationMs: Math.round(durationMs * 10) / 10,
          ...(annotated.actor ? { actorId: annotated.actor.id } : {}),
        },
        'request',
      );
    }
  };
  fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done) => {
    record(request, reply);
    done();
  });
  return {
    // Fastify's frameworkErrors answers run no hooks: their line is written when the answer is sent.
    recordWithoutHooks: (request, reply) => void reply.raw.once('finish', () => record(request, reply)),
  };
}

/** Records an answer Fastify sent without running the hooks (a URL it could not route). */
export interface RequestRecorder {
  recordWithoutHooks(request: FastifyRequest, reply: FastifyReply): void;
}
