import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../../../http/auth';
import { ApiProblems } from '../../../http/openapi';
import { AsOfQueryDto, DEFAULT_PAGE_SIZE } from '../../../http/query.dto';
import { UuidParamPipe } from '../../../http/validation';
import { WriteResponder } from '../../../http/write-responder';
import { Clock } from '../../../shared/clock';
import type { Actor } from '../../../shared/decider';
import { PLEDGE_ID, SustainersOperation } from '../sustainers-openapi';
import type { PledgeView } from '../sustainers-reads';
import { PledgeDto, PledgeListDto } from '../sustainers.responses';
import { ListPledgesQueryDto } from './list-pledges.dto';
import { GetPledgeQuery, ListPledgesQuery, PledgeList } from './list-pledges.handler';

/** Standing is as of `asOf`, today by default. */
@ApiTags('sustainers')
@Controller('v1')
export class ListPledgesController {
  constructor(
    private readonly queries: QueryBus,
    private readonly responder: WriteResponder,
    private readonly clock: Clock,
  ) {}

  @Get('pledges')
  @Roles('steward', 'auditor', 'sustainer')
  @SustainersOperation('pledges', 'A sustainer\'s pledges with their standing as of a day (a sustainer token: only its own)')
  @ApiOkResponse({ type: PledgeListDto })
  @ApiProblems(400, 401, 403, 404)
  async pledges(@Query() query: ListPledgesQueryDto, @CurrentActor() actor: Actor) {
    await this.responder.awaitPosition(query.minPosition);
    const asOf = query.asOf ?? this.clock.now().toISOString().slice(0, 10);
    return this.queries.execute<ListPledgesQuery, PledgeList>(
      new ListPledgesQuery(actor, query.sustainerId, asOf, { after: query.after, limit: query.limit ?? DEFAULT_PAGE_SIZE }),
    );
  }

  @Get('pledges/:pledgeId')
  @Roles('steward', 'auditor', 'sustainer')
  @SustainersOperation('pledge', 'One pledge: schedule, expected, received, arrears, next due and status as of a day')
  @ApiParam(PLEDGE_ID)
  @ApiOkResponse({ type: PledgeDto })
  @ApiProblems(400, 401, 403, 404)
  async pledge(@Param('pledgeId', UuidParamPipe) pledgeId: string, @Query() query: AsOfQueryDto, @CurrentActor() actor: Actor) {
    await this.responder.awaitPosition(query.minPosition);
    return this.queries.execute<GetPledgeQuery, PledgeView>(new GetPledgeQuery(actor, pledgeId, query.asOf ?? this.clock.now().toISOString().slice(0, 10)));
  }
}
