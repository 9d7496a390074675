import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { LEDGER_CONFIG } from '../../commands/ledger-core.module';
import type { LedgerConfig } from '../../config';
import { Roles } from '../../http/auth';
import { ApiCsvOk, ApiProblems } from '../../http/openapi';
import { PositionQueryDto } from '../../http/query.dto';
import { IdempotencyKeyHeader, Meta, RequestMeta, commandContext } from '../../http/request-meta';
import { UuidParamPipe } from '../../http/validation';
import { WriteResponder } from '../../http/write-responder';
import { ReadModelDatabase } from '../../projections/read-model-database';
import { parsePeriod } from '../../shared/calendar';
import { Clock } from '../../shared/clock';
import { NotFoundError } from '../../shared/domain-error';
import {
  ApproveDto,
  BudgetIncreaseDto,
  CancelImprovementDto,
  ChangePropertyStatusDto,
  CompleteImprovementDto,
  ExpenseDto,
  GroundLeaseDto,
  ListImprovementsQueryDto,
  ListPropertiesQueryDto,
  PlanImprovementDto,
  PortfolioReportQueryDto,
  RegisterPropertyDto,
  ReportQueryDto,
  ResaleCreditDto,
  ReverseExpenseDto,
} from './land-trust.dto';
import { findImprovement, findProperty, listImprovements, listProperties } from './land-trust.projection';
import {
  BudgetIncreaseWrittenDto,
  ExpensePaidDto,
  ExpenseReversedDto,
  ImprovementEndedDto,
  ImprovementListDto,
  ImprovementViewDto,
  ImprovementWrittenDto,
  PortfolioReportDto,
  PropertyListDto,
  PropertyReportDto,
  PropertyViewDto,
  PropertyWrittenDto,
  ResaleCreditWrittenDto,
} from './land-trust.responses';
import { LandTrustWriter } from './land-trust-writer';
import { portfolioReport, propertyReport, reportCsv, reportCsvRows } from './reports/land-trust-report';

const WRITERS = ['steward'] as const;
const READERS = ['steward', 'auditor'] as const;
const DEFAULT_LIMIT = 50;

/** What a write can answer: bad input, no token, wrong role, unknown id, a conflict, a body too large or not JSON, a refused rule, a store that cannot write. */
const WRITE_PROBLEMS = [400, 401, 403, 404, 409, 413, 415, 422, 503];
const READ_PROBLEMS = [400, 401, 403];
const READ_ONE_PROBLEMS = [400, 401, 403, 404];

const PropertyIdParam = () => ApiParam({ name: 'propertyId', format: 'uuid', description: 'The property id.' });
const ImprovementIdParam = () => ApiParam({ name: 'improvementId', format: 'uuid', description: 'The improvement project id.' });

/** CSV when the client asks for it (`Accept: text/csv`), JSON otherwise. */
function wantsCsv(accept: string | undefined): boolean {
  return /\btext\/csv\b/i.test(accept ?? '');
}

/** A page of a listing: `next` is present when the page is full (there may be more). */
function page<T>(items: T[], limit: number, cursor: (last: T) => string): { items: T[]; next?: string } {
  return { items, ...(items.length === limit && items.length > 0 ? { next: cursor(items[items.length - 1]) } : {}) };
}

/**
 * Properties, improvement projects and their reports. Writes answer 201 with ids and the log
 * position; approvals by the steward who planned or requested are refused (IMPROVEMENT.SELF_APPROVAL).
 * Every query takes `minPosition` and waits (bounded) until the read models include it.
 */
