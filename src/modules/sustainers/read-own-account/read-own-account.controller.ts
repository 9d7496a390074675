import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentActor, Roles } from '../../../http/auth';
import { ApiCsvOk, ApiProblems } from '../../../http/openapi';
import { AsOfQueryDto, DEFAULT_PAGE_SIZE, PositionQueryDto } from '../../../http/query.dto';
import { UuidParamPipe } from '../../../http/validation';
import { WriteResponder } from '../../../http/write-responder';
import { Clock } from '../../../shared/clock';
import type { Actor } from '../../../shared/decider';
import { MyDonationsQueryDto } from '../list-donations/list-donations.dto';
import { DonationList, ListDonationsQuery } from '../list-donations/list-donations.handler';
import { MyPledgesQueryDto } from '../list-pledges/list-pledges.dto';
import { GetPledgeQuery, ListPledgesQuery, PledgeList } from '../list-pledges/list-pledges.handler';
import { GetSustainerQuery } from '../list-sustainers/list-sustainers.handler';
import { StatementQueryDto } from '../read-statement/read-statement.dto';
import { ReadStatementQuery } from '../read-statement/read-statement.handler';
import type { Statement } from '../read-statement/statement';
import { renderStatement } from '../read-statement/statement-csv';
import { SustainerErrors } from '../sustainers.errors';
import { PLEDGE_ID, SustainersOperation } from '../sustainers-openapi';
import type { PledgeView, SustainerView } from '../sustainers-reads';
import { DonationListDto, PledgeDto, PledgeListDto, SustainerDto, StatementDto } from '../sustainers.responses';

/**
 * The sustainer's own view: the same queries as the stewards' routes, asked for the sustainer the
 * token is bound to, so one visibility rule answers both.
 */
@ApiTags('sustainers')
@Controller('v1')
export class ReadOwnAccountController {
  constructor(
    private readonly queries: QueryBus,
    private readonly responder: WriteResponder,
    private readonly clock: Clock,
  ) {}

  private today(): string {
    return this.clock.now().toISOString().slice(0, 10);
  }

  private me(actor: Actor): string {
    if (!actor.subject) throw SustainerErrors.tokenNotBound();
    return actor.subject;
  }

  @Get('me')
  @Roles('sustainer')
  @SustainersOperation('whoAmI', 'The token\'s own sustainer')
  @ApiOkResponse({ type: SustainerDto })
  @ApiProblems(400, 401, 403, 404)
  async whoAmI(@Query() query: PositionQueryDto, @CurrentActor() actor: Actor) {
    await this.responder.awaitPosition(query.minPosition);
    return this.queries.execute<GetSustainerQuery, SustainerView>(new GetSustainerQuery(actor, this.me(actor)));
  }

  @Get('me/pledges')
  @Roles('sustainer')
  @SustainersOperation('myPledges', 'The token\'s own pledges as of a day')
  @ApiOkResponse({ type: PledgeListDto })
  @ApiProblems(400, 401, 403, 404)
  async myPledges(@Query() query: MyPledgesQueryDto, @CurrentActor() actor: Actor) {
    await this.responder.awaitPosition(query.minPosition);
    return this.queries.execute<ListPledgesQuery, PledgeList>(
      new ListPledgesQuery(actor, this.me(actor), query.asOf ?? this.today(), { after: query.after, limit: query.limit ?? DEFAULT_PAGE_SIZE }),
    );
  }

  @Get('me/pledges/:pledgeId')
  @Roles('sustainer')
  @SustainersOperation('myPledge', 'One of the token\'s own pledges as of a day')
  @ApiParam(PLEDGE_ID)
  @ApiOkResponse({ type: PledgeDto })
  @ApiProblems(400, 401, 403, 404)
  async myPledge(@Param('pledgeId', UuidParamPipe) pledgeId: string, @Query() query: AsOfQueryDto, @CurrentActor() actor: Actor) {
    await this.responder.awaitPosition(query.minPosition);
    return this.queries.execute<GetPledgeQuery, PledgeView>(new GetPledgeQuery(actor, pledgeId, query.asOf ?? this.today()));
  }

  @Get('me/donations')
  @Roles('sustainer')
  @SustainersOperation('myDonations', 'The token\'s own gifts by day received')
  @ApiOkResponse({ type: DonationListDto })
  @ApiProblems(400, 401, 403, 404)
  async myDonations(@Query() query: MyDonationsQueryDto, @CurrentActor() actor: Actor) {
    await this.responder.awaitPosition(query.minPosition);
    return this.queries.execute<ListDonationsQuery, DonationList>(
      new ListDonationsQuery(actor, { sustainerId: this.me(actor), year: query.year, after: query.after, limit: query.limit ?? DEFAULT_PAGE_SIZE }),
    );
  }

  @Get('me/statement')
  @Roles('sustainer')
  @SustainersOperation('myStatement', 'The token\'s own statement of the year (JSON or CSV)')
  @ApiCsvOk({ type: StatementDto, description: 'As `GET /v1/sustainers/{sustainerId}/statement`.' })
  @ApiProblems(400, 401, 403, 404)
  async myStatement(@Query() query: StatementQueryDto, @CurrentActor() actor: Actor, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    await this.responder.awaitPosition(query.minPosition);
    const statement = await this.queries.execute<ReadStatementQuery, Statement>(new ReadStatementQuery(actor, this.me(actor), query.year));
    return renderStatement(statement, accept, reply, `statement-${query.year}`);
  }
}
