import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentActor, Roles } from '../../http/auth';
import { ApiCsvOk, ApiProblems } from '../../http/openapi';
import { DEFAULT_PAGE_SIZE } from '../../http/query.dto';
import { IdempotencyKeyHeader, Meta, RequestMeta, commandContext } from '../../http/request-meta';
import { UuidParamPipe } from '../../http/validation';
import { WriteResponder } from '../../http/write-responder';
import { Clock } from '../../shared/clock';
import { toCsv } from '../../shared/csv';
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
  MyDonationsQueryDto,
  MyPledgesQueryDto,
  PausePledgeDto,
  PositionQueryDto,
  RecordDonationDto,
  RefundDonationDto,
  RegisterSustainerDto,
  ResumePledgeDto,
  StatementQueryDto,
} from './sustainers.dto';
import {
  DonationDto,
  DonationListDto,
  DonationRecordedDto,
  DonationRefundedDto,
  FundTotalsDto,
  PledgeChangedDto,
  PledgeDto,
  PledgeListDto,
  PledgeMadeDto,
  StatementDto,
  SustainerDto,
  SustainerErasedDto,
  SustainerListDto,
  SustainerRegisteredDto,
} from './sustainers.responses';
import { SustainersService } from './sustainers.service';

type Statement = ReturnType<SustainersService['statement']>;

const STATEMENT_COLUMNS = [
  'date_received', 'donation_id', 'fund_code', 'amount_minor', 'currency', 'method', 'goods_or_services_provided',
  'goods_services_value_minor', 'refunded_on', 'acknowledgement_required', 'organisation_name',
];

