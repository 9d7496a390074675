import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../../../http/auth';
import { ApiProblems } from '../../../http/openapi';
import { AsOfQueryDto } from '../../../http/query.dto';
import { UuidParamPipe } from '../../../http/validation';
import { WriteResponder } from '../../../http/write-responder';
import { Clock } from '../../../shared/clock';
import type { Actor } from '../../../shared/decider';
import { AccountabilityErrors } from '../accountability.errors';
import { GiftTraceDto } from '../accountability.responses';
import type { GiftTrace } from '../attribution/attribution.queries';
import { TraceGiftQuery } from './trace-gift.handler';

const DONATION_ID = { name: 'donationId', format: 'uuid' } as const;

@ApiTags('accountability')
@Controller('v1')
export class TraceGiftController {
  constructor(
    private readonly queries: QueryBus,
    private readonly responder: WriteResponder,
    private readonly clock: Clock,
  ) {}

  private today(): string {
    return this.clock.now().toISOString().slice(0, 10);
  }

  @Get('donations/:donationId/attribution')
  @Roles('steward', 'auditor')
  @ApiOperation({ operationId: 'AccountabilityController_giftAttribution', summary: 'Where one gift went, as of a day: what it paid for, what is on loan, what is still in which fund' })
  @ApiParam(DONATION_ID)
  @ApiOkResponse({ type: GiftTraceDto })
  @ApiProblems(400, 401, 403, 404)
  async gift(@Param('donationId', UuidParamPipe) donationId: string, @Query() query: AsOfQueryDto, @CurrentActor() actor: Actor): Promise<GiftTrace> {
    await this.responder.awaitPosition(query.minPosition);
    return this.queries.execute(new TraceGiftQuery(actor, donationId, query.asOf ?? this.today()));
  }

  @Get('me/donations/:donationId/attribution')
  @Roles('sustainer')
  @ApiOperation({ operationId: 'AccountabilityController_myGiftAttribution', summary: 'Where one of the token\'s own gifts went, as of a day' })
  @ApiParam(DONATION_ID)
  @ApiOkResponse({ type: GiftTraceDto })
  @ApiProblems(400, 401, 403, 404)
  async myGift(@Param('donationId', UuidParamPipe) donationId: string, @Query() query: AsOfQueryDto, @CurrentActor() actor: Actor): Promise<GiftTrace> {
    if (!actor.subject) throw AccountabilityErrors.tokenNotBound();
    await this.responder.awaitPosition(query.minPosition);
    return this.queries.execute(new TraceGiftQuery(actor, donationId, query.asOf ?? this.today()));
  }
}
