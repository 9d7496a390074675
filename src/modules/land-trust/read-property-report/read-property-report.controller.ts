import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../../../http/auth';
import { ApiCsvOk, ApiProblems } from '../../../http/openapi';
import { UuidParamPipe } from '../../../http/validation';
import { WriteResponder } from '../../../http/write-responder';
import { PropertyIdParam, READERS, READ_ONE_PROBLEMS, operationId, wantsCsv } from '../land-trust.http';
import { PropertyReportDto } from '../land-trust.responses';
import { reportCsv, reportCsvRows } from '../reports/land-trust-report';
import { ReportQueryDto } from './read-property-report.dto';
import { PropertyReport, ReadPropertyReportQuery } from './read-property-report.handler';

@ApiTags('land trust')
@ApiBearerAuth()
@Controller('v1')
export class ReadPropertyReportController {
  constructor(
    private readonly queries: QueryBus,
    private readonly responder: WriteResponder,
  ) {}

  @Get('properties/:propertyId/report')
  @Roles(...READERS)
  @PropertyIdParam()
  @ApiOperation({ summary: "A property's projects and their figures, as of a date", operationId: operationId('propertyReport') })
  @ApiCsvOk({ type: PropertyReportDto, description: 'Every project with estimate, allocated, spent, remaining, variance, status, by vendor and by fund.' })
  @ApiProblems(...READ_ONE_PROBLEMS)
  async propertyReport(
    @Param('propertyId', UuidParamPipe) propertyId: string,
    @Query() query: ReportQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    await this.responder.awaitPosition(query.minPosition);
    const report = await this.queries.execute<ReadPropertyReportQuery, PropertyReport>(new ReadPropertyReportQuery(propertyId, query.asOf));
    if (!wantsCsv(accept)) return report;
    void reply.header('content-type', 'text/csv; charset=utf-8');
    return reportCsv(reportCsvRows(report));
  }
}
