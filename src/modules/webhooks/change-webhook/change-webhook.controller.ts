import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CommandOutcome } from '../../../commands/command-runner';
import { Roles } from '../../../http/auth';
import { ApiProblems } from '../../../http/openapi';
import { IdempotencyKeyHeader, Meta, RequestMeta, commandContext } from '../../../http/request-meta';
import { UuidParamPipe } from '../../../http/validation';
import { WriteResponder } from '../../../http/write-responder';
import { Clock } from '../../../shared/clock';
import { WebhookChangedDto } from '../webhooks.responses';
import { PauseWebhookDto } from './change-webhook.dto';
import { ChangeWebhookCommand, WebhookChange, WebhookChanged } from './change-webhook.handler';

@ApiTags('webhooks')
@Controller('v1/webhooks')
export class ChangeWebhookController {
  constructor(
    private readonly commands: CommandBus,
    private readonly responder: WriteResponder,
    private readonly clock: Clock,
  ) {}

  private async change(id: string, change: WebhookChange, meta: RequestMeta, reply: FastifyReply) {
    const outcome = await this.commands.execute<ChangeWebhookCommand, CommandOutcome<WebhookChanged>>(
      new ChangeWebhookCommand(commandContext(meta, this.clock), id, change),
    );
    return this.responder.respond(reply, outcome);
  }

  @Post(':webhookId/pause')
  @HttpCode(201)
  @Roles('steward')
  @IdempotencyKeyHeader()
  @ApiOperation({ summary: 'Pause a webhook subscriber: deliveries hold at its checkpoint until it is resumed' })
  @ApiParam({ name: 'webhookId', format: 'uuid' })
  @ApiCreatedResponse({ type: WebhookChangedDto })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  pause(@Param('webhookId', UuidParamPipe) id: string, @Body() body: PauseWebhookDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.change(id, { action: 'pause', ...(body.reason ? { reason: body.reason } : {}) }, meta, reply);
  }

  @Post(':webhookId/resume')
  @HttpCode(201)
  @Roles('steward')
  @IdempotencyKeyHeader()
  @ApiOperation({ summary: 'Resume a paused webhook subscriber: it gets everything recorded meanwhile, in order' })
  @ApiParam({ name: 'webhookId', format: 'uuid' })
  @ApiCreatedResponse({ type: WebhookChangedDto })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  resume(@Param('webhookId', UuidParamPipe) id: string, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.change(id, { action: 'resume' }, meta, reply);
  }

  @Post(':webhookId/delete')
  @HttpCode(201)
  @Roles('steward')
  @IdempotencyKeyHeader()
  @ApiOperation({ summary: 'Delete a webhook subscriber: deliveries stop for good (the registration stays in the log)' })
  @ApiParam({ name: 'webhookId', format: 'uuid' })
  @ApiCreatedResponse({ type: WebhookChangedDto })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  remove(@Param('webhookId', UuidParamPipe) id: string, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.change(id, { action: 'delete' }, meta, reply);
  }
}
