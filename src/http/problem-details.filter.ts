import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger, Optional } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { WrongExpectedVersionError } from '../event-store/event-store.port';
import { FaultLogLimiter, StoreUnavailableError, asStoreFault, isSqliteStorageFault } from '../event-store/store-unavailable';
import { DomainError } from '../shared/domain-error';
import { FieldError, PROBLEM_CONTENT_TYPE, ProblemDocument, problemDocument, titleFor } from './problem-details';
import { RouteTable } from './route-table';
import { RequestValidationError } from './validation';

/**
 * Codes for errors raised outside the handlers. Nest turns Fastify's own rejections (body too
 * large, unknown media type, bad content length) into plain HttpExceptions, so the status is
 * all that is left to go by.
 */
const HTTP_CODES: Record<number, string> = {
  400: 'REQUEST.MALFORMED',
  401: 'AUTH.UNAUTHENTICATED',
  403: 'AUTH.FORBIDDEN',
  404: 'ROUTE.NOT_FOUND',
  405: 'ROUTE.METHOD_NOT_ALLOWED',
  413: 'REQUEST.BODY_TOO_LARGE',
  414: 'REQUEST.URI_TOO_LONG',
  415: 'REQUEST.UNSUPPORTED_MEDIA_TYPE',
};

/**
 * Fastify's own messages for these say little more than the status; these say what to do. Only
 * Fastify raises them, before any handler.
 */
const HTTP_DETAILS: Record<number, string> = {
  413: 'The request body is larger than this service accepts.',
  415: 'Only application/json bodies are accepted.',
};

/** What the filter answers: the document and the headers that go with its status. */
interface Answer {
  readonly problem: ProblemDocument;
  readonly headers: Record<string, string>;
}

/**
 * Maps every error to an RFC 9457 problem document. Unexpected errors are logged as one line
 * (never the request's body or headers) and not leaked.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problems');
  private readonly storeFaults = new FaultLogLimiter((line) => this.logger.error(line));

  constructor(@Optional() private readonly routes?: RouteTable) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const { problem, headers } = this.answer(exception, request);
    void reply.status(problem.status).headers({ ...headers, 'content-type': PROBLEM_CONTENT_TYPE }).send(problem);
  }

  toProblem(exception: unknown, request: FastifyRequest): ProblemDocument {
    return this.answer(exception, request).problem;
  }

  private answer(exception: unknown, request: FastifyRequest): Answer {
    const instance = request.url;
    if (exception instanceof RequestValidationError) {
      return plain(problemDocument(400, 'REQUEST.INVALID', instance, 'The request has invalid fields.', { errors: exception.fieldErrors }));
    }
    if (exception instanceof DomainError) {
      return plain(problemDocument(exception.status, exception.code, instance, exception.message, withFieldErrors(exception)));
    }
    if (exception instanceof WrongExpectedVersionError) {
      return plain(problemDocument(409, 'CONCURRENCY.CONFLICT', instance, 'Another request changed the same records; try again.'));
    }
    if (exception instanceof StoreUnavailableError || isSqliteStorageFault(exception)) {
      // One log line per kind of fault per minute, not a stack trace per refused request; the
      // read models' own storage faults (an I/O error reading them) are answered the same way.
      this.storeFaults.report(asStoreFault(exception) as StoreUnavailableError);
      return plain(problemDocument(503, 'STORE.UNAVAILABLE', instance, 'The ledger cannot store or read events right now; nothing was written. Try again later.'));
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status === 404 && request.is404) return this.noRoute(request);
      if (status === 401) {
        // RFC 9110 §11.6.1: a 401 says how to authenticate.
        return { problem: problemDocument(401, HTTP_CODES[401], instance, exception.message), headers: { 'www-authenticate': 'Bearer' } };
      }
      return plain(problemDocument(status, httpCode(status), instance, HTTP_DETAILS[status] ?? exception.message));
    }
    this.logger.error(oneLine(exception, request));
    return plain(problemDocument(500, 'INTERNAL', instance, 'An unexpected error occurred; it has been logged.'));
  }

  /** No route matched: 405 with `Allow` when the path exists with other methods, else 404. */
  private noRoute(request: FastifyRequest): Answer {
    const allowed = this.routes?.allowedMethods(request.url) ?? [];
    // A method the path takes that still found no route is some other miss, not a 405.
    if (allowed.length > 0 && !allowed.includes(request.method)) {
      return {
        problem: problemDocument(405, HTTP_CODES[405], request.url, `${request.method} is not allowed here; this path takes ${allowed.join(', ')}.`),
        headers: { allow: allowed.join(', ') },
      };
    }
    return plain(problemDocument(404, HTTP_CODES[404], request.url, `No route ${request.method} ${request.url.split('?')[0]}.`));
  }
}

function plain(problem: ProblemDocument): Answer {
  return { problem, headers: {} };
}

/**
 * A domain error that names its field (`field`, or `fields` for several) is answered like a
 * validation error, with `errors[]`, so that every module's 400s and 422s have one shape; its
 * other details stay as extensions.
 */
function withFieldErrors(error: DomainError): Record<string, unknown> {
  const { field, fields, ...rest } = error.details;
  const named = [...(typeof field === 'string' ? [field] : []), ...(Array.isArray(fields) ? fields.filter((f) => typeof f === 'string') : [])];
  if (named.length === 0) return error.details;
  const existing = Array.isArray(rest.errors) ? (rest.errors as FieldError[]) : [];
  return { ...rest, errors: [...existing, ...named.map((name) => ({ field: name, messages: [error.message] }))] };
}

/**
 * The log line of an unexpected error: its name, message and the first frame of its stack, on
 * one line. A fault that hits every request (a full disk) must not write a stack per request,
 * and nothing of the request beyond its method and route pattern is logged.
 */
function oneLine(exception: unknown, request: FastifyRequest): string {
  const route = `${request.method ?? '?'} ${request.routeOptions?.url ?? '(no route)'}`;
  if (!(exception instanceof Error)) return `${route}: non-error thrown (${typeof exception})`;
  const frame = exception.stack
    ?.split('\n')
    .map((line) => line.trim())
    .find((line) => line.startsWith('at '));
  const message = `${exception.name}: ${exception.message}`.replace(/\s+/g, ' ').slice(0, 300);
  return `${route}: ${message}${frame ? ` ${frame}` : ''}`;
}

function httpCode(status: number): string {
  return HTTP_CODES[status] ?? `HTTP.${titleFor(status).toUpperCase().replace(/ /g, '_')}`;
}
