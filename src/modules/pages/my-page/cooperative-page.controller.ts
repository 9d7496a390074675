import { Body, Controller, Inject, Param, Post, Res, UseFilters } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ProblemDetailsFilter } from '../../../http/problem-details.filter';
import { RequestValidationError, UuidParamPipe, strictValidationPipe } from '../../../http/validation';
import { Clock } from '../../../shared/clock';
import { DomainError, NotFoundError } from '../../../shared/domain-error';
import { Public } from '../../../http/auth';
import type { CommandOutcome } from '../../../commands/command-runner';
import { ProjectionRunner } from '../../../projections/projection-runner';
import { LEDGER_CONFIG } from '../../../commands/ledger-core.module';
import type { LedgerConfig } from '../../../config';
import { ConfirmLabourExchangeCommand, ProposeHoursDto, ProposeLabourExchangeCommand, ReserveThingCommand, ReserveThingDto } from '../../lending';
import { CsrfFormDto } from '../open-sign-in-link/sign-in.dto';
import { PageExceptionFilter, PageRequest, errorPage, organisationName, pageContext, redirect, refusalText, sendPage } from '../page-http';
import { PageSession, Sessions } from '../sessions';
import { CooperativePages } from './cooperative-pages';
import { ProposeFormDto, ReserveFormDto } from './cooperative-forms.dto';
import type { DONE } from './my-page.dto';

/**
 * The cooperative page's forms. Each dispatches the very command the API route does, as the
 * session's cooperative, after the API's own DTO has checked the fields: the same rules, the same
 * refusals, which are shown on the page in words with the API's status (never a 5xx).
 */
@ApiExcludeController()
@Controller('my')
@Public()
@UseFilters(PageExceptionFilter)
export class CooperativePageController {
  private readonly problems = new ProblemDetailsFilter();
  private readonly validation = strictValidationPipe();

  constructor(
    private readonly commands: CommandBus,
    private readonly sessions: Sessions,
    private readonly pages: CooperativePages,
    private readonly clock: Clock,
    private readonly projections: ProjectionRunner,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  /** The cooperative's session, with the form's CSRF token checked; a sustainer's session gets the same 404 as a stranger's path. */
  private session(request: FastifyRequest, reply: FastifyReply, csrf: string): PageSession | undefined {
    const session = this.sessions.current(request);
    if (!session) {
      sendPage(reply, 401, errorPage(organisationName(this.config), 'Please sign in', 'Your session has ended. Open a new sign-in link to continue.', 'SIGN_IN.SESSION_REQUIRED'));
      return undefined;
    }
    if (session.role !== 'cooperative') throw new NotFoundError('ROUTE.NOT_FOUND', 'There is nothing here for you.');
    this.sessions.checkCsrf(session, csrf);
    return session;
  }

  private async dispatch(
    request: FastifyRequest,
    reply: FastifyReply,
    session: PageSession,
    done: (typeof DONE)[number],
    work: () => Promise<CommandOutcome<unknown>>,
  ): Promise<void> {
    try {
      const outcome = await work();
      // Read-your-writes, as the API's responder: the page redirected to shows the change.
      await this.projections.waitFor(outcome.position, this.config.readYourWritesTimeoutMs);
    } catch (error) {
      if (!(error instanceof DomainError) && !(error instanceof RequestValidationError)) throw error;
      const problem = this.problems.toProblem(error, request);
      await this.pages.render(reply, session, { status: problem.status, error: `${refusalText(problem)} (${problem.code})` });
      return;
    }
    redirect(reply, `/my?done=${done}`);
  }

  private async check<T extends object>(metatype: new () => T, value: object): Promise<T> {
    return (await this.validation.transform(value, { type: 'body', metatype })) as T;
  }

  @Post('reservations')
  async reserve(@Body() form: ReserveFormDto, @PageRequest() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const session = this.session(request, reply, form._csrf);
    if (!session) return;
    await this.dispatch(request, reply, session, 'reserved', async () => {
      const body = await this.check(ReserveThingDto, { resourceId: form.resourceId, borrowerId: session.subject, startOn: form.startOn, dueOn: form.dueOn });
      return this.commands.execute<ReserveThingCommand, CommandOutcome<unknown>>(new ReserveThingCommand(pageContext(session, request, this.clock), body));
    });
  }

  @Post('labour-exchanges')
  async propose(@Body() form: ProposeFormDto, @PageRequest() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const session = this.session(request, reply, form._csrf);
    if (!session) return;
    await this.dispatch(request, reply, session, 'proposed', async () => {
      const hours = /^\d{1,5}$/.test(form.hours) ? Number(form.hours) : NaN;
      const minutes = form.minutes === '' ? 0 : /^\d{1,2}$/.test(form.minutes) ? Number(form.minutes) : NaN;
      const [workerId, receiverId] = form.direction === 'we-worked' ? [session.subject, form.counterpartId] : [form.counterpartId, session.subject];
      const total = hours * 60 + minutes;
      const body = await this.check(ProposeHoursDto, {
        workerId, receiverId, minutes: Number.isFinite(total) ? total : form.hours, workedOn: form.workedOn, description: form.description,
      });
      return this.commands.execute<ProposeLabourExchangeCommand, CommandOutcome<unknown>>(new ProposeLabourExchangeCommand(pageContext(session, request, this.clock), body));
    });
  }

  @Post('labour-exchanges/:exchangeId/confirm')
  async confirm(
    @Param('exchangeId', UuidParamPipe) exchangeId: string,
    @Body() form: CsrfFormDto,
    @PageRequest() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const session = this.session(request, reply, form._csrf);
    if (!session) return;
    await this.dispatch(request, reply, session, 'confirmed', () => this.commands.execute<ConfirmLabourExchangeCommand, CommandOutcome<unknown>>(new ConfirmLabourExchangeCommand(pageContext(session, request, this.clock), exchangeId)));
  }
}
