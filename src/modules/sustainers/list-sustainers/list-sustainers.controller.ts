import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../../../http/auth';
import { ApiProblems } from '../../../http/openapi';
import { DEFAULT_PAGE_SIZE, PositionQueryDto } from '../../../http/query.dto';
import { UuidParamPipe } from '../../../http/validation';
import { WriteResponder } from '../../../http/write-responder';
import type { Actor } from '../../../shared/decider';
import { SUSTAINER_ID, SustainersOperation } from '../sustainers-openapi';
import type { SustainerView } from '../sustainers-reads';
import { SustainerDto, SustainerListDto } from '../sustainers.responses';
import { ListSustainersQueryDto } from './list-sustainers.dto';
import { GetSustainerQuery, ListSustainersQuery } from './list-sustainers.handler';

/** Every query waits for `minPosition` before reading. */
@ApiTags('sustainers')
@Controller('v1')
export class ListSustainersController {
  constructor(
    private readonly queries: QueryBus,
    private readonly responder: WriteResponder,
  ) {}

  @Get('sustainers')
  @Roles('steward', 'auditor')
  @SustainersOperation('list', 'List sustainers by id')
  @ApiOkResponse({ type: SustainerListDto })
  @ApiProblems(400, 401, 403)
  async list(@Query() query: ListSustainersQueryDto, @CurrentActor() actor: Actor) {
    await this.responder.awaitPosition(query.minPosition);
    return this.queries.execute<ListSustainersQuery, { items: SustainerView[]; next?: string }>(
      new ListSustainersQuery(actor, { after: query.after, limit: query.limit ?? DEFAULT_PAGE_SIZE }),
    );
  }

  @Get('sustainers/:sustainerId')
  @Roles('steward', 'auditor', 'sustainer')
  @SustainersOperation('one', 'One sustainer (a sustainer token: only itself)')
  @ApiParam(SUSTAINER_ID)
  @ApiOkResponse({ type: SustainerDto })
  @ApiProblems(400, 401, 403, 404)
  async one(@Param('sustainerId', UuidParamPipe) sustainerId: string, @Query() query: PositionQueryDto, @CurrentActor() actor: Actor) {
    await this.responder.awaitPosition(query.minPosition);
    return this.queries.execute<GetSustainerQuery, SustainerView>(new GetSustainerQuery(actor, sustainerId));
  }
}