@ApiTags('land trust')
@ApiBearerAuth()
@Controller('v1')
export class LandTrustController {
  constructor(
    private readonly writer: LandTrustWriter,
    private readonly responder: WriteResponder,
    private readonly readModels: ReadModelDatabase,
    private readonly clock: Clock,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  @Post('properties')
  @HttpCode(201)
  @Roles(...WRITERS)
  @IdempotencyKeyHeader()
  @ApiOperation({ summary: 'Register a property (address, unique parcel id, acquisition date, status)' })
  @ApiCreatedResponse({ type: PropertyWrittenDto, description: 'The property id; parcel ids are unique (PROPERTY.PARCEL_TAKEN).' })
  @ApiProblems(...WRITE_PROBLEMS)
  async register(@Body() body: RegisterPropertyDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.responder.respond(reply, await this.writer.registerProperty(commandContext(meta, this.clock), body));
  }

  @Post('properties/:propertyId/status')
  @HttpCode(201)
  @Roles(...WRITERS)
  @IdempotencyKeyHeader()
  @PropertyIdParam()
  @ApiOperation({ summary: 'Change a property\'s status (its own event)' })
  @ApiCreatedResponse({ type: PropertyWrittenDto })
  @ApiProblems(...WRITE_PROBLEMS)
  async changeStatus(
    @Param('propertyId', UuidParamPipe) propertyId: string,
    @Body() body: ChangePropertyStatusDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.responder.respond(reply, await this.writer.changePropertyStatus(commandContext(meta, this.clock), propertyId, body.status, body.reason));
  }

  @Post('properties/:propertyId/ground-lease')
  @HttpCode(201)
  @Roles(...WRITERS)
  @IdempotencyKeyHeader()
  @PropertyIdParam()
  @ApiOperation({ summary: 'Record a ground lease for a pseudonymous household; the property becomes leased' })
  @ApiCreatedResponse({ type: PropertyWrittenDto })
  @ApiProblems(...WRITE_PROBLEMS)
  async groundLease(
    @Param('propertyId', UuidParamPipe) propertyId: string,
    @Body() body: GroundLeaseDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.responder.respond(reply, await this.writer.recordGroundLease(commandContext(meta, this.clock), propertyId, body));
  }

  @Get('properties')
  @Roles(...READERS)
  @ApiOperation({ summary: 'List properties by parcel id, a page at a time' })
  @ApiOkResponse({ type: PropertyListDto })
  @ApiProblems(...READ_PROBLEMS)
  async list(@Query() query: ListPropertiesQueryDto) {
    await this.responder.awaitPosition(query.minPosition);
    const limit = query.limit ?? DEFAULT_LIMIT;
    return page(listProperties(this.readModels.db, { status: query.status, after: query.after, limit }), limit, (p) => p.parcelId);
  }

  @Get('properties/:propertyId')
  @Roles(...READERS)
  @PropertyIdParam()
  @ApiOperation({ summary: 'One property with its ground lease and status history' })
  @ApiOkResponse({ type: PropertyViewDto })
  @ApiProblems(...READ_ONE_PROBLEMS)
  async get(@Param('propertyId', UuidParamPipe) propertyId: string, @Query() query: PositionQueryDto) {
    await this.responder.awaitPosition(query.minPosition);
    const property = findProperty(this.readModels.db, propertyId);
    if (!property) throw new NotFoundError('PROPERTY.NOT_FOUND', `No property ${propertyId}.`, { propertyId });
    return property;
  }

  @Post('improvements')
  @HttpCode(201)
  @Roles(...WRITERS)
  @IdempotencyKeyHeader()
  @ApiOperation({ summary: 'Plan an improvement project with ordered funding lines covering the estimate' })
  @ApiCreatedResponse({ type: ImprovementWrittenDto, description: 'A planned project; nothing is held until another steward approves it.' })
  @ApiProblems(...WRITE_PROBLEMS)
  async plan(@Body() body: PlanImprovementDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.responder.respond(reply, await this.writer.planImprovement(commandContext(meta, this.clock), body));
  }

  @Post('improvements/:improvementId/approve')
  @HttpCode(201)
  @Roles(...WRITERS)
  @IdempotencyKeyHeader()
  @ImprovementIdParam()
  @ApiOperation({ summary: 'Approve a planned project (another steward); optionally dated after the fact' })
  @ApiBody({ type: ApproveDto, required: false, description: 'Optional: `{effectiveAt}` for an approval recorded after the fact.' })
  @ApiCreatedResponse({ type: ImprovementWrittenDto, description: 'Allocates the funding lines as holds on their funds, from the approval\'s date.' })
  @ApiProblems(...WRITE_PROBLEMS)
  async approve(
    @Param('improvementId', UuidParamPipe) id: string,
    @Body() body: ApproveDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.responder.respond(reply, await this.writer.approve(commandContext(meta, this.clock), id, body));
  }

  @Post('improvements/:improvementId/expenses')
  @HttpCode(201)
  @Roles(...WRITERS)
  @IdempotencyKeyHeader()
  @ImprovementIdParam()
  @ApiOperation({ summary: 'Pay an expense from the allocation, in funding-line order' })
  @ApiCreatedResponse({ type: ExpensePaidDto, description: 'Posts from the allocated funds to the vendor; answers which funds paid how much.' })
  @ApiProblems(...WRITE_PROBLEMS)
  async expense(
    @Param('improvementId', UuidParamPipe) id: string,
    @Body() body: ExpenseDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.responder.respond(reply, await this.writer.payExpense(commandContext(meta, this.clock), id, body));
  }

  @Post('improvements/:improvementId/expenses/:expenseId/reverse')
  @HttpCode(201)
  @Roles(...WRITERS)
  @IdempotencyKeyHeader()
  @ImprovementIdParam()
  @ApiParam({ name: 'expenseId', format: 'uuid', description: 'The expense to reverse.' })
  @ApiOperation({ summary: 'Reverse an expense once' })
  @ApiCreatedResponse({ type: ExpenseReversedDto, description: 'Back into its holds while the work goes on, released once it has ended.' })
  @ApiProblems(...WRITE_PROBLEMS)
  async reverseExpense(
    @Param('improvementId', UuidParamPipe) id: string,
    @Param('expenseId', UuidParamPipe) expenseId: string,
    @Body() body: ReverseExpenseDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.responder.respond(reply, await this.writer.reverseExpense(commandContext(meta, this.clock), id, expenseId, body));
  }

  @Post('improvements/:improvementId/budget-increases')
  @HttpCode(201)
  @Roles(...WRITERS)
  @IdempotencyKeyHeader()
  @ImprovementIdParam()
  @ApiOperation({ summary: 'Request a budget increase with its own funding lines' })
  @ApiCreatedResponse({ type: BudgetIncreaseWrittenDto })
  @ApiProblems(...WRITE_PROBLEMS)
  async requestIncrease(
    @Param('improvementId', UuidParamPipe) id: string,
    @Body() body: BudgetIncreaseDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.responder.respond(reply, await this.writer.requestBudgetIncrease(commandContext(meta, this.clock), id, body));
  }

  @Post('improvements/:improvementId/budget-increases/:increaseId/approve')
  @HttpCode(201)
  @Roles(...WRITERS)
  @IdempotencyKeyHeader()
  @ImprovementIdParam()
  @ApiParam({ name: 'increaseId', format: 'uuid', description: 'The budget increase to approve.' })
  @ApiOperation({ summary: 'Approve a budget increase (another steward); optionally dated after the fact' })
  @ApiBody({ type: ApproveDto, required: false, description: 'Optional: `{effectiveAt}` for an approval recorded after the fact.' })
  @ApiCreatedResponse({ type: BudgetIncreaseWrittenDto, description: 'Holds the increase\'s lines on their funds, from the approval\'s date.' })
  @ApiProblems(...WRITE_PROBLEMS)
  async approveIncrease(
    @Param('improvementId', UuidParamPipe) id: string,
    @Param('increaseId', UuidParamPipe) increaseId: string,
    @Body() body: ApproveDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.responder.respond(reply, await this.writer.approveBudgetIncrease(commandContext(meta, this.clock), id, increaseId, body));
  }

  @Post('improvements/:improvementId/complete')
  @HttpCode(201)
  @Roles(...WRITERS)
  @IdempotencyKeyHeader()
  @ImprovementIdParam()
  @ApiOperation({ summary: 'Record completion and inspection' })
  @ApiCreatedResponse({ type: ImprovementEndedDto, description: 'What was allocated and not spent is released.' })
  @ApiProblems(...WRITE_PROBLEMS)
  async complete(
    @Param('improvementId', UuidParamPipe) id: string,
    @Body() body: CompleteImprovementDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.responder.respond(reply, await this.writer.complete(commandContext(meta, this.clock), id, body));
  }

  @Post('improvements/:improvementId/resale-credit')
  @HttpCode(201)
  @Roles(...WRITERS)
  @IdempotencyKeyHeader()
  @ImprovementIdParam()
  @ApiOperation({ summary: 'Record the capital-improvement resale credit of a completed project (at most its cost)' })
  @ApiCreatedResponse({ type: ResaleCreditWrittenDto })
  @ApiProblems(...WRITE_PROBLEMS)
  async resaleCredit(
    @Param('improvementId', UuidParamPipe) id: string,
    @Body() body: ResaleCreditDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.responder.respond(reply, await this.writer.recordResaleCredit(commandContext(meta, this.clock), id, body));
  }

  @Post('improvements/:improvementId/cancel')
  @HttpCode(201)
  @Roles(...WRITERS)
  @IdempotencyKeyHeader()
  @ImprovementIdParam()
  @ApiOperation({ summary: 'Cancel a project, with its reason' })
  @ApiCreatedResponse({ type: ImprovementEndedDto, description: 'Releases what was allocated and not spent.' })
  @ApiProblems(...WRITE_PROBLEMS)
  async cancel(
    @Param('improvementId', UuidParamPipe) id: string,
    @Body() body: CancelImprovementDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.responder.respond(reply, await this.writer.cancel(commandContext(meta, this.clock), id, body.reason));
  }

  @Get('improvements')
  @Roles(...READERS)
  @ApiOperation({ summary: 'List projects in planning order; filter by property and status' })
  @ApiOkResponse({ type: ImprovementListDto })
  @ApiProblems(...READ_PROBLEMS)
  async listImprovements(@Query() query: ListImprovementsQueryDto) {
    await this.responder.awaitPosition(query.minPosition);
    const limit = query.limit ?? DEFAULT_LIMIT;
    const items = listImprovements(this.readModels.db, { propertyId: query.propertyId, status: query.status, after: query.after, limit });
    return page(items, limit, (i) => i.improvementId);
  }

  @Get('improvements/:improvementId')
  @Roles(...READERS)
  @ImprovementIdParam()
  @ApiOperation({ summary: 'One project with its allocation, pending increases and expenses' })
  @ApiOkResponse({ type: ImprovementViewDto })
  @ApiProblems(...READ_ONE_PROBLEMS)
  async getImprovement(@Param('improvementId', UuidParamPipe) id: string, @Query() query: PositionQueryDto) {
    await this.responder.awaitPosition(query.minPosition);
    const improvement = findImprovement(this.readModels.db, id);
    if (!improvement) throw new NotFoundError('IMPROVEMENT.NOT_FOUND', `No improvement project ${id}.`, { improvementId: id });
    return improvement;
  }

  @Get('properties/:propertyId/report')
  @Roles(...READERS)
  @PropertyIdParam()
  @ApiOperation({ summary: 'A property\'s projects and their figures, as of a date' })
  @ApiCsvOk({ type: PropertyReportDto, description: 'Every project with estimate, allocated, spent, remaining, variance, status, by vendor and by fund.' })
  @ApiProblems(...READ_ONE_PROBLEMS)
  async propertyReport(
    @Param('propertyId', UuidParamPipe) propertyId: string,
    @Query() query: ReportQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    await this.responder.awaitPosition(query.minPosition);
    const property = findProperty(this.readModels.db, propertyId);
    if (!property) throw new NotFoundError('PROPERTY.NOT_FOUND', `No property ${propertyId}.`, { propertyId });
    const report = propertyReport(this.readModels.db, { propertyId, address: property.address, parcelId: property.parcelId, status: property.status }, query.asOf);
    if (!wantsCsv(accept)) return report;
    void reply.header('content-type', 'text/csv; charset=utf-8');
    return reportCsv(reportCsvRows(report));
  }

  @Get('land-trust/report')
  @Roles(...READERS)
  @ApiOperation({ summary: 'The portfolio rolled up, spending per month, quarter and fiscal year, and within a period' })
  @ApiCsvOk({ type: PortfolioReportDto, description: 'The portfolio as of a date; with `?period=` also what was spent in that period.' })
  @ApiProblems(...READ_PROBLEMS)
  async portfolioReport(@Query() query: PortfolioReportQueryDto, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    await this.responder.awaitPosition(query.minPosition);
    // The DTO has checked the period's form; parsePeriod gives its range under the configured fiscal year.
    const range = query.period === undefined ? undefined : parsePeriod(query.period, this.config.fiscalYearStartMonth);
    const report = portfolioReport(this.readModels.db, query.asOf, range, this.config.fiscalYearStartMonth);
    if (!wantsCsv(accept)) return report;
    void reply.header('content-type', 'text/csv; charset=utf-8');
    return reportCsv([
      ...report.properties.flatMap((p) => p.totals.map((t) => ({ section: 'property', propertyId: p.propertyId, ...t }))),
      ...reportCsvRows(report),
      ...report.byMonth.map((m) => ({ section: 'month', period: m.month, currency: m.currency, spentMinor: m.spentMinor })),
      ...report.byQuarter.map((q) => ({ section: 'quarter', ...q })),
      ...report.byFiscalYear.map((y) => ({ section: 'fiscal-year', ...y })),
      ...(report.period
        ? [
            ...(report.period.totals as Record<string, unknown>[]).map((r) => ({ section: 'period', period: report.period?.period, ...r })),
            ...(report.period.byProperty as Record<string, unknown>[]).map((r) => ({ section: 'period-property', period: report.period?.period, ...r })),
            ...(report.period.byFund as Record<string, unknown>[]).map((r) => ({ section: 'period-fund', period: report.period?.period, ...r })),
          ]
        : []),
    ]);
  }
}
