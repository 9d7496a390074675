import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../../../http/auth';
import { ApiProblems } from '../../../http/openapi';
import { PositionQueryDto } from '../../../http/query.dto';
import { UuidParamPipe } from '../../../http/validation';
import { WriteResponder } from '../../../http/write-responder';
import { Actor } from '../../../shared/decider';
import { ListResourcesQueryDto } from './list-resources.dto';
import { ResourceDto, ResourceListDto } from '../lending.responses';
import { READERS, READ_PROBLEMS } from '../shared/lending-reads';
import { GetResourceQuery, ListResourcesQuery } from './list-resources.handler';

// Operation ids are those the one lending controller gave them, so the OpenAPI document stays the same.
@ApiTags('lending')
@Controller('v1')
export class ListResourcesController {
  constructor(
    private readonly queries: QueryBus,
    private readonly responder: WriteResponder,
  ) {}

  @Get('resources')
  @Roles(...READERS)
  @ApiOperation({ operationId: 'LendingController_listResources', summary: 'Shared resources, in registration order' })
  @ApiOkResponse({ type: ResourceListDto })
  @ApiProblems(...READ_PROBLEMS)
  async listResources(@Query() query: ListResourcesQueryDto, @CurrentActor() actor: Actor) {
    await this.responder.awaitPosition(query.minPosition);
    return this.queries.execute(new ListResourcesQuery(actor, query));
  }

  @Get('resources/:resourceId')
  @Roles(...READERS)
  @ApiOperation({ operationId: 'LendingController_getResource', summary: 'One resource' })
  @ApiOkResponse({ type: ResourceDto })
  @ApiProblems(...READ_PROBLEMS, 404)
  async getResource(@Param('resourceId', UuidParamPipe) resourceId: string, @Query() query: PositionQueryDto, @CurrentActor() actor: Actor) {
    await this.responder.awaitPosition(query.minPosition);
    return this.queries.execute(new GetResourceQuery(actor, resourceId));
  }
}
