import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentActor, Roles } from '../../http/auth';
import { ApiCsvOk, ApiProblems } from '../../http/openapi';
import { AsOfQueryDto, DEFAULT_PAGE_SIZE, PositionQueryDto } from '../../http/query.dto';
import { IdempotencyKeyHeader, Meta, RequestMeta, commandContext } from '../../http/request-meta';
import { UuidParamPipe } from '../../http/validation';
import { WriteResponder } from '../../http/write-responder';
import { ReadModelDatabase } from '../../projections/read-model-database';
import { Clock } from '../../shared/clock';
import { Actor } from '../../shared/decider';
import { newId } from '../../shared/ids';
import { NotFoundError } from '../../shared/domain-error';
import { cooperativeCsvRows, cooperativeReport, lendingCsv, networkCsvRows, networkReport } from './reports/lending-report';
import {
  ApproveMoneyLoanDto,
  AsOfCooperativeQueryDto,
  CancelReservationDto,
  ChangeResourceStatusDto,
  CheckOutThingDto,
  DisburseMoneyLoanDto,
  ForgiveMoneyLoanDto,
  LabourLimitDto,
  ListCooperativesQueryDto,
  ListMoneyLoansQueryDto,
  ListResourcesQueryDto,
  ListThingLoansQueryDto,
  LostOrDamagedDto,
  ProposeHoursDto,
  LendingReasonDto,
  RegisterCooperativeDto,
  RegisterResourceDto,
  RenewThingDto,
  RepayMoneyLoanDto,
  ReserveThingDto,
  ReturnThingDto,
  WaiveChargeDto,
} from './lending.dto';
import { findCooperative, listCooperatives } from './cooperatives/cooperatives.queries';
import { labourBalances, listLabourExchanges } from './labour-exchanges/labour-exchanges.queries';
import { findResource, findThingLoan, listResources, listThingLoans, thingLoanParties } from './loans-of-things/loans-of-things.queries';
import { findMoneyLoan, findMoneyLoanRequest, listMoneyLoanRequests, listMoneyLoans, moneyLoanParties } from './money-loans/money-loans.queries';
import { pageOf } from './shared/page-of';
import {
  CooperativeCreatedDto,
  CooperativeDto,
  CooperativeLendingReportDto,
  CooperativeListDto,
  LabourBalanceListDto,
  LabourExchangeCreatedDto,
  LabourExchangeListDto,
  LabourLimitSetDto,
  MoneyLoanCreatedDto,
  MoneyLoanDecidedDto,
  MoneyLoanDto,
  MoneyLoanEntryDto,
  MoneyLoanListDto,
  NetworkLendingReportDto,
  ResourceCreatedDto,
  ResourceDto,
  ResourceListDto,
  ResourceStatusChangedDto,
  ThingLoanCreatedDto,
  ThingLoanDecisionDto,
  ThingLoanDto,
  ThingLoanListDto,
} from './lending.responses';
import { LendingWriter } from './lending-writer';

const READERS = ['steward', 'auditor', 'cooperative'] as const;
/** What a write can answer besides its 201: bad input, no token, a role or party that may not, unknown ids, conflicts, rules. */
const WRITE_PROBLEMS = [400, 401, 403, 404, 409, 415, 422];
const READ_PROBLEMS = [400, 401, 403];

/**
 * Lending between cooperatives: cooperatives, money loans, resources and loans of things, labour
 * exchanges and the lending reports.
 *
 * Scoping: a cooperative token sees only what its own cooperative is a party to. Any other id
 * (another cooperative, its report, a loan or exchange between two others) is answered 404 with
 * the same code and body as an id that does not exist, never 403; and a listing filtered by a
 * cooperative the token may not see is empty, exactly as for a cooperative that does not exist.
 */
@ApiTags('lending')
@Controller('v1')
export class LendingController {
  constructor(
    private readonly writer: LendingWriter,
    private readonly responder: WriteResponder,
    private readonly readModels: ReadModelDatabase,
    private readonly clock: Clock,
  ) {}

