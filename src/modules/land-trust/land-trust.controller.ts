import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { LEDGER_CONFIG } from '../../commands/ledger-core.module';
import type { LedgerConfig } from '../../config';
import { Roles } from '../../http/auth';
import { IdempotencyKeyHeader, Meta, RequestMeta, commandContext } from '../../http/request-meta';
import { UuidParamPipe } from '../../http/validation';
import { WriteResponder } from '../../http/write-responder';
import { ReadModelDatabase } from '../../projections/read-model-database';
import { isIsoDate, parsePeriod } from '../../shared/calendar';
import { Clock } from '../../shared/clock';
import { DomainError, NotFoundError } from '../../shared/domain-error';
import {
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
import { LandTrustWriter } from './land-trust-writer';
import { REPORT_CSV_HEADER, portfolioReport, propertyReport, reportCsvRows, toCsv } from './reports/land-trust-report';

const WRITERS = ['steward'] as const;
const READERS = ['steward', 'auditor'] as const;

function checkDate(value: string | undefined, field: string): void {
  if (value !== undefined && !isIsoDate(value)) throw new DomainError('REQUEST.INVALID_DATE', `${field} is not a calendar date.`, 400, { field });
}

/** CSV when the client asks for it (`Accept: text/csv`), JSON otherwise. */
function wantsCsv(accept: string | undefined): boolean {
  return /\btext\/csv\b/i.test(accept ?? '');
}

/**
 * Properties, improvement projects and their reports. Writes answer 201 with ids and the log
 * position; approvals by the steward who planned or requested are refused (IMPROVEMENT.SELF_APPROVAL).
 */
@ApiTags('land trust')
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
  @ApiCreatedResponse({ description: 'The property id; parcel ids are unique (PROPERTY.PARCEL_TAKEN).' })
  async register(@Body() body: RegisterPropertyDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    checkDate(body.acquiredOn, 'acquiredOn');
    return this.responder.respond(reply, await this.writer.registerProperty(commandContext(meta, this.clock), body));
  }

  @Post('properties/:propertyId/status')
  @HttpCode(201)
  @Roles(...WRITERS)
  @IdempotencyKeyHeader()
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
  @ApiCreatedResponse({ description: 'Records a ground lease for a pseudonymous household; the property becomes leased.' })
  async groundLease(
    @Param('propertyId', UuidParamPipe) propertyId: string,
    @Body() body: GroundLeaseDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    checkDate(body.startsOn, 'startsOn');
    return this.responder.respond(reply, await this.writer.recordGroundLease(commandContext(meta, this.clock), propertyId, body));
  }

  @Get('properties')
  @Roles(...READERS)
  list(@Query() query: ListPropertiesQueryDto) {
    const items = listProperties(this.readModels.db, { status: query.status, after: query.after, limit: query.limit ?? 50 });
    return { items, ...(items.length === (query.limit ?? 50) ? { next: items[items.length - 1].parcelId } : {}) };
  }

  @Get('properties/:propertyId')
  @Roles(...READERS)
  get(@Param('propertyId', UuidParamPipe) propertyId: string) {
    const property = findProperty(this.readModels.db, propertyId);
    if (!property) throw new NotFoundError('PROPERTY.NOT_FOUND', `No property ${propertyId}.`, { propertyId });
    return property;
  }

  @Post('improvements')
  @HttpCode(201)
  @Roles(...WRITERS)
  @IdempotencyKeyHeader()
  @ApiCreatedResponse({ description: 'A planned project; nothing is held until another steward approves it.' })
  async plan(@Body() body: PlanImprovementDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.responder.respond(reply, await this.writer.planImprovement(commandContext(meta, this.clock), body));
  }

  @Post('improvements/:improvementId/approve')
  @HttpCode(201)
  @Roles(...WRITERS)
  @IdempotencyKeyHeader()
  @ApiCreatedResponse({ description: 'Allocates the funding lines as holds on their funds.' })
  async approve(@Param('improvementId', UuidParamPipe) id: string, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.responder.respond(reply, await this.writer.approve(commandContext(meta, this.clock), id));
  }

  @Post('improvements/:improvementId/expenses')
  @HttpCode(201)
  @Roles(...WRITERS)
  @IdempotencyKeyHeader()
  @ApiCreatedResponse({ description: 'Posts from the allocated funds to the vendor, in funding-line order; answers which funds paid how much.' })
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
  @ApiCreatedResponse({ description: 'Reverses a payment once: back into its holds while the work goes on, released once it has ended.' })
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
  async approveIncrease(
    @Param('improvementId', UuidParamPipe) id: string,
    @Param('increaseId', UuidParamPipe) increaseId: string,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.responder.respond(reply, await this.writer.approveBudgetIncrease(commandContext(meta, this.clock), id, increaseId));
  }

  @Post('improvements/:improvementId/complete')
  @HttpCode(201)
  @Roles(...WRITERS)
  @IdempotencyKeyHeader()
  @ApiCreatedResponse({ description: 'Records completion and inspection; what was allocated and not spent is released.' })
  async complete(
    @Param('improvementId', UuidParamPipe) id: string,
    @Body() body: CompleteImprovementDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    checkDate(body.completedOn, 'completedOn');
    return this.responder.respond(reply, await this.writer.complete(commandContext(meta, this.clock), id, body));
  }

  @Post('improvements/:improvementId/resale-credit')
  @HttpCode(201)
  @Roles(...WRITERS)
  @IdempotencyKeyHeader()
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
  @ApiCreatedResponse({ description: 'Cancels the project and releases what was allocated and not spent.' })
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
  @ApiOkResponse({ description: 'Projects in the order they were planned; filter by property and status.' })
  listImprovements(@Query() query: ListImprovementsQueryDto) {
    const limit = query.limit ?? 50;
    const items = listImprovements(this.readModels.db, { ...query, limit });
    return { items, ...(items.length === limit ? { next: items[items.length - 1].improvementId } : {}) };
  }

  @Get('improvements/:improvementId')
  @Roles(...READERS)
  getImprovement(@Param('improvementId', UuidParamPipe) id: string) {
    const improvement = findImprovement(this.readModels.db, id);
    if (!improvement) throw new NotFoundError('IMPROVEMENT.NOT_FOUND', `No improvement project ${id}.`, { improvementId: id });
    return improvement;
  }

  @Get('properties/:propertyId/report')
  @Roles(...READERS)
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ description: 'Every project with estimate, allocated, spent, remaining, variance, status, by vendor and by fund; as of a date.' })
  propertyReport(
    @Param('propertyId', UuidParamPipe) propertyId: string,
    @Query() query: ReportQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    checkDate(query.asOf, 'asOf');
    const property = findProperty(this.readModels.db, propertyId);
    if (!property) throw new NotFoundError('PROPERTY.NOT_FOUND', `No property ${propertyId}.`, { propertyId });
    const report = propertyReport(this.readModels.db, { propertyId, address: property.address, parcelId: property.parcelId, status: property.status }, query.asOf);
    if (!wantsCsv(accept)) return report;
    void reply.header('content-type', 'text/csv; charset=utf-8');
    return toCsv(REPORT_CSV_HEADER, reportCsvRows(report));
  }

  @Get('land-trust/report')
  @Roles(...READERS)
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ description: 'The portfolio rolled up, spending per month, and with ?period= what was spent in that period.' })
  portfolioReport(@Query() query: PortfolioReportQueryDto, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    checkDate(query.asOf, 'asOf');
    const range = query.period === undefined ? undefined : parsePeriod(query.period, this.config.fiscalYearStartMonth);
    if (query.period !== undefined && !range) {
      throw new DomainError('REQUEST.INVALID_PERIOD', 'period is a month (2026-03), a fiscal quarter (FY2026-Q1) or a fiscal year (FY2026).', 400, { field: 'period' });
    }
    const report = portfolioReport(this.readModels.db, query.asOf, range, this.config.fiscalYearStartMonth);
    if (!wantsCsv(accept)) return report;
    void reply.header('content-type', 'text/csv; charset=utf-8');
    const rows = [
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
    ];
    return toCsv(REPORT_CSV_HEADER, rows);
  }
}
