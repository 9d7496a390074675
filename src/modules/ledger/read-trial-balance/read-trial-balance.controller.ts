import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../http/auth';
import { ApiProblems } from '../../../http/openapi';
import { WriteResponder } from '../../../http/write-responder';
import { checkOneFilter } from '../balances/balance-filters';
import { BalanceQueryDto } from '../balances/balance-query.dto';
import { TrialBalanceDto } from '../ledger.responses';
import { ReadTrialBalanceQuery } from './read-trial-balance.handler';

@ApiTags('balances')
@Controller('v1')
export class ReadTrialBalanceController {
  constructor(
    private readonly queries: QueryBus,
    private readonly responder: WriteResponder,
  ) {}

  @Get('ledger/trial-balance')
  @Roles('steward', 'auditor')
  @ApiOperation({
    summary: "Every account's balance per asset (they sum to zero): now, as of a business day, or at a log position",
    // The operation id the document gave it when balances had one controller.
    operationId: 'BalancesController_trialBalance',
  })
  @ApiOkResponse({ type: TrialBalanceDto })
  @ApiProblems(400, 401, 403)
  async trialBalance(@Query() query: BalanceQueryDto): Promise<TrialBalanceDto> {
    checkOneFilter(query);
    await this.responder.awaitPosition(query.minPosition);
    return this.queries.execute(new ReadTrialBalanceQuery({ asOf: query.asOf, atPosition: query.atPosition }));
  }
}