  private today(): string {
    return this.clock.now().toISOString().slice(0, 10);
  }

  /** A cooperative token reading ids of which its cooperative is not a party: answered as unknown. */
  private hidden(actor: Actor, partyIds: readonly string[]): boolean {
    return actor.role === 'cooperative' && !partyIds.includes(actor.subject ?? '');
  }

  /**
   * The cooperative a listing is filtered by. A cooperative token's listings are always its own;
   * naming another cooperative gives an empty listing (`none`), as a cooperative that does not exist would.
   */
  private listScope(actor: Actor, cooperativeId: string | undefined): { cooperativeId?: string; none: boolean } {
    if (actor.role !== 'cooperative') return { cooperativeId, none: false };
    const own = actor.subject ?? '';
    return { cooperativeId: own, none: cooperativeId !== undefined && cooperativeId !== own };
  }

  private cooperativeNotFound(cooperativeId: string): NotFoundError {
    return new NotFoundError('COOPERATIVE.NOT_FOUND', `No cooperative ${cooperativeId}.`, { cooperativeId });
  }

  @Post('cooperatives')
  @HttpCode(201)
  @Roles('steward')
  @IdempotencyKeyHeader()
  @ApiOperation({ summary: 'Register a member cooperative' })
  @ApiCreatedResponse({ type: CooperativeCreatedDto, description: 'The cooperative id; names are unique (COOPERATIVE.NAME_TAKEN).' })
  @ApiProblems(...WRITE_PROBLEMS)
  async registerCooperative(@Body() body: RegisterCooperativeDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.responder.respond(reply, await this.writer.registerCooperative(commandContext(meta, this.clock), body));
  }

  @Get('cooperatives')
  @Roles(...READERS)
  @ApiOperation({ summary: 'List cooperatives by name (a cooperative token: its own only)' })
  @ApiOkResponse({ type: CooperativeListDto })
  @ApiProblems(...READ_PROBLEMS)
  async listCooperatives(@Query() query: ListCooperativesQueryDto, @CurrentActor() actor: Actor) {
    await this.responder.awaitPosition(query.minPosition);
    const only = actor.role === 'cooperative' ? (actor.subject ?? '') : undefined;
    return listCooperatives(this.readModels.db, { only, after: query.after, limit: query.limit ?? DEFAULT_PAGE_SIZE });
  }

  @Get('cooperatives/:cooperativeId')
  @Roles(...READERS)
  @ApiOperation({ summary: 'One cooperative' })
  @ApiOkResponse({ type: CooperativeDto })
  @ApiProblems(...READ_PROBLEMS, 404)
  async getCooperative(@Param('cooperativeId', UuidParamPipe) cooperativeId: string, @Query() query: PositionQueryDto, @CurrentActor() actor: Actor) {
    await this.responder.awaitPosition(query.minPosition);
    const cooperative = this.hidden(actor, [cooperativeId]) ? undefined : findCooperative(this.readModels.db, cooperativeId);
    if (!cooperative) throw this.cooperativeNotFound(cooperativeId);
    return cooperative;
  }

  @Post('money-loans')
  @HttpCode(201)
  @Roles('steward', 'cooperative')
  @IdempotencyKeyHeader()
  @ApiOperation({ summary: 'Lend money: from a fund (requested, held, approved by another steward) or between cooperatives (disbursed at once)' })
  @ApiCreatedResponse({
    type: MoneyLoanCreatedDto,
    description: 'From a fund: `pending`, the amount held on the fund until another steward approves. From a cooperative: `active`, posted lender → loan:<id>.',
  })
  @ApiProblems(...WRITE_PROBLEMS)
  async disburse(@Body() body: DisburseMoneyLoanDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.responder.respond(reply, await this.writer.disburseMoneyLoan(commandContext(meta, this.clock), body));
  }

