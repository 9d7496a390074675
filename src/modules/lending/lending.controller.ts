import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { toCsv } from '../land-trust/reports/land-trust-report';
import { LENDING_CSV_HEADER, cooperativeCsvRows, cooperativeReport, networkCsvRows, networkReport } from './reports/lending-report';
import type { FastifyReply } from 'fastify';
import { CurrentActor, Roles } from '../../http/auth';
import { IdempotencyKeyHeader, Meta, RequestMeta, commandContext } from '../../http/request-meta';
import { UuidParamPipe } from '../../http/validation';
import { WriteResponder } from '../../http/write-responder';
import { ReadModelDatabase } from '../../projections/read-model-database';
import { Clock } from '../../shared/clock';
import { newId } from '../../shared/ids';
import { Actor } from '../../shared/decider';
import { NotFoundError } from '../../shared/domain-error';
import { isIsoDate } from '../../shared/calendar';
import { DomainError } from '../../shared/domain-error';
import {
  AsOfCooperativeQueryDto,
  CancelReservationDto,
  ChangeResourceStatusDto,
  LabourLimitDto,
  ProposeHoursDto,
  DisburseMoneyLoanDto,
  ListResourcesQueryDto,
  ListThingLoansQueryDto,
  LostOrDamagedDto,
  RegisterResourceDto,
  RenewThingDto,
  ReserveThingDto,
  ReturnThingDto,
  WaiveChargeDto,
  ForgiveMoneyLoanDto,
  ListCooperativesQueryDto,
  ListMoneyLoansQueryDto,
  MoneyLoanQueryDto,
  RegisterCooperativeDto,
  RepayMoneyLoanDto,
} from './lending.dto';
import {
  findCooperative,
  labourBalances,
  listLabourExchanges,
  findMoneyLoan,
  findResource,
  findThingLoan,
  listCooperatives,
  listMoneyLoans,
  listResources,
  listThingLoans,
  moneyLoanParties,
  thingLoanParties,
} from './lending.projection';
import { LendingWriter, requireActingFor } from './lending-writer';

const READERS = ['steward', 'auditor', 'cooperative'] as const;

/** Lending between cooperatives: the cooperatives themselves, and money loans between them. */
@ApiTags('lending')
@Controller('v1')
export class LendingController {
  constructor(
    private readonly writer: LendingWriter,
    private readonly responder: WriteResponder,
    private readonly readModels: ReadModelDatabase,
    private readonly clock: Clock,
  ) {}

  @Post('cooperatives')
  @HttpCode(201)
  @Roles('steward')
  @IdempotencyKeyHeader()
  @ApiCreatedResponse({ description: 'The cooperative id; names are unique (COOPERATIVE.NAME_TAKEN).' })
  async registerCooperative(@Body() body: RegisterCooperativeDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.responder.respond(reply, await this.writer.registerCooperative(commandContext(meta, this.clock), body));
  }

  /** A cooperative token sees only its own cooperative. */
  @Get('cooperatives')
  @Roles(...READERS)
  listCooperatives(@Query() query: ListCooperativesQueryDto, @CurrentActor() actor: Actor) {
    const limit = query.limit ?? 50;
    const only = actor.role === 'cooperative' ? (actor.subject ?? '') : undefined;
    const items = listCooperatives(this.readModels.db, { only, after: query.after, limit });
    return { items, ...(items.length === limit ? { next: items[items.length - 1].name } : {}) };
  }

  @Get('cooperatives/:cooperativeId')
  @Roles(...READERS)
  getCooperative(@Param('cooperativeId', UuidParamPipe) cooperativeId: string, @CurrentActor() actor: Actor) {
    requireActingFor(actor, [cooperativeId]);
    const cooperative = findCooperative(this.readModels.db, cooperativeId);
    if (!cooperative) throw new NotFoundError('COOPERATIVE.NOT_FOUND', `No cooperative ${cooperativeId}.`, { cooperativeId });
    return cooperative;
  }

  private asOf(value: string | undefined): string {
    if (value !== undefined && !isIsoDate(value)) throw new DomainError('REQUEST.INVALID_DATE', 'asOf is not a calendar date.', 400, { field: 'asOf' });
    return value ?? this.clock.now().toISOString().slice(0, 10);
  }

  @Post('money-loans')
  @HttpCode(201)
  @Roles('steward', 'cooperative')
  @IdempotencyKeyHeader()
  @ApiCreatedResponse({ description: 'Disburses a zero-interest loan: the lender (a fund, or a cooperative) posts to loan:<id>; a fund never lends more than it has.' })
  async disburse(@Body() body: DisburseMoneyLoanDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.responder.respond(reply, await this.writer.disburseMoneyLoan(commandContext(meta, this.clock), body));
  }

