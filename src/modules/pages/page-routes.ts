import type { FastifyInstance } from 'fastify';
import { errorCodes } from 'fastify';

/**
 * The HTML pages' routes. They are not part of the JSON API (they are left out of the OpenAPI
 * document, and the contract tests skip them with `isPageRoute`), take urlencoded forms, and
 * authenticate with the page session cookie instead of a bearer token.
 */
const PAGE_PATH = /^\/(|sign-in|sign-out|my|my\/.*)$/;

export function isPageRoute(url: string): boolean {
  return PAGE_PATH.test(url.split('?')[0]);
}

/** Form bodies are small: a few short fields. */
const FORM_BODY_LIMIT = 8 * 1024;
const MAX_FIELDS = 20;

/**
 * Lets the pages' routes take `application/x-www-form-urlencoded` bodies (what a form without
 * script sends); every other route still answers a form with 415, as before. The fields become
 * a plain object of strings, validated by each route's DTO like a JSON body.
 */
export function acceptPageForms(fastify: FastifyInstance): void {
  fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT }, (request, body, done) => {
    if (!isPageRoute(request.url)) {
      done(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(String(request.headers['content-type'] ?? '')), undefined);
      return;
    }
    const fields: Record<string, string> = {};
    let count = 0;
    for (const [key, value] of new URLSearchParams(body as string)) {
      if (++count > MAX_FIELDS) break;
      // A repeated field keeps its first value: a form of this site never repeats one.
      if (!Object.prototype.hasOwnProperty.call(fields, key)) Object.defineProperty(fields, key, { value, enumerable: true, writable: true, configurable: true });
    }
    done(null, fields);
  });
}
