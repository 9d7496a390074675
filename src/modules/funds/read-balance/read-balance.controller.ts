import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../http/auth';
import { ApiProblems } from '../../../http/openapi';
import { UuidParamPipe } from '../../../http/validation';
import { WriteResponder } from '../../../http/write-responder';
import { BalanceQueryDto, checkOneFilter } from '../../ledger';
import { operationId } from '../funds.operations';
import { BalanceDto } from '../funds.responses';
import { ReadBalanceQuery } from './read-balance.handler';

@ApiTags('balances')
@Controller('v1')
export class ReadBalanceController {
  constructor(
    private readonly queries: QueryBus,
    private readonly responder: WriteResponder,
  ) {}

  @Get('funds/:fundId/balance')
  @Roles('steward', 'auditor')
  @ApiOperation({
    summary: "A fund's posted, pending and available balance: now, as of a business day, or at a log position",
    operationId: operationId('BalancesController', 'balance'),
  })
  @ApiParam({ name: 'fundId', format: 'uuid' })
  @ApiOkResponse({ type: BalanceDto, description: 'postedMinor, pendingMinor, availableMinor; with asOf or atPosition, what they were then.' })
  @ApiProblems(400, 401, 403, 404)
  async balance(@Param('fundId', UuidParamPipe) fundId: string, @Query() query: BalanceQueryDto): Promise<BalanceDto> {
    checkOneFilter(query);
    await this.responder.awaitPosition(query.minPosition);
    return this.queries.execute(new ReadBalanceQuery(fundId, { asOf: query.asOf, atPosition: query.atPosition }));
  }
}