/** One row per gift, through the one CSV writer (RFC 4180, formula characters defused). */
export function statementCsv(statement: Statement): string {
  const rows = statement.gifts.map((g) => [
    g.dateReceived, g.donationId, g.fundCode ?? '', g.amountMinor, g.currency, g.method, g.goodsOrServicesProvided ? 'yes' : 'no',
    g.goodsServicesValueMinor, g.refundedOn ?? '', g.acknowledgement ? 'yes' : 'no', statement.organisationName,
  ]);
  return toCsv(STATEMENT_COLUMNS, rows);
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
const SUSTAINER_ID = { name: 'sustainerId', format: 'uuid' } as const;
const PLEDGE_ID = { name: 'pledgeId', format: 'uuid' } as const;
const DONATION_ID = { name: 'donationId', format: 'uuid' } as const;

/**
 * Sustainers, pledges, donations, statements and fund totals. A sustainer token reads only its
 * own sustainer: any other id answers 404 exactly like an unknown one, so existence does not leak.
 * Every query waits for `minPosition` before reading.
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
  @ApiOperation({ summary: 'Register a sustainer; the personal data is sealed with their own key' })
  @ApiCreatedResponse({ type: SustainerRegisteredDto, description: 'The answer carries no personal data.' })
  @ApiProblems(400, 401, 403, 409, 422)
  async register(@Body() body: RegisterSustainerDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    // The body holds personal data: its fingerprint, kept in the log with the idempotency key, is keyed (see the key store).
    const context = commandContext({ ...meta, fingerprint: this.service.pepperedFingerprint(meta.fingerprint) }, this.clock);
    return this.responder.respond(reply, await this.service.register(context, body));
  }

  @Get('sustainers')
  @Roles(...READERS)
  @ApiOperation({ summary: 'List sustainers by id' })
  @ApiOkResponse({ type: SustainerListDto })
  @ApiProblems(400, 401, 403)
  async list(@Query() query: ListSustainersQueryDto, @CurrentActor() actor: Actor) {
    await this.responder.awaitPosition(query.minPosition);
    return this.service.listSustainers(actor, { after: query.after, limit: query.limit ?? DEFAULT_PAGE_SIZE });
  }

  @Get('sustainers/:sustainerId')
  @Roles('steward', 'auditor', 'sustainer')
  @ApiOperation({ summary: 'One sustainer (a sustainer token: only itself)' })
  @ApiParam(SUSTAINER_ID)
  @ApiOkResponse({ type: SustainerDto })
  @ApiProblems(400, 401, 403, 404)
  async one(@Param('sustainerId', UuidParamPipe) sustainerId: string, @Query() query: PositionQueryDto, @CurrentActor() actor: Actor) {
    await this.responder.awaitPosition(query.minPosition);
    return this.service.sustainer(actor, sustainerId);
  }

  @Post('sustainers/:sustainerId/erase')
  @HttpCode(201)
  @Roles(...STEWARD)
  @IdempotencyKeyHeader()
  @ApiOperation({ summary: 'Erase a sustainer by destroying their key (crypto-shredding); their amounts still count' })
  @ApiParam(SUSTAINER_ID)
  @ApiCreatedResponse({ type: SustainerErasedDto })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  async erase(@Param('sustainerId', UuidParamPipe) sustainerId: string, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.responder.respond(reply, await this.service.erase(commandContext(meta, this.clock), sustainerId));
  }

  @Get('sustainers/:sustainerId/statement')
  @Roles('steward', 'auditor', 'sustainer')
  @ApiOperation({ summary: 'A sustainer\'s statement of the year (JSON or CSV)' })
  @ApiParam(SUSTAINER_ID)
  @ApiCsvOk({ type: StatementDto, description: 'Every gift of the year by day received, totals by fund, goods and services, US acknowledgement fields.' })
  @ApiProblems(400, 401, 403, 404)
  async statement(
    @Param('sustainerId', UuidParamPipe) sustainerId: string,
    @Query() query: StatementQueryDto,
    @CurrentActor() actor: Actor,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    await this.responder.awaitPosition(query.minPosition);
    return renderStatement(this.service.statement(actor, sustainerId, query.year), accept, reply, `statement-${sustainerId}-${query.year}`);
  }

  // ---- pledges ----

  @Post('pledges')
  @HttpCode(201)
  @Roles(...STEWARD)
  @IdempotencyKeyHeader()
  @ApiOperation({ summary: 'Make a pledge to a fund' })
  @ApiCreatedResponse({ type: PledgeMadeDto })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  async makePledge(@Body() body: MakePledgeDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.responder.respond(reply, await this.service.makePledge(commandContext(meta, this.clock), body));
  }

  @Get('pledges')
  @Roles('steward', 'auditor', 'sustainer')
  @ApiOperation({ summary: 'A sustainer\'s pledges with their standing as of a day (a sustainer token: only its own)' })
  @ApiOkResponse({ type: PledgeListDto })
  @ApiProblems(400, 401, 403, 404)
  async pledges(@Query() query: ListPledgesQueryDto, @CurrentActor() actor: Actor) {
    await this.responder.awaitPosition(query.minPosition);
    return this.service.pledgesOf(actor, query.sustainerId, query.asOf ?? this.today(), { after: query.after, limit: query.limit ?? DEFAULT_PAGE_SIZE });
  }

  @Get('pledges/:pledgeId')
  @Roles('steward', 'auditor', 'sustainer')
  @ApiOperation({ summary: 'One pledge: schedule, expected, received, arrears, next due and status as of a day' })
  @ApiParam(PLEDGE_ID)
  @ApiOkResponse({ type: PledgeDto })
  @ApiProblems(400, 401, 403, 404)
  async pledge(@Param('pledgeId', UuidParamPipe) pledgeId: string, @Query() query: AsOfQueryDto, @CurrentActor() actor: Actor) {
    await this.responder.awaitPosition(query.minPosition);
    return this.service.pledge(actor, pledgeId, query.asOf ?? this.today());
  }

  @Post('pledges/:pledgeId/amend')
  @HttpCode(201)
  @Roles(...STEWARD)
  @IdempotencyKeyHeader()
  @ApiOperation({ summary: 'Amend a pledge\'s amount or interval from a day' })
  @ApiParam(PLEDGE_ID)
  @ApiCreatedResponse({ type: PledgeChangedDto })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  async amend(@Param('pledgeId', UuidParamPipe) pledgeId: string, @Body() body: AmendPledgeDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.responder.respond(reply, await this.service.changePledge(commandContext(meta, this.clock), pledgeId, 'amend', body));
  }

  @Post('pledges/:pledgeId/pause')
  @HttpCode(201)
  @Roles(...STEWARD)
  @IdempotencyKeyHeader()
  @ApiOperation({ summary: 'Pause a pledge from a day' })
  @ApiParam(PLEDGE_ID)
  @ApiCreatedResponse({ type: PledgeChangedDto })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  async pause(@Param('pledgeId', UuidParamPipe) pledgeId: string, @Body() body: PausePledgeDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.responder.respond(reply, await this.service.changePledge(commandContext(meta, this.clock), pledgeId, 'pause', body));
  }

  @Post('pledges/:pledgeId/resume')
  @HttpCode(201)
  @Roles(...STEWARD)
  @IdempotencyKeyHeader()
  @ApiOperation({ summary: 'Resume a paused pledge from a day' })
  @ApiParam(PLEDGE_ID)
  @ApiCreatedResponse({ type: PledgeChangedDto })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  async resume(@Param('pledgeId', UuidParamPipe) pledgeId: string, @Body() body: ResumePledgeDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.responder.respond(reply, await this.service.changePledge(commandContext(meta, this.clock), pledgeId, 'resume', body));
  }

  @Post('pledges/:pledgeId/cancel')
  @HttpCode(201)
  @Roles(...STEWARD)
  @IdempotencyKeyHeader()
  @ApiOperation({ summary: 'Cancel a pledge from a day, with a reason' })
  @ApiParam(PLEDGE_ID)
  @ApiCreatedResponse({ type: PledgeChangedDto })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  async cancel(@Param('pledgeId', UuidParamPipe) pledgeId: string, @Body() body: EndPledgeDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.responder.respond(reply, await this.service.changePledge(commandContext(meta, this.clock), pledgeId, 'cancel', body));
  }

  @Post('pledges/:pledgeId/write-off')
  @HttpCode(201)
  @Roles(...STEWARD)
  @IdempotencyKeyHeader()
  @ApiOperation({ summary: 'Write off what a pledge still owes, from a day, with a reason' })
  @ApiParam(PLEDGE_ID)
  @ApiCreatedResponse({ type: PledgeChangedDto })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  async writeOff(@Param('pledgeId', UuidParamPipe) pledgeId: string, @Body() body: EndPledgeDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.responder.respond(reply, await this.service.changePledge(commandContext(meta, this.clock), pledgeId, 'write-off', body));
  }

  // ---- donations ----

  @Post('donations')
  @HttpCode(201)
  @Roles(...STEWARD)
  @IdempotencyKeyHeader()
  @ApiOperation({ summary: 'Record a gift: a movement `sustainer:<id>` → `fund:<code>`, posted at once' })
  @ApiCreatedResponse({ type: DonationRecordedDto })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  async donate(@Body() body: RecordDonationDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    const outcome = await this.service.recordDonation(commandContext(meta, this.clock), body);
    const answer = await this.responder.respond(reply, outcome);
    return { donationId: answer.movementId, ...answer };
  }

  @Post('donations/:donationId/refund')
  @HttpCode(201)
  @Roles(...STEWARD)
  @IdempotencyKeyHeader()
  @ApiOperation({ summary: 'Refund a gift: the reversal of its movement, dated in an open period' })
  @ApiParam(DONATION_ID)
  @ApiCreatedResponse({ type: DonationRefundedDto })
  @ApiProblems(400, 401, 403, 404, 409, 422)
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
  @ApiOperation({ summary: 'Gifts by day received, optionally of one sustainer, fund or year' })
  @ApiOkResponse({ type: DonationListDto })
  @ApiProblems(400, 401, 403, 404)
  async donations(@Query() query: ListDonationsQueryDto, @CurrentActor() actor: Actor) {
    await this.responder.awaitPosition(query.minPosition);
    const { minPosition: _wait, ...filter } = query;
    return this.service.donations(actor, { ...filter, limit: query.limit ?? DEFAULT_PAGE_SIZE });
  }

  @Get('donations/:donationId')
  @Roles(...READERS)
  @ApiOperation({ summary: 'One gift' })
  @ApiParam(DONATION_ID)
  @ApiOkResponse({ type: DonationDto })
  @ApiProblems(400, 401, 403, 404)
  async donation(@Param('donationId', UuidParamPipe) donationId: string, @Query() query: PositionQueryDto, @CurrentActor() actor: Actor) {
    await this.responder.awaitPosition(query.minPosition);
    return this.service.donation(actor, donationId);
  }

  @Get('fund-totals')
  @Roles(...READERS)
  @ApiOperation({ summary: 'Raised per fund and month, quarter or year, with what pledges promised apart' })
  @ApiOkResponse({ type: FundTotalsDto })
  @ApiProblems(400, 401, 403)
  async fundTotals(@Query() query: FundTotalsQueryDto) {
    await this.responder.awaitPosition(query.minPosition);
    return this.service.fundTotals(query.year, query.by ?? 'month');
  }

  // ---- the sustainer's own view ----

  private me(actor: Actor): string {
    if (!actor.subject) throw new NotFoundError('SUSTAINER.NOT_FOUND', 'This token is not bound to a sustainer.');
    return actor.subject;
  }

  @Get('me')
  @Roles('sustainer')
  @ApiOperation({ summary: 'The token\'s own sustainer' })
  @ApiOkResponse({ type: SustainerDto })
  @ApiProblems(400, 401, 403, 404)
  async whoAmI(@Query() query: PositionQueryDto, @CurrentActor() actor: Actor) {
    await this.responder.awaitPosition(query.minPosition);
    return this.service.sustainer(actor, this.me(actor));
  }

  @Get('me/pledges')
  @Roles('sustainer')
  @ApiOperation({ summary: 'The token\'s own pledges as of a day' })
  @ApiOkResponse({ type: PledgeListDto })
  @ApiProblems(400, 401, 403, 404)
  async myPledges(@Query() query: MyPledgesQueryDto, @CurrentActor() actor: Actor) {
    await this.responder.awaitPosition(query.minPosition);
    return this.service.pledgesOf(actor, this.me(actor), query.asOf ?? this.today(), { after: query.after, limit: query.limit ?? DEFAULT_PAGE_SIZE });
  }

  @Get('me/pledges/:pledgeId')
  @Roles('sustainer')
  @ApiOperation({ summary: 'One of the token\'s own pledges as of a day' })
  @ApiParam(PLEDGE_ID)
  @ApiOkResponse({ type: PledgeDto })
  @ApiProblems(400, 401, 403, 404)
  async myPledge(@Param('pledgeId', UuidParamPipe) pledgeId: string, @Query() query: AsOfQueryDto, @CurrentActor() actor: Actor) {
    await this.responder.awaitPosition(query.minPosition);
    return this.service.pledge(actor, pledgeId, query.asOf ?? this.today());
  }

  @Get('me/donations')
  @Roles('sustainer')
  @ApiOperation({ summary: 'The token\'s own gifts by day received' })
  @ApiOkResponse({ type: DonationListDto })
  @ApiProblems(400, 401, 403, 404)
  async myDonations(@Query() query: MyDonationsQueryDto, @CurrentActor() actor: Actor) {
    await this.responder.awaitPosition(query.minPosition);
    return this.service.donations(actor, { sustainerId: this.me(actor), year: query.year, after: query.after, limit: query.limit ?? DEFAULT_PAGE_SIZE });
  }

  @Get('me/statement')
  @Roles('sustainer')
  @ApiOperation({ summary: 'The token\'s own statement of the year (JSON or CSV)' })
  @ApiCsvOk({ type: StatementDto, description: 'As `GET /v1/sustainers/{sustainerId}/statement`.' })
  @ApiProblems(400, 401, 403, 404)
  async myStatement(@Query() query: StatementQueryDto, @CurrentActor() actor: Actor, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    await this.responder.awaitPosition(query.minPosition);
    return renderStatement(this.service.statement(actor, this.me(actor), query.year), accept, reply, `statement-${query.year}`);
  }
}
