import type { FastifyInstance } from 'fastify';
import type { Rebuild } from '../projections/projection-runner';
import { REBUILDING_CODE, addRequestLogFields } from '../observability/request-log';
import { PROBLEM_CONTENT_TYPE, problemDocument } from './problem-details';

/** Paths that answer without the read models: health (which reports the rebuild) and the API document. */
const ALWAYS_OPEN = /^\/(health|docs)(\/|$|\?|-json)/;

/**
 * While the read models catch up with the log at start, every route that reads them (which is
 * every route but health and the API document: balances, listings, even authentication, whose
 * tokens and revocations are a read model) answers 503 `READ_MODELS.REBUILDING` with
 * `Retry-After` and the progress, instead of answering from tables that are behind, or
 * accepting a token whose revocation has not been applied yet.
 */
export function gateWhileRebuilding(fastify: FastifyInstance, rebuilding: () => Rebuild | undefined): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    const rebuild = rebuilding();
    if (rebuild === undefined || ALWAYS_OPEN.test(request.url)) {
      done();
      return;
    }
    const retryAfter = Math.min(60, Math.max(1, rebuild.etaSeconds ?? 5));
    addRequestLogFields(request, { code: REBUILDING_CODE });
    void reply
      .status(503)
      .header('retry-after', String(retryAfter))
      .header('content-type', PROBLEM_CONTENT_TYPE)
      .send(
        problemDocument(
          503,
          REBUILDING_CODE,
          request.url,
          `The read models are catching up with the log (position ${rebuild.position} of ${rebuild.target}); try again in ${retryAfter} s.`,
          { rebuilding: rebuild },
        ),
      );
  });
}
