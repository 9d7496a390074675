import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../http/auth';
import { ApiProblems } from '../../../http/openapi';
import { PositionQueryDto } from '../../../http/query.dto';
import { UuidParamPipe } from '../../../http/validation';
import { WriteResponder } from '../../../http/write-responder';
import { WebhookDto, WebhookListDto } from '../webhooks.responses';
import { ListWebhooksQueryDto } from './read-webhooks.dto';
import { GetWebhookQuery, ListWebhooksQuery } from './read-webhooks.handler';

@ApiTags('webhooks')
@Controller('v1/webhooks')
export class ReadWebhooksController {
  constructor(
    private readonly queries: QueryBus,
    private readonly responder: WriteResponder,
  ) {}

  @Get()
  @Roles('steward', 'auditor')
  @ApiOperation({ summary: 'Webhook subscribers with their delivery state (checkpoint, lag, failures, next attempt)' })
  @ApiOkResponse({ type: WebhookListDto })
  @ApiProblems(400, 401, 403)
  async list(@Query() query: ListWebhooksQueryDto) {
    await this.responder.awaitPosition(query.minPosition);
    return this.queries.execute(new ListWebhooksQuery(query));
  }

  @Get(':webhookId')
  @Roles('steward', 'auditor')
  @ApiOperation({ summary: 'One webhook subscriber with its delivery state' })
  @ApiParam({ name: 'webhookId', format: 'uuid' })
  @ApiOkResponse({ type: WebhookDto })
  @ApiProblems(400, 401, 403, 404)
  async get(@Param('webhookId', UuidParamPipe) id: string, @Query() query: PositionQueryDto) {
    await this.responder.awaitPosition(query.minPosition);
    return this.queries.execute(new GetWebhookQuery(id));
  }
}
