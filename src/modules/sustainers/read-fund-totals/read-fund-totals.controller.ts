import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../http/auth';
import { ApiProblems } from '../../../http/openapi';
import { WriteResponder } from '../../../http/write-responder';
import { SustainersOperation } from '../sustainers-openapi';
import { FundTotalsDto } from '../sustainers.responses';
import { FundTotalsQueryDto } from './read-fund-totals.dto';
import { FundTotals, ReadFundTotalsQuery } from './read-fund-totals.handler';

@ApiTags('sustainers')
@Controller('v1')
export class ReadFundTotalsController {
  constructor(
    private readonly queries: QueryBus,
    private readonly responder: WriteResponder,
  ) {}

  @Get('fund-totals')
  @Roles('steward', 'auditor')
  @SustainersOperation('fundTotals', 'Raised per fund and month, quarter or year, with what pledges promised apart')
  @ApiOkResponse({ type: FundTotalsDto })
  @ApiProblems(400, 401, 403)
  async fundTotals(@Query() query: FundTotalsQueryDto) {
    await this.responder.awaitPosition(query.minPosition);
    return this.queries.execute<ReadFundTotalsQuery, FundTotals>(new ReadFundTotalsQuery(query.year, query.by ?? 'month'));
  }
}
