import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../../../http/auth';
import { ApiCsvOk, ApiProblems } from '../../../http/openapi';
import { WriteResponder } from '../../../http/write-responder';
import { READERS, READ_PROBLEMS, operationId, wantsCsv } from '../land-trust.http';
import { PortfolioReportDto } from '../land-trust.responses';
import { PortfolioReportQueryDto } from './read-portfolio-report.dto';
import { PortfolioReport, ReadPortfolioReportQuery, portfolioReportCsv } from './read-portfolio-report.handler';

@ApiTags('land trust')
@ApiBearerAuth()
@Controller('v1')
export class ReadPortfolioReportController {
  constructor(
    private readonly queries: QueryBus,
    private readonly responder: WriteResponder,
  ) {}

  @Get('land-trust/report')
  @Roles(...READERS)
  @ApiOperation({ summary: 'The portfolio rolled up, spending per month, quarter and fiscal year, and within a period', operationId: operationId('portfolioReport') })
  @ApiCsvOk({ type: PortfolioReportDto, description: 'The portfolio as of a date; with `?period=` also what was spent in that period.' })
  @ApiProblems(...READ_PROBLEMS)
  async portfolioReport(@Query() query: PortfolioReportQueryDto, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    await this.responder.awaitPosition(query.minPosition);
    const report = await this.queries.execute<ReadPortfolioReportQuery, PortfolioReport>(new ReadPortfolioReportQuery(query.asOf, query.period));
    if (!wantsCsv(accept)) return report;
    void reply.header('content-type', 'text/csv; charset=utf-8');
    return portfolioReportCsv(report);
  }
}
