import { Body, Controller, Get, HttpCode, Inject, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { CommandRunner } from '../../../commands/command-runner';
import { LEDGER_CONFIG } from '../../../commands/ledger-core.module';
import type { LedgerConfig } from '../../../config';
import { Roles } from '../../../http/auth';
import { ApiProblems } from '../../../http/openapi';
import { PositionQueryDto } from '../../../http/query.dto';
import { IdempotencyKeyHeader, Meta, RequestMeta, commandContext } from '../../../http/request-meta';
import { WriteResponder } from '../../../http/write-responder';
import { BUSINESS_DAY_RANGE, isBusinessDay } from '../../../shared/business-date';
import { PeriodRange, parsePeriod } from '../../../shared/calendar';
import { Clock } from '../../../shared/clock';
import { DomainError } from '../../../shared/domain-error';
import { PERIODS_STREAM, periodsDecider } from '../period/period.decider';

export class ClosePeriodDto {
  @ApiProperty({ example: '2026-03', description: 'A month (2026-03), a fiscal quarter (FY2026-Q1) or a fiscal year (FY2026).' })
  @IsString()
  @Matches(/^(\d{4}-\d{2}|FY\d{4}(-Q[1-4])?)$/, { message: 'period must look like 2026-03, FY2026-Q1 or FY2026' })
  period!: string;
}

export class PeriodDto {
  @ApiProperty({ example: '2026-03' }) period!: string;
  @ApiProperty({ enum: ['month', 'quarter', 'fiscal-year'] }) kind!: string;
  @ApiProperty({ description: 'First business day of the period (YYYY-MM-DD).', example: '2026-03-01' }) start!: string;
  @ApiProperty({ description: 'First business day after the period (YYYY-MM-DD), exclusive.', example: '2026-04-01' }) end!: string;
}

export class PeriodClosedDto extends PeriodDto {
  @ApiProperty({ enum: ['closed'] }) status!: string;
  @ApiProperty({ description: 'Global log position of the write.' }) position!: number;
}

export class PeriodListDto {
  @ApiProperty({ type: [PeriodDto], description: 'In the order they were closed.' }) closed!: PeriodDto[];
  @ApiProperty({ minimum: 1, maximum: 12 }) fiscalYearStartMonth!: number;
}

@ApiTags('periods')
@Controller('v1/periods')
export class ClosePeriodController {
  constructor(
    private readonly runner: CommandRunner,
    private readonly responder: WriteResponder,
    private readonly clock: Clock,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  @Post('close')
  @HttpCode(201)
  @Roles('steward')
  @IdempotencyKeyHeader()
  @ApiOperation({ summary: 'Close a month, fiscal quarter or fiscal year that has ended' })
  @ApiCreatedResponse({ type: PeriodClosedDto, description: 'Nothing may be recorded with an effective date inside the period from now on.' })
  @ApiProblems(400, 401, 403, 409, 422)
  async close(@Body() body: ClosePeriodDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    const range = parsePeriod(body.period, this.config.fiscalYearStartMonth);
    // A period outside the supported business dates could never be recorded (the event catalogue
    // refuses its dates), so it is refused here as the bad input it is.
    if (!range || !isBusinessDay(range.start) || !isBusinessDay(range.end)) {
      const message = `${body.period} is not a period within ${BUSINESS_DAY_RANGE}.`;
      throw new DomainError('PERIOD.INVALID', message, 400, { errors: [{ field: 'period', messages: [message] }] });
    }
    const context = commandContext(meta, this.clock);
    const outcome = await this.runner.run(context, async () => {
      const { state, expected } = await this.runner.load(PERIODS_STREAM, periodsDecider);
      const events = periodsDecider.decide({ type: 'ClosePeriod', range, by: context.actor.id, now: context.now.toISOString() }, state);
      return {
        appends: [{ streamId: PERIODS_STREAM, expected, events: events.map((e) => ({ ...e, schemaVersion: 1 })) }],
        response: { ...range, status: 'closed' },
      };
    });
    return this.responder.respond(reply, outcome);
  }

  @Get()
  @Roles('steward', 'auditor')
  @ApiOperation({ summary: 'List the closed periods' })
  @ApiOkResponse({ type: PeriodListDto, description: 'Closed periods, in the order they were closed.' })
  @ApiProblems(400, 401, 403)
  async list(@Query() query: PositionQueryDto): Promise<{ closed: readonly PeriodRange[]; fiscalYearStartMonth: number }> {
    // Periods are read from their stream, not a read model; minPosition is still honoured so a
    // client can use one convention on every query.
    await this.responder.awaitPosition(query.minPosition);
    const { state } = await this.runner.load(PERIODS_STREAM, periodsDecider);
    return { closed: state.closed, fiscalYearStartMonth: this.config.fiscalYearStartMonth };
  }
}
