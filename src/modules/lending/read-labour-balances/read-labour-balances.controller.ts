import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../../../http/auth';
import { ApiProblems } from '../../../http/openapi';
import { WriteResponder } from '../../../http/write-responder';
import { Actor } from '../../../shared/decider';
import { AsOfCooperativeQueryDto } from '../shared/lending-dto-rules';
import { LabourBalanceListDto } from '../lending.responses';
import { READERS, READ_PROBLEMS } from '../shared/lending-reads';
import { ReadLabourBalancesQuery } from './read-labour-balances.handler';

@ApiTags('lending')
@Controller('v1')
export class ReadLabourBalancesController {
  constructor(
    private readonly queries: QueryBus,
    private readonly responder: WriteResponder,
  ) {}

  @Get('labour-balances')
  @Roles(...READERS)
  // The operation id the one lending controller gave it, so the OpenAPI document stays the same.
  @ApiOperation({ operationId: 'LendingController_labourBalances', summary: 'Labour-hour balances in minutes as of a day, with limits and flags (a cooperative token: its own)' })
  @ApiOkResponse({ type: LabourBalanceListDto })
  @ApiProblems(...READ_PROBLEMS)
  async labourBalances(@Query() query: AsOfCooperativeQueryDto, @CurrentActor() actor: Actor) {
    await this.responder.awaitPosition(query.minPosition);
    return this.queries.execute(new ReadLabourBalancesQuery(actor, query));
  }
}
