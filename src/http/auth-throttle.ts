import type { FastifyInstance, FastifyRequest } from 'fastify';
import fastifyRateLimit from '@fastify/rate-limit';

/**
 * Throttling of failed authentication per client address: after `limit` failures (a token that
 * is malformed, unknown, revoked or expired) within the window, every request from that address
 * that carries a token is answered 429 with `Retry-After` until the window ends, before its
 * token is even looked up, so that a brute force learns nothing more, even from a right guess.
 * Requests without a token are answered 401 and not counted (they guess nothing).
 *
 * The counting is @fastify/rate-limit's (its LRU store, `createRateLimit`, and its non-counting
 * read for the check); only failures are counted, never a request with a valid token.
 */
export abstract class AuthThrottle {
  /** Seconds until the address may try again, or undefined when it is not blocked. */
  abstract blockedFor(request: FastifyRequest): Promise<number | undefined>;
  /** Counts one failed authentication from the request's address. */
  abstract failed(request: FastifyRequest): Promise<void>;
}

type Limiter = ReturnType<FastifyInstance['createRateLimit']>;

class RateLimitThrottle extends AuthThrottle {
  constructor(private readonly limiter: Limiter) {
    super();
  }

  async blockedFor(request: FastifyRequest): Promise<number | undefined> {
    const state = await this.limiter(request, { increment: false });
    if (state.isAllowed || state.remaining > 0) return undefined;
    return Math.max(1, state.ttlInSeconds);
  }

  async failed(request: FastifyRequest): Promise<void> {
    await this.limiter(request);
  }
}

/**
 * Registers @fastify/rate-limit on the instance (no route is limited by it: `global: false`) and
 * makes the throttle from it. Called before Nest registers its routes. Keys are the client
 * address Fastify reports (`request.ip`; IPv6 grouped by /64).
 */
export async function authThrottleFor(fastify: FastifyInstance, options: { limit: number; windowMs: number }): Promise<AuthThrottle> {
  await fastify.register(fastifyRateLimit, { global: false });
  return new RateLimitThrottle(fastify.createRateLimit({ max: options.limit, timeWindow: options.windowMs }));
}
