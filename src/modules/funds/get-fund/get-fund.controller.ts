import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../http/auth';
import { ApiProblems } from '../../../http/openapi';
import { PositionQueryDto } from '../../../http/query.dto';
import { UuidParamPipe } from '../../../http/validation';
import { WriteResponder } from '../../../http/write-responder';
import type { FundView } from '../fund-views/fund-views.projection';
import { operationId } from '../funds.operations';
import { FundViewDto } from '../funds.responses';
import { GetFundQuery } from './get-fund.handler';

@ApiTags('funds')
@Controller('v1/funds')
export class GetFundController {
  constructor(
    private readonly queries: QueryBus,
    private readonly responder: WriteResponder,
  ) {}

  @Get(':fundId')
  @Roles('steward', 'auditor', 'sustainer', 'cooperative')
  @ApiOperation({ summary: 'Show one fund', operationId: operationId('FundsQueryController', 'get') })
  @ApiParam({ name: 'fundId', format: 'uuid' })
  @ApiOkResponse({ type: FundViewDto })
  @ApiProblems(400, 401, 403, 404)
  async get(@Param('fundId', UuidParamPipe) fundId: string, @Query() query: PositionQueryDto): Promise<FundView> {
    await this.responder.awaitPosition(query.minPosition);
    return this.queries.execute(new GetFundQuery(fundId));
  }
}