  @Post('money-loans/:loanId/repayments')
  @HttpCode(201)
  @Roles('steward', 'cooperative')
  @IdempotencyKeyHeader()
  @ApiCreatedResponse({ description: 'Posts from the loan back to the lender; more than is owed is refused (LOAN.OVERPAYMENT).' })
  async repay(
    @Param('loanId', UuidParamPipe) loanId: string,
    @Body() body: RepayMoneyLoanDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const context = commandContext(meta, this.clock);
    const command = { type: 'RepayMoneyLoan' as const, repaymentId: newId(), ...body, by: meta.actor.id, now: context.now.toISOString() };
    return this.responder.respond(reply, await this.writer.onMoneyLoan(context, loanId, command));
  }

  @Post('money-loans/:loanId/forgive')
  @HttpCode(201)
  @Roles('steward', 'cooperative')
  @IdempotencyKeyHeader()
  @ApiCreatedResponse({ description: 'Forgives what is outstanding, as an explicit event posting it to expense:loan-forgiveness.' })
  async forgive(
    @Param('loanId', UuidParamPipe) loanId: string,
    @Body() body: ForgiveMoneyLoanDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const context = commandContext(meta, this.clock);
    const command = { type: 'ForgiveMoneyLoan' as const, ...body, by: meta.actor.id, now: context.now.toISOString() };
    return this.responder.respond(reply, await this.writer.onMoneyLoan(context, loanId, command));
  }

  /** Loans with their standing as of a date; a cooperative token sees the loans it lent or borrowed. */
  @Get('money-loans')
  @Roles(...READERS)
  listMoneyLoans(@Query() query: ListMoneyLoansQueryDto, @CurrentActor() actor: Actor) {
    if (actor.role === 'cooperative' && query.cooperativeId !== undefined) requireActingFor(actor, [query.cooperativeId]);
    const cooperativeId = actor.role === 'cooperative' ? (actor.subject ?? '') : query.cooperativeId;
    return { asOf: this.asOf(query.asOf), items: listMoneyLoans(this.readModels.db, { asOf: this.asOf(query.asOf), cooperativeId, status: query.status }) };
  }

  @Get('money-loans/:loanId')
  @Roles(...READERS)
  getMoneyLoan(@Param('loanId', UuidParamPipe) loanId: string, @Query() query: MoneyLoanQueryDto, @CurrentActor() actor: Actor) {
    const parties = moneyLoanParties(this.readModels.db, loanId);
    if (parties && actor.role === 'cooperative') requireActingFor(actor, [parties.lenderId, parties.borrowerId]);
    const loan = parties ? findMoneyLoan(this.readModels.db, loanId, this.asOf(query.asOf)) : undefined;
    if (!loan) throw new NotFoundError('LOAN.NOT_FOUND', `No money loan ${loanId} as of that date.`, { loanId });
    return loan;
  }

  @Post('resources')
  @HttpCode(201)
  @Roles('steward', 'cooperative')
  @IdempotencyKeyHeader()
  @ApiCreatedResponse({ description: 'A resource its owner cooperative lends; a cooperative registers only its own.' })
  async registerResource(@Body() body: RegisterResourceDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.responder.respond(reply, await this.writer.registerResource(commandContext(meta, this.clock), { ...body, status: body.status ?? 'available' }));
  }

  @Post('resources/:resourceId/status')
  @HttpCode(201)
  @Roles('steward', 'cooperative')
  @IdempotencyKeyHeader()
  async changeResourceStatus(
    @Param('resourceId', UuidParamPipe) resourceId: string,
    @Body() body: ChangeResourceStatusDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.responder.respond(reply, await this.writer.changeResourceStatus(commandContext(meta, this.clock), resourceId, body.status, body.reason));
  }

  @Get('resources')
  @Roles(...READERS)
  listResources(@Query() query: ListResourcesQueryDto) {
    return { items: listResources(this.readModels.db, { kind: query.kind, ownerId: query.ownerId, available: query.available === undefined ? undefined : query.available === 'true' }) };
  }

  @Get('resources/:resourceId')
  @Roles(...READERS)
  getResource(@Param('resourceId', UuidParamPipe) resourceId: string) {
    const resource = findResource(this.readModels.db, resourceId);
    if (!resource) throw new NotFoundError('RESOURCE.NOT_FOUND', `No resource ${resourceId}.`, { resourceId });
    return resource;
  }

