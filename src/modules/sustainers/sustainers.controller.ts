import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentActor, Roles } from '../../http/auth';
import { IdempotencyKeyHeader, Meta, RequestMeta, commandContext } from '../../http/request-meta';
import { UuidParamPipe } from '../../http/validation';
import { WriteResponder } from '../../http/write-responder';
import { Clock } from '../../shared/clock';
import type { Actor } from '../../shared/decider';
import { NotFoundError } from '../../shared/domain-error';
import {
  AmendPledgeDto,
  AsOfQueryDto,
  EndPledgeDto,
  FundTotalsQueryDto,
  ListDonationsQueryDto,
  ListPledgesQueryDto,
  ListSustainersQueryDto,
  MakePledgeDto,
  PledgeChangeDto,
  RecordDonationDto,
  RefundDonationDto,
  RegisterSustainerDto,
  YearQueryDto,
} from './sustainers.dto';
import { SustainersService } from './sustainers.service';

type Statement = ReturnType<SustainersService['statement']>;

/** One CSV field: quoted when needed, and a leading formula character defused for spreadsheets. */
function csvField(value: unknown): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text) && !/^-?\d+$/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function statementCsv(statement: Statement): string {
  const header = [
    'date_received', 'donation_id', 'fund_code', 'amount_minor', 'currency', 'method', 'goods_or_services_provided',
    'goods_services_value_minor', 'refunded_on', 'acknowledgement_required', 'organisation_name',
  ];
  const rows = statement.gifts.map((g) => [
    g.dateReceived, g.donationId, g.fundCode, g.amountMinor, g.currency, g.method, g.goodsOrServicesProvided ? 'yes' : 'no',
    g.goodsServicesValueMinor, g.refundedOn ?? '', g.acknowledgement ? 'yes' : 'no', statement.organisationName,
  ]);
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** JSON by default; CSV when the client asks for text/csv. */
function renderStatement(statement: Statement, accept: string | undefined, reply: FastifyReply, name: string): Statement | string {
  if (!accept || !/\btext\/csv\b/i.test(accept)) return statement;
  void reply.header('content-type', 'text/csv; charset=utf-8');
  void reply.header('content-disposition', `attachment; filename="${name}.csv"`);
  return statementCsv(statement);
}

const STEWARD = ['steward'] as const;
const READERS = ['steward', 'auditor'] as const;

/**
 * Sustainers, pledges, donations, statements and fund totals. A sustainer token reads only its
 * own sustainer: any other id answers 404 exactly like an unknown one, so existence does not leak.
 */
@ApiTags('sustainers')
@Controller('v1')
export class SustainersController {
  constructor(
    private readonly service: SustainersService,
    private readonly responder: WriteResponder,
    private readonly clock: Clock,
  ) {}

  private today(): string {
    return this.clock.now().toISOString().slice(0, 10);
  }

  @Post('sustainers')
  @HttpCode(201)
  @Roles(...STEWARD)
  @IdempotencyKeyHeader()
  @ApiCreatedResponse({ description: '{sustainerId, position}; the answer carries no personal data.' })
  async register(@Body() body: RegisterSustainerDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    // The body holds personal data: its fingerprint, kept in the log with the idempotency key, is keyed (see the key store).
    const context = commandContext({ ...meta, fingerprint: this.service.pepperedFingerprint(meta.fingerprint) }, this.clock);
    return this.responder.respond(reply, await this.service.register(context, body));
  }

  @Get('sustainers')
  @Roles(...READERS)
  list(@Query() query: ListSustainersQueryDto, @CurrentActor() actor: Actor) {
    return this.service.listSustainers(actor, { after: query.after, limit: query.limit ?? 50 });
  }

  @Get('sustainers/:sustainerId')
  @Roles('steward', 'auditor', 'sustainer')
  one(@Param('sustainerId', UuidParamPipe) sustainerId: string, @CurrentActor() actor: Actor) {
    return this.service.sustainer(actor, sustainerId);
  }

  @Post('sustainers/:sustainerId/erase')
  @HttpCode(201)
  @Roles(...STEWARD)
  @IdempotencyKeyHeader()
  @ApiCreatedResponse({ description: 'Destroys the sustainer\'s key: their personal data can never be read again; their amounts still count.' })
  async erase(@Param('sustainerId', UuidParamPipe) sustainerId: string, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.responder.respond(reply, await this.service.erase(commandContext(meta, this.clock), sustainerId));
  }

  @Get('sustainers/:sustainerId/statement')
  @Roles('steward', 'auditor', 'sustainer')
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ description: 'Every gift of the year by day received, totals by fund, goods and services, US acknowledgement fields.' })
  statement(
    @Param('sustainerId', UuidParamPipe) sustainerId: string,
    @Query() query: YearQueryDto,
    @CurrentActor() actor: Actor,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return renderStatement(this.service.statement(actor, sustainerId, query.year), accept, reply, `statement-${sustainerId}-${query.year}`);
  }

  // ---- pledges ----

  @Post('pledges')
  @HttpCode(201)
  @Roles(...STEWARD)
  @IdempotencyKeyHeader()
  async makePledge(@Body() body: MakePledgeDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.responder.respond(reply, await this.service.makePledge(commandContext(meta, this.clock), body));
  }

  @Get('pledges')
  @Roles(...READERS)
  pledges(@Query() query: ListPledgesQueryDto, @CurrentActor() actor: Actor) {
    return this.service.pledgesOf(actor, query.sustainerId, query.asOf ?? this.today());
  }

  @Get('pledges/:pledgeId')
  @Roles('steward', 'auditor', 'sustainer')
  @ApiOkResponse({ description: 'Schedule, expected, received, arrears, next due and status, as of a day (default today).' })
  pledge(@Param('pledgeId', UuidParamPipe) pledgeId: string, @Query() query: AsOfQueryDto, @CurrentActor() actor: Actor) {
    return this.service.pledge(actor, pledgeId, query.asOf ?? this.today());
  }

  @Post('pledges/:pledgeId/amend')
  @HttpCode(201)
  @Roles(...STEWARD)
  @IdempotencyKeyHeader()
  async amend(@Param('pledgeId', UuidParamPipe) pledgeId: string, @Body() body: AmendPledgeDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.responder.respond(reply, await this.service.changePledge(commandContext(meta, this.clock), pledgeId, 'amend', body));
  }

  @Post('pledges/:pledgeId/pause')
  @HttpCode(201)
  @Roles(...STEWARD)
  @IdempotencyKeyHeader()
  async pause(@Param('pledgeId', UuidParamPipe) pledgeId: string, @Body() body: PledgeChangeDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.responder.respond(reply, await this.service.changePledge(commandContext(meta, this.clock), pledgeId, 'pause', body));
  }

  @Post('pledges/:pledgeId/resume')
  @HttpCode(201)
  @Roles(...STEWARD)
  @IdempotencyKeyHeader()
  async resume(@Param('pledgeId', UuidParamPipe) pledgeId: string, @Body() body: PledgeChangeDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.responder.respond(reply, await this.service.changePledge(commandContext(meta, this.clock), pledgeId, 'resume', body));
  }

  @Post('pledges/:pledgeId/cancel')
  @HttpCode(201)
  @Roles(...STEWARD)
  @IdempotencyKeyHeader()
  async cancel(@Param('pledgeId', UuidParamPipe) pledgeId: string, @Body() body: EndPledgeDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.responder.respond(reply, await this.service.changePledge(commandContext(meta, this.clock), pledgeId, 'cancel', body));
  }

  @Post('pledges/:pledgeId/write-off')
  @HttpCode(201)
  @Roles(...STEWARD)
  @IdempotencyKeyHeader()
  async writeOff(@Param('pledgeId', UuidParamPipe) pledgeId: string, @Body() body: EndPledgeDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.responder.respond(reply, await this.service.changePledge(commandContext(meta, this.clock), pledgeId, 'write-off', body));
  }

  // ---- donations ----

  @Post('donations')
  @HttpCode(201)
  @Roles(...STEWARD)
  @IdempotencyKeyHeader()
  @ApiCreatedResponse({ description: '{movementId, status: posted, position}: the donation is a movement `sustainer:<id>` → `fund:<code>`.' })
  async donate(@Body() body: RecordDonationDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    const outcome = await this.service.recordDonation(commandContext(meta, this.clock), body);
    const answer = await this.responder.respond(reply, outcome);
    return { donationId: answer.movementId, ...answer };
  }

  @Post('donations/:donationId/refund')
  @HttpCode(201)
  @Roles(...STEWARD)
  @IdempotencyKeyHeader()
  @ApiCreatedResponse({ description: 'The reversal of the donation\'s movement, as POST /v1/movements/{id}/reverse.' })
  async refund(
    @Param('donationId', UuidParamPipe) donationId: string,
    @Body() body: RefundDonationDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.responder.respond(reply, await this.service.refund(commandContext(meta, this.clock), donationId, body.reason, body.effectiveAt));
  }

  @Get('donations')
  @Roles(...READERS)
  donations(@Query() query: ListDonationsQueryDto, @CurrentActor() actor: Actor) {
    return this.service.donations(actor, query);
  }

  @Get('donations/:donationId')
  @Roles(...READERS)
  donation(@Param('donationId', UuidParamPipe) donationId: string, @CurrentActor() actor: Actor) {
    return this.service.donation(actor, donationId);
  }

  @Get('fund-totals')
  @Roles(...READERS)
  @ApiOkResponse({ description: 'Per fund and period: received, refunded, net, and (apart) promised by pledges.' })
  fundTotals(@Query() query: FundTotalsQueryDto) {
    return this.service.fundTotals(query.year, query.by ?? 'month');
  }

  // ---- the sustainer's own view ----

  private me(actor: Actor): string {
    if (!actor.subject) throw new NotFoundError('SUSTAINER.NOT_FOUND', 'This token is not bound to a sustainer.');
    return actor.subject;
  }

  @Get('me')
  @Roles('sustainer')
  whoAmI(@CurrentActor() actor: Actor) {
    return this.service.sustainer(actor, this.me(actor));
  }

  @Get('me/pledges')
  @Roles('sustainer')
  myPledges(@Query() query: AsOfQueryDto, @CurrentActor() actor: Actor) {
    return this.service.pledgesOf(actor, this.me(actor), query.asOf ?? this.today());
  }

  @Get('me/pledges/:pledgeId')
  @Roles('sustainer')
  myPledge(@Param('pledgeId', UuidParamPipe) pledgeId: string, @Query() query: AsOfQueryDto, @CurrentActor() actor: Actor) {
    return this.service.pledge(actor, pledgeId, query.asOf ?? this.today());
  }

  @Get('me/donations')
  @Roles('sustainer')
  myDonations(@Query() query: YearQueryDto, @CurrentActor() actor: Actor) {
    return this.service.donations(actor, { sustainerId: this.me(actor), year: query.year });
  }

  @Get('me/statement')
  @Roles('sustainer')
  @ApiProduces('application/json', 'text/csv')
  myStatement(@Query() query: YearQueryDto, @CurrentActor() actor: Actor, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    return renderStatement(this.service.statement(actor, this.me(actor), query.year), accept, reply, `statement-${query.year}`);
  }
}
