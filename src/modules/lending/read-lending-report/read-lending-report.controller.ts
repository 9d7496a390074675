import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentActor, Roles } from '../../../http/auth';
import { ApiCsvOk, ApiProblems } from '../../../http/openapi';
import { AsOfQueryDto } from '../../../http/query.dto';
import { UuidParamPipe } from '../../../http/validation';
import { WriteResponder } from '../../../http/write-responder';
import { Actor } from '../../../shared/decider';
import { CooperativeLendingReportDto, NetworkLendingReportDto } from '../lending.responses';
import { READERS, READ_PROBLEMS } from '../shared/lending-reads';
import { ReadCooperativeLendingReportQuery, ReadNetworkLendingReportQuery } from './read-lending-report.handler';

const wantsCsv = (accept: string | undefined): boolean => /\btext\/csv\b/i.test(accept ?? '');

// Operation ids are those the one lending controller gave them, so the OpenAPI document stays the same.
@ApiTags('lending')
@Controller('v1')
export class ReadLendingReportController {
  constructor(
    private readonly queries: QueryBus,
    private readonly responder: WriteResponder,
  ) {}

  @Get('cooperatives/:cooperativeId/lending-report')
  @Roles(...READERS)
  @ApiOperation({ operationId: 'LendingController_cooperativeReport', summary: 'What a cooperative lent and borrowed (money, things, hours), outstanding and overdue, as of a day' })
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
    const csv = wantsCsv(accept);
    const report: unknown = await this.queries.execute(new ReadCooperativeLendingReportQuery(actor, cooperativeId, query.asOf, csv));
    if (csv) void reply.header('content-type', 'text/csv; charset=utf-8');
    return report;
  }

  @Get('lending/report')
  @Roles('steward', 'auditor')
  @ApiOperation({ operationId: 'LendingController_networkReport', summary: 'The network\'s lending: who lent to whom, utilisation of shared resources, overdue and behind, as of a day' })
  @ApiCsvOk({ type: NetworkLendingReportDto, description: 'The solidarity picture of the network.' })
  @ApiProblems(...READ_PROBLEMS)
  async networkReport(@Query() query: AsOfQueryDto, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    await this.responder.awaitPosition(query.minPosition);
    const csv = wantsCsv(accept);
    const report: unknown = await this.queries.execute(new ReadNetworkLendingReportQuery(query.asOf, csv));
    if (csv) void reply.header('content-type', 'text/csv; charset=utf-8');
    return report;
  }
}