  @Post('money-loans/:loanId/approve')
  @HttpCode(201)
  @Roles('steward')
  @IdempotencyKeyHeader()
  @ApiOperation({ summary: 'Approve a loan from a fund: a steward other than the requester disburses it' })
  @ApiCreatedResponse({ type: MoneyLoanDecidedDto, description: 'Posts fund → loan:<id> and releases the hold; self-approval is 403 LOAN.SELF_APPROVAL.' })
  @ApiProblems(...WRITE_PROBLEMS)
  async approveMoneyLoan(
    @Param('loanId', UuidParamPipe) loanId: string,
    @Body() body: ApproveMoneyLoanDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.responder.respond(reply, await this.writer.approveMoneyLoan(commandContext(meta, this.clock), loanId, body.disbursedOn));
  }

  @Post('money-loans/:loanId/reject')
  @HttpCode(201)
  @Roles('steward')
  @IdempotencyKeyHeader()
  @ApiOperation({ summary: 'Reject a loan from a fund awaiting approval; its hold is released' })
  @ApiCreatedResponse({ type: MoneyLoanDecidedDto })
  @ApiProblems(...WRITE_PROBLEMS)
  async rejectMoneyLoan(
    @Param('loanId', UuidParamPipe) loanId: string,
    @Body() body: LendingReasonDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.responder.respond(reply, await this.writer.rejectMoneyLoan(commandContext(meta, this.clock), loanId, body.reason));
  }

  @Post('money-loans/:loanId/repayments')
  @HttpCode(201)
  @Roles('steward', 'cooperative')
  @IdempotencyKeyHeader()
  @ApiOperation({ summary: 'Record a repayment (the borrower or a steward)' })
  @ApiCreatedResponse({ type: MoneyLoanEntryDto, description: 'Posts from the loan back to the lender; more than is owed is refused (LOAN.OVERPAYMENT).' })
  @ApiProblems(...WRITE_PROBLEMS)
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
  @ApiOperation({ summary: 'Forgive what is outstanding, with a reason (the lender; a steward for a fund)' })
  @ApiCreatedResponse({ type: MoneyLoanEntryDto, description: 'An explicit event posting what is left to expense:loan-forgiveness.' })
  @ApiProblems(...WRITE_PROBLEMS)
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

  @Get('money-loans')
  @Roles(...READERS)
  @ApiOperation({ summary: 'Money loans with their standing as of a day (a cooperative token: those it lent or borrowed)' })
  @ApiOkResponse({ type: MoneyLoanListDto })
  @ApiProblems(...READ_PROBLEMS)
  async listMoneyLoans(@Query() query: ListMoneyLoansQueryDto, @CurrentActor() actor: Actor) {
    await this.responder.awaitPosition(query.minPosition);
    const asOf = query.asOf ?? this.today();
    const scope = this.listScope(actor, query.cooperativeId);
    if (scope.none) return { asOf, items: [] };
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    if (query.status === 'pending' || query.status === 'rejected') {
      const requests = listMoneyLoanRequests(this.readModels.db, { status: query.status, cooperativeId: scope.cooperativeId });
      return { asOf, ...pageOf(requests, (l) => l.loanId, query.after, limit) };
    }
    const loans = listMoneyLoans(this.readModels.db, { asOf, cooperativeId: scope.cooperativeId, status: query.status });
    return { asOf, ...pageOf(loans, (l) => l.loanId, query.after, limit) };
  }

