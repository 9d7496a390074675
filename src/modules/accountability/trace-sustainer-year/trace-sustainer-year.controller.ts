import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../../../http/auth';
import { ApiProblems } from '../../../http/openapi';
import { UuidParamPipe } from '../../../http/validation';
import { WriteResponder } from '../../../http/write-responder';
import { Clock } from '../../../shared/clock';
import type { Actor } from '../../../shared/decider';
import { SustainerAttributionQueryDto } from '../accountability.dto';
import { AccountabilityErrors } from '../accountability.errors';
import { SustainerAttributionDto } from '../accountability.responses';
import type { SustainerAttribution } from '../attribution/attribution.queries';
import { TraceSustainerYearQuery } from './trace-sustainer-year.handler';

@ApiTags('accountability')
@Controller('v1')
export class TraceSustainerYearController {
  constructor(
    private readonly queries: QueryBus,
    private readonly responder: WriteResponder,
    private readonly clock: Clock,
  ) {}

  private today(): string {
    return this.clock.now().toISOString().slice(0, 10);
  }

  @Get('sustainers/:sustainerId/attribution')
  @Roles('steward', 'auditor')
  @ApiOperation({ operationId: 'AccountabilityController_sustainerAttribution', summary: 'Where a sustainer\'s gifts of a year went, as of a day' })
  @ApiParam({ name: 'sustainerId', format: 'uuid' })
  @ApiOkResponse({ type: SustainerAttributionDto })
  @ApiProblems(400, 401, 403, 404)
  async sustainer(
    @Param('sustainerId', UuidParamPipe) sustainerId: string,
    @Query() query: SustainerAttributionQueryDto,
    @CurrentActor() actor: Actor,
  ): Promise<SustainerAttribution> {
    await this.responder.awaitPosition(query.minPosition);
    return this.queries.execute(new TraceSustainerYearQuery(actor, sustainerId, query.year, query.asOf ?? this.today()));
  }

  @Get('me/attribution')
  @Roles('sustainer')
  @ApiOperation({ operationId: 'AccountabilityController_myAttribution', summary: 'Where the token\'s own gifts of a year went, as of a day' })
  @ApiOkResponse({ type: SustainerAttributionDto })
  @ApiProblems(400, 401, 403, 404)
  async mine(@Query() query: SustainerAttributionQueryDto, @CurrentActor() actor: Actor): Promise<SustainerAttribution> {
    if (!actor.subject) throw AccountabilityErrors.tokenNotBound();
    await this.responder.awaitPosition(query.minPosition);
    return this.queries.execute(new TraceSustainerYearQuery(actor, actor.subject, query.year, query.asOf ?? this.today()));
  }
}
