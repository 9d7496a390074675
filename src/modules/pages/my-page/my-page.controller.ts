import { Controller, Get, Inject, Param, Query, Res, UseFilters } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LEDGER_CONFIG } from '../../../commands/ledger-core.module';
import type { LedgerConfig } from '../../../config';
import { Public } from '../../../http/auth';
import { UuidParamPipe } from '../../../http/validation';
import { Clock } from '../../../shared/clock';
import { NotFoundError } from '../../../shared/domain-error';
import {
  GetDonationQuery, GetSustainerQuery, ListDonationsQuery, ListPledgesQuery, ReadStatementQuery,
  type DonationList, type DonationView, type PledgeList, type Statement, type SustainerView,
} from '../../sustainers';
import { page } from '../layout';
import { PageExceptionFilter, PageRequest, organisationName, redirect, sendPage, viewerOf } from '../page-http';
import { AttributionSource } from '../seams';
import { PageSession, Sessions } from '../sessions';
import { CooperativePages } from './cooperative-pages';
import { MyPageQueryDto, StatementDownloadQueryDto } from './my-page.dto';
import { Issuer, acknowledgementPdf, statementPdf, sustainerStatementCsv } from './statement-documents';
import { sustainerBody } from './sustainer.view';

/** Listings on the page are read whole, up to this many rows (a sustainer's gifts of many years). */
const MAX_ROWS = 500;

/** What a page answers for a route that is not for the signed-in role: exactly what an unknown id gets. */
const notYours = () => new NotFoundError('ROUTE.NOT_FOUND', 'There is nothing here for you.');

/**
 * `/my`: the signed-in person's own page, the sustainer's or the cooperative's. Every read is a
 * query on the bus as the session's actor (role and subject as their API token would have), so
 * what the API would answer 404 the page answers 404 too.
 */
@ApiExcludeController()
@Controller('my')
@Public()
@UseFilters(PageExceptionFilter)
export class MyPageController {
  constructor(
    private readonly queries: QueryBus,
    private readonly sessions: Sessions,
    private readonly cooperatives: CooperativePages,
    private readonly attribution: AttributionSource,
    private readonly clock: Clock,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  private issuer(): Issuer {
    return { name: organisationName(this.config), address: this.config.orgAddress, taxId: this.config.orgTaxId };
  }

  private sustainerSession(request: FastifyRequest): PageSession {
    const session = this.sessions.current(request);
    if (!session || session.role !== 'sustainer') throw notYours();
    return session;
  }

  @Get()
  async show(@Query() query: MyPageQueryDto, @PageRequest() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const session = this.sessions.current(request);
    if (!session) return redirect(reply, '/sign-in');
    if (session.role === 'cooperative') return this.cooperatives.render(reply, session, { done: query.done });
    const { actor, subject } = session;
    const today = this.clock.now().toISOString().slice(0, 10);
    const year = query.year ?? Number(today.slice(0, 4));
    const [sustainer, pledges, gifts, statement] = await Promise.all([
      this.queries.execute<GetSustainerQuery, SustainerView>(new GetSustainerQuery(actor, subject)),
      this.queries.execute<ListPledgesQuery, PledgeList>(new ListPledgesQuery(actor, subject, today, { limit: MAX_ROWS })),
      this.queries.execute<ListDonationsQuery, DonationList>(new ListDonationsQuery(actor, { sustainerId: subject, limit: MAX_ROWS })),
      this.queries.execute<ReadStatementQuery, Statement>(new ReadStatementQuery(actor, subject, year)),
    ]);
    const attribution = await this.attribution.giftsWentTo(actor, gifts.items.map((g) => g.donationId));
    const years = [...new Set([Number(today.slice(0, 4)), year, ...gifts.items.map((g) => Number(g.receivedOn.slice(0, 4)))])].sort((a, b) => b - a);
    const organisation = organisationName(this.config);
    sendPage(
      reply,
      200,
      page(
        { title: 'Your giving', organisationName: organisation, viewer: viewerOf(session, 'My page') },
        sustainerBody({ sustainer, gifts: gifts.items, pledges: pledges.items, statement, years, attribution }),
      ),
    );
  }

  @Get('statement.csv')
  async statementCsv(@Query() query: StatementDownloadQueryDto, @PageRequest() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const { actor, subject } = this.sustainerSession(request);
    const statement = await this.queries.execute<ReadStatementQuery, Statement>(new ReadStatementQuery(actor, subject, query.year));
    void reply
      .status(200)
      .headers({ 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="statement-${query.year}.csv"`, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' })
      .send(sustainerStatementCsv(statement, this.issuer()));
  }

  @Get('statement.pdf')
  async statementPdf(@Query() query: StatementDownloadQueryDto, @PageRequest() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const { actor, subject } = this.sustainerSession(request);
    const statement = await this.queries.execute<ReadStatementQuery, Statement>(new ReadStatementQuery(actor, subject, query.year));
    sendPdf(reply, `statement-${query.year}.pdf`, await statementPdf(statement, this.issuer()));
  }

  @Get('gifts/:donationId/acknowledgement.pdf')
  async acknowledgement(@Param('donationId', UuidParamPipe) donationId: string, @PageRequest() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const { actor, subject } = this.sustainerSession(request);
    // Another sustainer's gift is DONATION.NOT_FOUND here, as on the API.
    const donation = await this.queries.execute<GetDonationQuery, DonationView>(new GetDonationQuery(actor, donationId));
    const statement = await this.queries.execute<ReadStatementQuery, Statement>(new ReadStatementQuery(actor, subject, Number(donation.receivedOn.slice(0, 4))));
    const gift = statement.gifts.find((g) => g.donationId === donationId);
    if (!gift) throw new NotFoundError('DONATION.NOT_FOUND', `No donation ${donationId}.`, { donationId });
    sendPdf(reply, `acknowledgement-${gift.dateReceived}.pdf`, await acknowledgementPdf(statement, gift, this.issuer()));
  }
}

function sendPdf(reply: FastifyReply, filename: string, body: Buffer): void {
  void reply
    .status(200)
    .headers({ 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="${filename}"`, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' })
    .send(body);
}