  @Get('money-loans/:loanId')
  @Roles(...READERS)
  @ApiOperation({ summary: 'One money loan: schedule and standing as of a day, or a loan from a fund awaiting approval' })
  @ApiOkResponse({ type: MoneyLoanDto })
  @ApiProblems(...READ_PROBLEMS, 404)
  async getMoneyLoan(@Param('loanId', UuidParamPipe) loanId: string, @Query() query: AsOfQueryDto, @CurrentActor() actor: Actor) {
    await this.responder.awaitPosition(query.minPosition);
    const parties = moneyLoanParties(this.readModels.db, loanId);
    const visible = parties !== undefined && !this.hidden(actor, [parties.lenderId, parties.borrowerId]);
    const loan = visible ? (findMoneyLoan(this.readModels.db, loanId, query.asOf ?? this.today()) ?? findMoneyLoanRequest(this.readModels.db, loanId)) : undefined;
    if (!loan) throw new NotFoundError('LOAN.NOT_FOUND', `No money loan ${loanId} as of that date.`, { loanId });
    return loan;
  }

  @Post('resources')
  @HttpCode(201)
  @Roles('steward', 'cooperative')
  @IdempotencyKeyHeader()
  @ApiOperation({ summary: 'Register a resource its owner cooperative lends' })
  @ApiCreatedResponse({ type: ResourceCreatedDto, description: 'A cooperative registers only its own.' })
  @ApiProblems(...WRITE_PROBLEMS)
  async registerResource(@Body() body: RegisterResourceDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.responder.respond(reply, await this.writer.registerResource(commandContext(meta, this.clock), { ...body, status: body.status ?? 'available' }));
  }

  @Post('resources/:resourceId/status')
  @HttpCode(201)
  @Roles('steward', 'cooperative')
  @IdempotencyKeyHeader()
  @ApiOperation({ summary: 'Change a resource\'s status (available, in-repair, retired with a reason)' })
  @ApiCreatedResponse({ type: ResourceStatusChangedDto })
  @ApiProblems(...WRITE_PROBLEMS)
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
  @ApiOperation({ summary: 'Shared resources, in registration order' })
  @ApiOkResponse({ type: ResourceListDto })
  @ApiProblems(...READ_PROBLEMS)
  async listResources(@Query() query: ListResourcesQueryDto, @CurrentActor() actor: Actor) {
    await this.responder.awaitPosition(query.minPosition);
    // Filtering by an owner other than itself is, for a cooperative token, filtering by an id it may not see: empty.
    if (actor.role === 'cooperative' && query.ownerId !== undefined && query.ownerId !== actor.subject) return { items: [] };
    const items = listResources(this.readModels.db, { kind: query.kind, ownerId: query.ownerId, available: query.available, viewer: this.viewer(actor) });
    return pageOf(items, (r) => r.resourceId, query.after, query.limit ?? DEFAULT_PAGE_SIZE);
  }

  /** Resources are shared with the whole network; who owns one, and the loan it is out on, are the parties'. */
  private viewer(actor: Actor): string | undefined {
    return actor.role === 'cooperative' ? (actor.subject ?? '') : undefined;
  }

  @Get('resources/:resourceId')
  @Roles(...READERS)
  @ApiOperation({ summary: 'One resource' })
  @ApiOkResponse({ type: ResourceDto })
  @ApiProblems(...READ_PROBLEMS, 404)
  async getResource(@Param('resourceId', UuidParamPipe) resourceId: string, @Query() query: PositionQueryDto, @CurrentActor() actor: Actor) {
    await this.responder.awaitPosition(query.minPosition);
    const resource = findResource(this.readModels.db, resourceId, this.viewer(actor));
    if (!resource) throw new NotFoundError('RESOURCE.NOT_FOUND', `No resource ${resourceId}.`, { resourceId });
    return resource;
  }

  @Post('loans')
  @HttpCode(201)
  @Roles('steward', 'cooperative')
  @IdempotencyKeyHeader()
  @ApiOperation({ summary: 'Reserve a resource for a borrower (the borrower or a steward)' })
  @ApiCreatedResponse({ type: ThingLoanCreatedDto, description: 'Overlapping reservations are refused (LOAN.RESERVATION_OVERLAPS).' })
  @ApiProblems(...WRITE_PROBLEMS)
  async reserve(@Body() body: ReserveThingDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.responder.respond(reply, await this.writer.reserveThing(commandContext(meta, this.clock), body));
  }

