import { ArgumentsHost, Catch, ExceptionFilter, ExecutionContext, HttpException, Inject, Injectable, createParamDecorator } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LEDGER_CONFIG } from '../../commands/ledger-core.module';
import type { CommandContext } from '../../commands/command-context';
import { DEFAULT_ORGANISATION_NAME, type LedgerConfig } from '../../config';
import { ProblemDetailsFilter } from '../../http/problem-details.filter';
import type { FieldError } from '../../http/problem-details';
import { Clock } from '../../shared/clock';
import { Html, html } from './html';
import { LayoutViewer, page } from './layout';
import type { PageSession } from './sessions';

/**
 * Headers every page carries. The CSP allows no script at all and only the inline stylesheet;
 * `Referrer-Policy: no-referrer` keeps a sign-in link's secret out of any Referer header.
 */
const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
};

/**
 * The request, for reading its cookies. Unlike `@Req()`, it does not tell the declared-inputs
 * check that the handler reads everything, so a page still refuses a query or body it does not take.
 */
export const PageRequest = createParamDecorator((_: unknown, context: ExecutionContext): FastifyRequest => context.switchToHttp().getRequest<FastifyRequest>());

export function sendPage(reply: FastifyReply, status: number, body: Html, options: { private?: boolean } = {}): void {
  void reply
    .status(status)
    // A public page differs for a signed-in viewer (the sign-out form), so caches key it by cookie.
    .headers({ ...PAGE_HEADERS, 'cache-control': options.private === false ? 'public, max-age=60' : 'no-store', vary: 'cookie' })
    .send(body.value);
}

export function redirect(reply: FastifyReply, location: string): void {
  void reply.status(303).headers({ location, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' }).send('');
}

export function viewerOf(session: PageSession | undefined, label: string): LayoutViewer | undefined {
  return session ? { label, home: '/my', csrfToken: session.csrfToken } : undefined;
}

/** A command context for a page request: the session's actor, the request's id as correlation and cause. */
export function pageContext(session: PageSession, request: FastifyRequest, clock: Clock): CommandContext {
  const id = String(request.id);
  return { actor: session.actor, correlationId: id, causationId: id, now: clock.now() };
}

export function organisationName(config: LedgerConfig): string {
  return config.orgName ?? config.organisationName ?? DEFAULT_ORGANISATION_NAME;
}

/** A refusal in words: the rule's own message and, for bad fields, each field's messages. */
export function refusalText(problem: { title: string; detail?: string; errors?: readonly FieldError[] }): string {
  const detail = problem.detail ?? problem.title;
  const fields = (problem.errors ?? []).map((e) => `${e.field}: ${e.messages.join('; ')}`);
  return fields.length > 0 ? `${detail} ${fields.join(' · ')}` : detail;
}

const TITLES: Record<number, string> = {
  400: 'That request could not be understood',
  401: 'Please sign in',
  403: 'That was refused',
  404: 'Not found',
  405: 'Not allowed here',
  409: 'That could not be done',
  413: 'Too large',
  415: 'Not a form this page takes',
  422: 'That could not be done',
  503: 'The ledger is unavailable',
};

/**
 * Errors on the pages are answered as HTML pages with the same status and code the API would
 * give (mapped by the API's own problem filter), never as JSON and never as a 5xx for bad input.
 * A 404 says nothing about the id asked for, so another person's id reads like an unknown one.
 */
@Catch()
@Injectable()
export class PageExceptionFilter implements ExceptionFilter {
  private readonly problems = new ProblemDetailsFilter();

  constructor(@Inject(LEDGER_CONFIG) private readonly config: LedgerConfig) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const problem = this.problems.toProblem(exception instanceof HttpException || exception instanceof Error ? exception : new Error(String(exception)), request);
    const status = problem.status;
    const detail =
      status === 404
        ? 'There is nothing here for you. If you followed a link, it may be out of date.'
        : status >= 500
          ? 'Something went wrong on our side; it has been logged. Please try again later.'
          : refusalText(problem);
    sendPage(reply, status, errorPage(organisationName(this.config), TITLES[status] ?? 'That could not be done', detail, problem.code));
  }
}

export function errorPage(organisation: string, title: string, detail: string, code: string): Html {
  return page(
    { title, organisationName: organisation },
    html`<h1>${title}</h1>
<p class="lead">${detail}</p>
<p class="muted">Code: <code>${code}</code></p>
<p><a href="/">Back to the public page</a></p>`,
  );
}