  @Post('loans')
  @HttpCode(201)
  @Roles('steward', 'cooperative')
  @IdempotencyKeyHeader()
  @ApiCreatedResponse({ description: 'Reserves a resource; overlapping reservations are refused (LOAN.RESERVATION_OVERLAPS).' })
  async reserve(@Body() body: ReserveThingDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.responder.respond(reply, await this.writer.reserveThing(commandContext(meta, this.clock), body));
  }

  @Post('loans/:loanId/checkout')
  @HttpCode(201)
  @Roles('steward', 'cooperative')
  @IdempotencyKeyHeader()
  async checkOut(@Param('loanId', UuidParamPipe) loanId: string, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.responder.respond(reply, await this.writer.onThingLoan(commandContext(meta, this.clock), loanId, { type: 'CheckOutThing' }));
  }

  @Post('loans/:loanId/renew')
  @HttpCode(201)
  @Roles('steward', 'cooperative')
  @IdempotencyKeyHeader()
  @ApiCreatedResponse({ description: 'A renewal is a new loan linked to the one it extends (renewalId); refused when someone else holds a reservation.' })
  async renew(@Param('loanId', UuidParamPipe) loanId: string, @Body() body: RenewThingDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.responder.respond(reply, await this.writer.onThingLoan(commandContext(meta, this.clock), loanId, { type: 'RenewThing', dueOn: body.dueOn }));
  }

  @Post('loans/:loanId/return')
  @HttpCode(201)
  @Roles('steward', 'cooperative')
  @IdempotencyKeyHeader()
  async returnThing(@Param('loanId', UuidParamPipe) loanId: string, @Body() body: ReturnThingDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.responder.respond(reply, await this.writer.onThingLoan(commandContext(meta, this.clock), loanId, { type: 'ReturnThing', condition: body.condition }));
  }

  @Post('loans/:loanId/lost-or-damaged')
  @HttpCode(201)
  @Roles('steward', 'cooperative')
  @IdempotencyKeyHeader()
  async lostOrDamaged(@Param('loanId', UuidParamPipe) loanId: string, @Body() body: LostOrDamagedDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.responder.respond(reply, await this.writer.onThingLoan(commandContext(meta, this.clock), loanId, { type: 'ReportLostOrDamaged', ...body }));
  }

  @Post('loans/:loanId/cancel')
  @HttpCode(201)
  @Roles('steward', 'cooperative')
  @IdempotencyKeyHeader()
  @ApiCreatedResponse({ description: 'The borrower, the owner or a steward cancels a reservation not yet checked out; its days are free again.' })
  async cancelReservation(
    @Param('loanId', UuidParamPipe) loanId: string,
    @Body() body: CancelReservationDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.responder.respond(reply, await this.writer.onThingLoan(commandContext(meta, this.clock), loanId, { type: 'CancelReservation', reason: body.reason }));
  }

  @Post('loans/:loanId/waive')
  @HttpCode(201)
  @Roles('steward', 'cooperative')
  @IdempotencyKeyHeader()
  @ApiCreatedResponse({ description: 'The owner (or a steward) waives the deposit or the fee of a loan that has not ended.' })
  async waive(@Param('loanId', UuidParamPipe) loanId: string, @Body() body: WaiveChargeDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.responder.respond(reply, await this.writer.onThingLoan(commandContext(meta, this.clock), loanId, { type: 'WaiveCharge', ...body }));
  }

  /** Loans of things as of a date; `status=overdue` is derived from the due date. A cooperative sees what it lent or borrowed. */
  @Get('loans')
  @Roles(...READERS)
  listThingLoans(@Query() query: ListThingLoansQueryDto, @CurrentActor() actor: Actor) {
    if (actor.role === 'cooperative' && query.cooperativeId !== undefined) requireActingFor(actor, [query.cooperativeId]);
    const cooperativeId = actor.role === 'cooperative' ? (actor.subject ?? '') : query.cooperativeId;
    const asOf = this.asOf(query.asOf);
    return { asOf, items: listThingLoans(this.readModels.db, { asOf, cooperativeId, resourceId: query.resourceId, status: query.status }) };
  }

  @Get('loans/:loanId')
  @Roles(...READERS)
  getThingLoan(@Param('loanId', UuidParamPipe) loanId: string, @Query() query: MoneyLoanQueryDto, @CurrentActor() actor: Actor) {
    const parties = thingLoanParties(this.readModels.db, loanId);
    if (parties && actor.role === 'cooperative') requireActingFor(actor, [parties.ownerId, parties.borrowerId]);
    const loan = parties ? findThingLoan(this.readModels.db, loanId, this.asOf(query.asOf)) : undefined;
    if (!loan) throw new NotFoundError('LOAN.NOT_FOUND', `No loan ${loanId} as of that date.`, { loanId });
    return loan;
  }