  @Post('loans/:loanId/checkout')
  @HttpCode(201)
  @Roles('steward', 'cooperative')
  @IdempotencyKeyHeader()
  @ApiOperation({ summary: 'Check a reserved thing out (the owner or a steward), today or on an earlier `checkedOutOn`' })
  @ApiCreatedResponse({ type: ThingLoanDecisionDto, description: 'Takes the deposit, if any, on that day.' })
  @ApiProblems(...WRITE_PROBLEMS)
  async checkOut(
    @Param('loanId', UuidParamPipe) loanId: string,
    @Body() body: CheckOutThingDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.responder.respond(reply, await this.writer.onThingLoan(commandContext(meta, this.clock), loanId, { type: 'CheckOutThing', on: body.checkedOutOn }));
  }

  @Post('loans/:loanId/renew')
  @HttpCode(201)
  @Roles('steward', 'cooperative')
  @IdempotencyKeyHeader()
  @ApiOperation({ summary: 'Renew a loan that is out (the borrower or a steward), today or on an earlier `renewedOn`' })
  @ApiCreatedResponse({ type: ThingLoanDecisionDto, description: 'A renewal is a new loan linked to the one it extends (renewalId); refused when someone else holds a reservation.' })
  @ApiProblems(...WRITE_PROBLEMS)
  async renew(@Param('loanId', UuidParamPipe) loanId: string, @Body() body: RenewThingDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.responder.respond(
      reply,
      await this.writer.onThingLoan(commandContext(meta, this.clock), loanId, { type: 'RenewThing', dueOn: body.dueOn, on: body.renewedOn }),
    );
  }

  @Post('loans/:loanId/return')
  @HttpCode(201)
  @Roles('steward', 'cooperative')
  @IdempotencyKeyHeader()
  @ApiOperation({ summary: 'Record a thing\'s return (the owner or a steward), today or on an earlier `returnedOn`' })
  @ApiCreatedResponse({ type: ThingLoanDecisionDto, description: 'Settles the deposit and fee on that day; late when after the due date.' })
  @ApiProblems(...WRITE_PROBLEMS)
  async returnThing(@Param('loanId', UuidParamPipe) loanId: string, @Body() body: ReturnThingDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.responder.respond(
      reply,
      await this.writer.onThingLoan(commandContext(meta, this.clock), loanId, { type: 'ReturnThing', condition: body.condition, on: body.returnedOn }),
    );
  }

  @Post('loans/:loanId/lost-or-damaged')
  @HttpCode(201)
  @Roles('steward', 'cooperative')
  @IdempotencyKeyHeader()
  @ApiOperation({ summary: 'Record a thing lost (resource retired) or damaged (in repair), today or on an earlier `reportedOn`' })
  @ApiCreatedResponse({ type: ThingLoanDecisionDto })
  @ApiProblems(...WRITE_PROBLEMS)
  async lostOrDamaged(@Param('loanId', UuidParamPipe) loanId: string, @Body() body: LostOrDamagedDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.responder.respond(
      reply,
      await this.writer.onThingLoan(commandContext(meta, this.clock), loanId, { type: 'ReportLostOrDamaged', outcome: body.outcome, notes: body.notes, on: body.reportedOn }),
    );
  }

  @Post('loans/:loanId/cancel')
  @HttpCode(201)
  @Roles('steward', 'cooperative')
  @IdempotencyKeyHeader()
  @ApiOperation({ summary: 'Cancel a reservation not yet checked out, with a reason' })
  @ApiCreatedResponse({ type: ThingLoanDecisionDto, description: 'The borrower, the owner or a steward cancels; its days are free again.' })
  @ApiProblems(...WRITE_PROBLEMS)
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
  @ApiOperation({ summary: 'Waive the deposit or the fee of a loan that has not ended, with a reason' })
  @ApiCreatedResponse({ type: ThingLoanDecisionDto, description: 'The owner (or a steward) waives.' })
  @ApiProblems(...WRITE_PROBLEMS)
  async waive(@Param('loanId', UuidParamPipe) loanId: string, @Body() body: WaiveChargeDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.responder.respond(reply, await this.writer.onThingLoan(commandContext(meta, this.clock), loanId, { type: 'WaiveCharge', ...body }));
  }

