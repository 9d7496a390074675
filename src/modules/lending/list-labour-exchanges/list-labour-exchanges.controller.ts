import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../../../http/auth';
import { ApiProblems } from '../../../http/openapi';
import { WriteResponder } from '../../../http/write-responder';
import { Actor } from '../../../shared/decider';
import { AsOfCooperativeQueryDto } from '../shared/lending-dto-rules';
import { LabourExchangeListDto } from '../lending.responses';
import { READERS, READ_PROBLEMS } from '../shared/lending-reads';
import { ListLabourExchangesQuery } from './list-labour-exchanges.handler';

@ApiTags('lending')
@Controller('v1')
export class ListLabourExchangesController {
  constructor(
    private readonly queries: QueryBus,
    private readonly responder: WriteResponder,
  ) {}

  @Get('labour-exchanges')
  @Roles(...READERS)
  // The operation id the one lending controller gave it, so the OpenAPI document stays the same.
  @ApiOperation({ operationId: 'LendingController_listLabourExchanges', summary: 'Labour exchanges worked on or before a day (a cooperative token: its own)' })
  @ApiOkResponse({ type: LabourExchangeListDto })
  @ApiProblems(...READ_PROBLEMS)
  async listLabourExchanges(@Query() query: AsOfCooperativeQueryDto, @CurrentActor() actor: Actor) {
    await this.responder.awaitPosition(query.minPosition);
    return this.queries.execute(new ListLabourExchangesQuery(actor, query));
  }
}
