import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../http/auth';
import { ApiProblems } from '../../../http/openapi';
import { PositionQueryDto } from '../../../http/query.dto';
import { WriteResponder } from '../../../http/write-responder';
import { PeriodListDto } from '../ledger.responses';
import { ListPeriodsQuery, PeriodList } from './list-periods.handler';

@ApiTags('periods')
@Controller('v1/periods')
export class ListPeriodsController {
  constructor(
    private readonly queries: QueryBus,
    private readonly responder: WriteResponder,
  ) {}

  @Get()
  @Roles('steward', 'auditor')
  @ApiOperation({
    summary: 'List the closed periods',
    // The operation id the document gave it when one controller served both period routes.
    operationId: 'ClosePeriodController_list',
  })
  @ApiOkResponse({ type: PeriodListDto, description: 'Closed periods, in the order they were closed.' })
  @ApiProblems(400, 401, 403)
  async list(@Query() query: PositionQueryDto): Promise<PeriodList> {
    // minPosition is honoured though periods are no read model, so a client can use one
    // convention on every query.
    await this.responder.awaitPosition(query.minPosition);
    return this.queries.execute(new ListPeriodsQuery());
  }
}
