import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../http/auth';
import { ApiProblems } from '../../../http/openapi';
import { AsOfQueryDto } from '../../../http/query.dto';
import { WriteResponder } from '../../../http/write-responder';
import { Clock } from '../../../shared/clock';
import { ReportPeriodQueryDto } from '../accountability.dto';
import { FinancialPositionListDto, StatementOfActivitiesListDto } from '../accountability.responses';
import { ReadFinancialPositionQuery, ReadStatementOfActivitiesQuery } from './read-statements.handler';

@ApiTags('accountability')
@Controller('v1')
export class ReadStatementsController {
  constructor(
    private readonly queries: QueryBus,
    private readonly responder: WriteResponder,
    private readonly clock: Clock,
  ) {}

  @Get('statements/activities')
  @Roles('steward', 'auditor')
  @ApiOperation({
    operationId: 'AccountabilityController_statementOfActivities',
    summary: 'Statement of activities of a period (ASC 958, cash basis): revenue per class, releases, expenses by function, change in net assets',
  })
  @ApiOkResponse({ type: StatementOfActivitiesListDto })
  @ApiProblems(400, 401, 403)
  async activities(@Query() query: ReportPeriodQueryDto) {
    await this.responder.awaitPosition(query.minPosition);
    return this.queries.execute(new ReadStatementOfActivitiesQuery(query.period));
  }

  @Get('statements/financial-position')
  @Roles('steward', 'auditor')
  @ApiOperation({
    operationId: 'AccountabilityController_statementOfFinancialPosition',
    summary: 'Statement of financial position as of a day (ASC 958, cash basis): cash per fund, loans receivable, net assets per class',
  })
  @ApiOkResponse({ type: FinancialPositionListDto })
  @ApiProblems(400, 401, 403)
  async position(@Query() query: AsOfQueryDto) {
    await this.responder.awaitPosition(query.minPosition);
    return this.queries.execute(new ReadFinancialPositionQuery(query.asOf ?? this.clock.now().toISOString().slice(0, 10)));
  }
}
