import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../../../http/auth';
import { ApiProblems } from '../../../http/openapi';
import { DEFAULT_PAGE_SIZE, PositionQueryDto } from '../../../http/query.dto';
import { UuidParamPipe } from '../../../http/validation';
import { WriteResponder } from '../../../http/write-responder';
import type { Actor } from '../../../shared/decider';
import { DONATION_ID, SustainersOperation } from '../sustainers-openapi';
import type { DonationView } from '../sustainers-reads';
import { DonationDto, DonationListDto } from '../sustainers.responses';
import { ListDonationsQueryDto } from './list-donations.dto';
import { DonationList, GetDonationQuery, ListDonationsQuery } from './list-donations.handler';

@ApiTags('sustainers')
@Controller('v1')
export class ListDonationsController {
  constructor(
    private readonly queries: QueryBus,
    private readonly responder: WriteResponder,
  ) {}

  @Get('donations')
  @Roles('steward', 'auditor')
  @SustainersOperation('donations', 'Gifts by day received, optionally of one sustainer, fund or year')
  @ApiOkResponse({ type: DonationListDto })
  @ApiProblems(400, 401, 403, 404)
  async donations(@Query() query: ListDonationsQueryDto, @CurrentActor() actor: Actor) {
    await this.responder.awaitPosition(query.minPosition);
    const { minPosition: _wait, ...filter } = query;
    return this.queries.execute<ListDonationsQuery, DonationList>(new ListDonationsQuery(actor, { ...filter, limit: query.limit ?? DEFAULT_PAGE_SIZE }));
  }

  @Get('donations/:donationId')
  @Roles('steward', 'auditor')
  @SustainersOperation('donation', 'One gift')
  @ApiParam(DONATION_ID)
  @ApiOkResponse({ type: DonationDto })
  @ApiProblems(400, 401, 403, 404)
  async donation(@Param('donationId', UuidParamPipe) donationId: string, @Query() query: PositionQueryDto, @CurrentActor() actor: Actor) {
    await this.responder.awaitPosition(query.minPosition);
    return this.queries.execute<GetDonationQuery, DonationView>(new GetDonationQuery(actor, donationId));
  }
}