  @Get('loans')
  @Roles(...READERS)
  @ApiOperation({ summary: 'Loans of things as of a day; `status=overdue` is derived from the due date' })
  @ApiOkResponse({ type: ThingLoanListDto })
  @ApiProblems(...READ_PROBLEMS)
  async listThingLoans(@Query() query: ListThingLoansQueryDto, @CurrentActor() actor: Actor) {
    await this.responder.awaitPosition(query.minPosition);
    const asOf = query.asOf ?? this.today();
    const scope = this.listScope(actor, query.cooperativeId);
    if (scope.none) return { asOf, items: [] };
    const loans = listThingLoans(this.readModels.db, { asOf, cooperativeId: scope.cooperativeId, resourceId: query.resourceId, status: query.status });
    return { asOf, ...pageOf(loans, (l) => l.loanId, query.after, query.limit ?? DEFAULT_PAGE_SIZE) };
  }

  @Get('loans/:loanId')
  @Roles(...READERS)
  @ApiOperation({ summary: 'One loan of a thing as of a day' })
  @ApiOkResponse({ type: ThingLoanDto })
  @ApiProblems(...READ_PROBLEMS, 404)
  async getThingLoan(@Param('loanId', UuidParamPipe) loanId: string, @Query() query: AsOfQueryDto, @CurrentActor() actor: Actor) {
    await this.responder.awaitPosition(query.minPosition);
    const parties = thingLoanParties(this.readModels.db, loanId);
    const visible = parties !== undefined && !this.hidden(actor, [parties.ownerId, parties.borrowerId]);
    const loan = visible ? findThingLoan(this.readModels.db, loanId, query.asOf ?? this.today()) : undefined;
    if (!loan) throw new NotFoundError('LOAN.NOT_FOUND', `No loan ${loanId} as of that date.`, { loanId });
    return loan;
  }

  @Post('cooperatives/:cooperativeId/labour-limit')
  @HttpCode(201)
  @Roles('steward')
  @IdempotencyKeyHeader()
  @ApiOperation({ summary: 'Set the labour-hour limit past which a cooperative is flagged' })
  @ApiCreatedResponse({ type: LabourLimitSetDto, description: 'The labour-hour balance past which the cooperative is flagged (not blocked).' })
  @ApiProblems(...WRITE_PROBLEMS)
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
  @ApiOperation({ summary: 'Propose hours one cooperative worked for another' })
  @ApiCreatedResponse({ type: LabourExchangeCreatedDto, description: 'One side proposes hours it gave or received; nothing posts until the other side confirms.' })
  @ApiProblems(...WRITE_PROBLEMS)
  async proposeHours(@Body() body: ProposeHoursDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.responder.respond(reply, await this.writer.proposeHours(commandContext(meta, this.clock), body));
  }

  @Post('labour-exchanges/:exchangeId/confirm')
  @HttpCode(201)
  @Roles('cooperative')
  @IdempotencyKeyHeader()
  @ApiOperation({ summary: 'Confirm proposed hours (the counterpart); the minutes post on the day worked' })
  @ApiCreatedResponse({ type: LabourExchangeCreatedDto, description: 'Posts a zero-sum transfer of minutes (LABOUR.COUNTERPART_CONFIRMATION_REQUIRED for the proposer).' })
  @ApiProblems(...WRITE_PROBLEMS)
  async confirmHours(@Param('exchangeId', UuidParamPipe) exchangeId: string, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.responder.respond(reply, await this.writer.confirmHours(commandContext(meta, this.clock), exchangeId));
  }

