import { Body, Controller, Get, Inject, Optional, Post, Query, Res, UseFilters } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LEDGER_CONFIG } from '../../../commands/ledger-core.module';
import type { CommandOutcome } from '../../../commands/command-runner';
import type { LedgerConfig } from '../../../config';
import { Public, TooManyFailuresError } from '../../../http/auth';
import { AuthThrottle } from '../../../http/auth-throttle';
import { EventStore } from '../../../event-store/event-store.port';
import { ProjectionRunner } from '../../../projections/projection-runner';
import { Clock } from '../../../shared/clock';
import { html } from '../html';
import { page } from '../layout';
import { PageExceptionFilter, PageRequest, organisationName, redirect, sendPage } from '../page-http';
import { PageErrors } from '../pages.errors';
import { Sessions, hashSecret, newSessionSecret } from '../sessions';
import { EndSessionCommand } from '../sign-out/end-session.handler';
import { RedeemSignInLinkCommand } from './redeem-sign-in-link.handler';
import { CsrfFormDto, SignInFormDto, SignInQueryDto } from './sign-in.dto';

/** How long opening an unknown link waits for this instance's read models to catch up with the log. */
const FRESH_LINK_WAIT_MS = 1000;

/**
 * Opening a sign-in link shows a button; only pressing it (a POST with the link's secret and a
 * CSRF value) uses the link up, so a mail scanner that fetches links cannot spend it. The
 * redemption sets the session cookie and sends the person to their page.
 */
@ApiExcludeController()
@Controller()
@Public()
@UseFilters(PageExceptionFilter)
export class SignInPageController {
  constructor(
    private readonly commands: CommandBus,
    private readonly sessions: Sessions,
    private readonly projections: ProjectionRunner,
    private readonly store: EventStore,
    private readonly clock: Clock,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
    @Optional() private readonly throttle?: AuthThrottle,
  ) {}

  /**
   * A sign-in link's secret is a credential like an API token: an address that has failed to
   * authenticate too often (API tokens and links together, LEDGER_AUTH_FAILURE_LIMIT) is answered
   * 429 with Retry-After before the link is looked up, and each unusable link counts.
   */
  private async refuseWhileThrottled(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const wait = await this.throttle?.blockedFor(request);
    if (wait === undefined) return;
    void reply.header('retry-after', String(wait));
    throw new TooManyFailuresError(wait);
  }

  private async unusable(request: FastifyRequest): Promise<never> {
    await this.throttle?.failed(request);
    throw PageErrors.linkInvalid();
  }

  /**
   * The link a secret opens. A link issued on another instance (or just now) may not be in this
   * instance's read model yet: an unknown secret waits once, bounded, for the projections to reach
   * the log's head, as a fresh API token does.
   */
  private async usableLink(secret: string) {
    const found = this.sessions.usableLink(secret);
    if (found) return found;
    await this.projections.waitFor(await this.store.headPosition(), FRESH_LINK_WAIT_MS);
    return this.sessions.usableLink(secret);
  }

  @Get('sign-in')
  async show(@Query() query: SignInQueryDto, @PageRequest() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const organisation = organisationName(this.config);
    if (query.token === undefined) {
      sendPage(reply, 200, page({ title: 'Sign in', organisationName: organisation }, html`<h1>Sign in</h1>
<p class="lead">Sustainers and member cooperatives sign in with a link a steward gives them. Each link works once and expires; ask a steward for a new one when yours has.</p>
<p><a href="/">See where the money goes</a> without signing in.</p>`));
      return;
    }
    await this.refuseWhileThrottled(request, reply);
    if (!(await this.usableLink(query.token))) await this.unusable(request);
    const csrf = this.sessions.signInCsrf(request, reply);
    sendPage(reply, 200, page({ title: 'Sign in', organisationName: organisation }, html`<h1>Sign in</h1>
<p class="lead">This link opens your own page at ${organisation}. It works once: after you sign in, it cannot be used again.</p>
<form method="post" action="/sign-in" class="stack">
<input type="hidden" name="token" value="${query.token}">
<input type="hidden" name="_csrf" value="${csrf}">
<button type="submit">Sign in to my page</button>
</form>`));
  }

  @Post('sign-in')
  async signIn(@Body() form: SignInFormDto, @PageRequest() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.refuseWhileThrottled(request, reply);
    this.sessions.checkSignInCsrf(request, form._csrf);
    const link = (await this.usableLink(form.token)) ?? (await this.unusable(request));
    const sessionSecret = newSessionSecret();
    const id = String(request.id);
    const context = { actor: { id: `sign-in-link:${link.link_id}`, role: link.role, subject: link.subject }, correlationId: id, causationId: id, now: this.clock.now() };
    const outcome = await this.commands.execute<RedeemSignInLinkCommand, CommandOutcome<{ linkId: string }>>(
      new RedeemSignInLinkCommand(context, link, hashSecret(sessionSecret), this.sessions.sessionLifetimeMs),
    );
    await this.projections.waitFor(outcome.position, this.config.readYourWritesTimeoutMs);
    this.sessions.startSession(request, reply, sessionSecret);
    redirect(reply, '/my');
  }

  @Post('sign-out')
  async signOut(@Body() form: CsrfFormDto, @PageRequest() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const session = this.sessions.current(request);
    if (session) {
      this.sessions.checkCsrf(session, form._csrf);
      const id = String(request.id);
      const outcome = await this.commands.execute<EndSessionCommand, CommandOutcome<{ linkId: string }>>(
        new EndSessionCommand({ actor: session.actor, correlationId: id, causationId: id, now: this.clock.now() }, session.linkId),
      );
      await this.projections.waitFor(outcome.position, this.config.readYourWritesTimeoutMs);
    }
    this.sessions.clearSession(request, reply);
    redirect(reply, '/');
  }
}