  /** For reads: a cooperative token sees only its own cooperative's figures. */
  private scope(actor: Actor, cooperativeId: string | undefined): string | undefined {
    if (actor.role !== 'cooperative') return cooperativeId;
    if (cooperativeId !== undefined) requireActingFor(actor, [cooperativeId]);
    return actor.subject ?? '';
  }

  @Post('cooperatives/:cooperativeId/labour-limit')
  @HttpCode(201)
  @Roles('steward')
  @IdempotencyKeyHeader()
  @ApiCreatedResponse({ description: 'The labour-hour balance past which the cooperative is flagged (not blocked).' })
  async labourLimit(
    @Param('cooperativeId', UuidParamPipe) cooperativeId: string,
    @Body() body: LabourLimitDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.responder.respond(reply, await this.writer.setLabourLimit(commandContext(meta, this.clock), cooperativeId, body.limitMinutes));
  }

  @Post('labour-exchanges')
  @HttpCode(201)
  @Roles('cooperative')
  @IdempotencyKeyHeader()
  @ApiCreatedResponse({ description: 'One side proposes hours it gave or received; nothing posts until the other side confirms.' })
  async proposeHours(@Body() body: ProposeHoursDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.responder.respond(reply, await this.writer.proposeHours(commandContext(meta, this.clock), body));
  }

  @Post('labour-exchanges/:exchangeId/confirm')
  @HttpCode(201)
  @Roles('cooperative')
  @IdempotencyKeyHeader()
  @ApiCreatedResponse({ description: 'The counterpart confirms; the minutes post as a zero-sum transfer (LABOUR.COUNTERPART_CONFIRMATION_REQUIRED for the proposer).' })
  async confirmHours(@Param('exchangeId', UuidParamPipe) exchangeId: string, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.responder.respond(reply, await this.writer.confirmHours(commandContext(meta, this.clock), exchangeId));
  }

  @Get('labour-exchanges')
  @Roles(...READERS)
  listLabourExchanges(@Query() query: AsOfCooperativeQueryDto, @CurrentActor() actor: Actor) {
    const asOf = this.asOf(query.asOf);
    return { asOf, items: listLabourExchanges(this.readModels.db, { asOf, cooperativeId: this.scope(actor, query.cooperativeId) }) };
  }

  @Get('labour-balances')
  @Roles(...READERS)
  labourBalances(@Query() query: AsOfCooperativeQueryDto, @CurrentActor() actor: Actor) {
    const asOf = this.asOf(query.asOf);
    return { asOf, items: labourBalances(this.readModels.db, { asOf, cooperativeId: this.scope(actor, query.cooperativeId) }) };
  }

  @Get('cooperatives/:cooperativeId/lending-report')
  @Roles(...READERS)
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ description: 'What the cooperative lent and borrowed (money, things, hours), outstanding and overdue, as of a date.' })
  cooperativeReport(
    @Param('cooperativeId', UuidParamPipe) cooperativeId: string,
    @Query() query: MoneyLoanQueryDto,
    @Headers('accept') accept: string | undefined,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    requireActingFor(actor, [cooperativeId]);
    const cooperative = findCooperative(this.readModels.db, cooperativeId);
    if (!cooperative) throw new NotFoundError('COOPERATIVE.NOT_FOUND', `No cooperative ${cooperativeId}.`, { cooperativeId });
    const report = cooperativeReport(this.readModels.db, cooperative, this.asOf(query.asOf));
    if (!/\btext\/csv\b/i.test(accept ?? '')) return report;
    void reply.header('content-type', 'text/csv; charset=utf-8');
    return toCsv(LENDING_CSV_HEADER, cooperativeCsvRows(report));
  }

  @Get('lending/report')
  @Roles('steward', 'auditor')
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ description: 'The solidarity picture: who lent to whom and how much, utilisation of shared resources, overdue and behind; as of a date.' })
  networkReport(@Query() query: MoneyLoanQueryDto, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    const report = networkReport(this.readModels.db, this.asOf(query.asOf));
    if (!/\btext\/csv\b/i.test(accept ?? '')) return report;
    void reply.header('content-type', 'text/csv; charset=utf-8');
    return toCsv(LENDING_CSV_HEADER, networkCsvRows(report));
  }
}