  @Get('labour-exchanges')
  @Roles(...READERS)
  @ApiOperation({ summary: 'Labour exchanges worked on or before a day (a cooperative token: its own)' })
  @ApiOkResponse({ type: LabourExchangeListDto })
  @ApiProblems(...READ_PROBLEMS)
  async listLabourExchanges(@Query() query: AsOfCooperativeQueryDto, @CurrentActor() actor: Actor) {
    await this.responder.awaitPosition(query.minPosition);
    const asOf = query.asOf ?? this.today();
    const scope = this.listScope(actor, query.cooperativeId);
    if (scope.none) return { asOf, items: [] };
    const items = listLabourExchanges(this.readModels.db, { asOf, cooperativeId: scope.cooperativeId });
    return { asOf, ...pageOf(items, (e) => e.exchangeId, query.after, query.limit ?? DEFAULT_PAGE_SIZE) };
  }

  @Get('labour-balances')
  @Roles(...READERS)
  @ApiOperation({ summary: 'Labour-hour balances in minutes as of a day, with limits and flags (a cooperative token: its own)' })
  @ApiOkResponse({ type: LabourBalanceListDto })
  @ApiProblems(...READ_PROBLEMS)
  async labourBalances(@Query() query: AsOfCooperativeQueryDto, @CurrentActor() actor: Actor) {
    await this.responder.awaitPosition(query.minPosition);
    const asOf = query.asOf ?? this.today();
    const scope = this.listScope(actor, query.cooperativeId);
    if (scope.none) return { asOf, items: [] };
    const items = labourBalances(this.readModels.db, { asOf, cooperativeId: scope.cooperativeId });
    return { asOf, ...pageOf(items, (b) => b.cooperativeId, query.after, query.limit ?? DEFAULT_PAGE_SIZE) };
  }

  @Get('cooperatives/:cooperativeId/lending-report')
  @Roles(...READERS)
  @ApiOperation({ summary: 'What a cooperative lent and borrowed (money, things, hours), outstanding and overdue, as of a day' })
  @ApiCsvOk({ type: CooperativeLendingReportDto, description: 'The cooperative\'s lending report.' })
  @ApiProblems(...READ_PROBLEMS, 404)
  async cooperativeReport(
    @Param('cooperativeId', UuidParamPipe) cooperativeId: string,
    @Query() query: AsOfQueryDto,
    @Headers('accept') accept: string | undefined,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    await this.responder.awaitPosition(query.minPosition);
    const cooperative = this.hidden(actor, [cooperativeId]) ? undefined : findCooperative(this.readModels.db, cooperativeId);
    if (!cooperative) throw this.cooperativeNotFound(cooperativeId);
    const report = cooperativeReport(this.readModels.db, cooperative, query.asOf ?? this.today());
    if (!/\btext\/csv\b/i.test(accept ?? '')) return report;
    void reply.header('content-type', 'text/csv; charset=utf-8');
    return lendingCsv(cooperativeCsvRows(report));
  }

  @Get('lending/report')
  @Roles('steward', 'auditor')
  @ApiOperation({ summary: 'The network\'s lending: who lent to whom, utilisation of shared resources, overdue and behind, as of a day' })
  @ApiCsvOk({ type: NetworkLendingReportDto, description: 'The solidarity picture of the network.' })
  @ApiProblems(...READ_PROBLEMS)
  async networkReport(@Query() query: AsOfQueryDto, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    await this.responder.awaitPosition(query.minPosition);
    const report = networkReport(this.readModels.db, query.asOf ?? this.today());
    if (!/\btext\/csv\b/i.test(accept ?? '')) return report;
    void reply.header('content-type', 'text/csv; charset=utf-8');
    return lendingCsv(networkCsvRows(report));
  }
}
