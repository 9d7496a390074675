import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { WrongExpectedVersionError } from '../event-store/event-store.port';
import { FaultLogLimiter, StoreUnavailableError, asStoreFault, isSqliteStorageFault } from '../event-store/store-unavailable';
import { DomainError } from '../shared/domain-error';
import { PROBLEM_CONTENT_TYPE, ProblemDocument, problemType, titleFor } from './problem-details';
import { RequestValidationError } from './validation';

/**
 * Codes for errors raised outside the handlers. Nest turns Fastify's own rejections (body too
 * large, malformed JSON, unknown media type) into plain HttpExceptions, so the status is all
 * that is left to go by.
 */
const HTTP_CODES: Record<number, string> = {
  400: 'REQUEST.MALFORMED',
  401: 'AUTH.UNAUTHENTICATED',
  403: 'AUTH.FORBIDDEN',
  404: 'ROUTE.NOT_FOUND',
  405: 'ROUTE.METHOD_NOT_ALLOWED',
  413: 'REQUEST.BODY_TOO_LARGE',
  415: 'REQUEST.UNSUPPORTED_MEDIA_TYPE',
};

/** Maps every error to an RFC 9457 problem document. Unexpected errors are logged, not leaked. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problems');
  private readonly storeFaults = new FaultLogLimiter((line) => this.logger.error(line));

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const problem = this.toProblem(exception, request);
    void reply.status(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(problem);
  }

  toProblem(exception: unknown, request: FastifyRequest): ProblemDocument {
    const instance = request.url;
    if (exception instanceof RequestValidationError) {
      return problem(400, 'REQUEST.INVALID', instance, 'The request has invalid fields.', {
        errors: exception.fieldErrors,
      });
    }
    if (exception instanceof DomainError) {
      return problem(exception.status, exception.code, instance, exception.message, exception.details);
    }
    if (exception instanceof WrongExpectedVersionError) {
      return problem(409, 'CONCURRENCY.CONFLICT', instance, 'Another request changed the same records; try again.');
    }
    if (exception instanceof StoreUnavailableError || isSqliteStorageFault(exception)) {
      // One log line per kind of fault per minute, not a stack trace per refused request; the
      // read models' own storage faults (an I/O error reading them) are answered the same way.
      this.storeFaults.report(asStoreFault(exception) as StoreUnavailableError);
      return problem(503, 'STORE.UNAVAILABLE', instance, 'The ledger cannot store or read events right now; nothing was written. Try again later.');
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      return problem(status, httpCode(status), instance, exception.message);
    }
    this.logger.error(exception instanceof Error ? exception.stack ?? exception.message : String(exception));
    return problem(500, 'INTERNAL', instance, 'An unexpected error occurred; it has been logged.');
  }
}

function httpCode(status: number): string {
  return HTTP_CODES[status] ?? `HTTP.${titleFor(status).toUpperCase().replace(/ /g, '_')}`;
}

function problem(
  status: number,
  code: string,
  instance: string,
  detail: string,
  extensions: Record<string, unknown> = {},
): ProblemDocument {
  // Extensions first: the standard members can never be overwritten by a detail of the same name.
  return { ...extensions, type: problemType(code), title: titleFor(status), status, code, detail, instance };
}
