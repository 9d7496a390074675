import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../../../http/auth';
import { ApiCsvOk, ApiProblems } from '../../../http/openapi';
import { WriteResponder } from '../../../http/write-responder';
import { ReportPeriodQueryDto } from '../accountability.dto';
import { TransparencyReportDto } from '../accountability.responses';
import { TransparencyReport, transparencyCsv } from '../reports/transparency';
import { ReadTransparencyReportQuery } from './read-transparency-report.handler';

@ApiTags('accountability')
@Controller('v1')
export class ReadTransparencyReportController {
  constructor(
    private readonly queries: QueryBus,
    private readonly responder: WriteResponder,
  ) {}

  @Get('transparency/report')
  @Public()
  @ApiOperation({
    operationId: 'AccountabilityController_transparencyReport',
    summary: 'The public transparency report of a year or fiscal period (no token): received, spent by program and category, released, completed, lent, labour',
  })
  @ApiCsvOk({ type: TransparencyReportDto, description: 'Aggregates only; a figure that would stand for fewer than five sustainers is grouped or withheld.' })
  @ApiProblems(400)
  async report(@Query() query: ReportPeriodQueryDto, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply): Promise<TransparencyReport | string> {
    await this.responder.awaitPosition(query.minPosition);
    const report = await this.queries.execute<ReadTransparencyReportQuery, TransparencyReport>(new ReadTransparencyReportQuery(query.period));
    if (!accept || !/\btext\/csv\b/i.test(accept)) return report;
    void reply.header('content-type', 'text/csv; charset=utf-8');
    void reply.header('content-disposition', `attachment; filename="transparency-${report.period}.csv"`);
    return transparencyCsv(report);
  }
}
