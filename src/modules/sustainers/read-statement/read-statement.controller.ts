import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentActor, Roles } from '../../../http/auth';
import { ApiCsvOk, ApiProblems } from '../../../http/openapi';
import { UuidParamPipe } from '../../../http/validation';
import { WriteResponder } from '../../../http/write-responder';
import type { Actor } from '../../../shared/decider';
import { SUSTAINER_ID, SustainersOperation } from '../sustainers-openapi';
import { StatementDto } from '../sustainers.responses';
import { StatementQueryDto } from './read-statement.dto';
import { ReadStatementQuery } from './read-statement.handler';
import type { Statement } from './statement';
import { renderStatement } from './statement-csv';

@ApiTags('sustainers')
@Controller('v1')
export class ReadStatementController {
  constructor(
    private readonly queries: QueryBus,
    private readonly responder: WriteResponder,
  ) {}

  @Get('sustainers/:sustainerId/statement')
  @Roles('steward', 'auditor', 'sustainer')
  @SustainersOperation('statement', 'A sustainer\'s statement of the year (JSON or CSV)')
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
    const statement = await this.queries.execute<ReadStatementQuery, Statement>(new ReadStatementQuery(actor, sustainerId, query.year));
    return renderStatement(statement, accept, reply, `statement-${sustainerId}-${query.year}`);
  }
}
