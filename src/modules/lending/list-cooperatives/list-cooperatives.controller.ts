import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../../../http/auth';
import { ApiProblems } from '../../../http/openapi';
import { PositionQueryDto } from '../../../http/query.dto';
import { UuidParamPipe } from '../../../http/validation';
import { WriteResponder } from '../../../http/write-responder';
import { Actor } from '../../../shared/decider';
import { ListCooperativesQueryDto } from './list-cooperatives.dto';
import { CooperativeDto, CooperativeListDto } from '../lending.responses';
import { READERS, READ_PROBLEMS } from '../shared/lending-reads';
import { GetCooperativeQuery, ListCooperativesQuery } from './list-cooperatives.handler';

// Operation ids are those the one lending controller gave them, so the OpenAPI document stays the same.
@ApiTags('lending')
@Controller('v1')
export class ListCooperativesController {
  constructor(
    private readonly queries: QueryBus,
    private readonly responder: WriteResponder,
  ) {}

  @Get('cooperatives')
  @Roles(...READERS)
  @ApiOperation({ operationId: 'LendingController_listCooperatives', summary: 'List cooperatives by name (a cooperative token: its own only)' })
  @ApiOkResponse({ type: CooperativeListDto })
  @ApiProblems(...READ_PROBLEMS)
  async listCooperatives(@Query() query: ListCooperativesQueryDto, @CurrentActor() actor: Actor) {
    await this.responder.awaitPosition(query.minPosition);
    return this.queries.execute(new ListCooperativesQuery(actor, query));
  }

  @Get('cooperatives/:cooperativeId')
  @Roles(...READERS)
  @ApiOperation({ operationId: 'LendingController_getCooperative', summary: 'One cooperative' })
  @ApiOkResponse({ type: CooperativeDto })
  @ApiProblems(...READ_PROBLEMS, 404)
  async getCooperative(@Param('cooperativeId', UuidParamPipe) cooperativeId: string, @Query() query: PositionQueryDto, @CurrentActor() actor: Actor) {
    await this.responder.awaitPosition(query.minPosition);
    return this.queries.execute(new GetCooperativeQuery(actor, cooperativeId));
  }
}
