import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CommandOutcome } from '../../../commands/command-runner';
import { Roles } from '../../../http/auth';
import { ApiProblems } from '../../../http/openapi';
import { IdempotencyKeyHeader, Meta, RequestMeta, commandContext } from '../../../http/request-meta';
import { WriteResponder } from '../../../http/write-responder';
import { Clock } from '../../../shared/clock';
import { WebhookSecrets } from '../delivery/webhook-secrets';
import { WebhookRegisteredDto } from '../webhooks.responses';
import { RegisterWebhookDto } from './register-webhook.dto';
import { RegisterWebhookCommand, WebhookRegistered } from './register-webhook.handler';

@ApiTags('webhooks')
@Controller('v1')
export class RegisterWebhookController {
  constructor(
    private readonly commands: CommandBus,
    private readonly responder: WriteResponder,
    private readonly clock: Clock,
    private readonly secrets: WebhookSecrets,
  ) {}

  @Post('webhooks')
  @HttpCode(201)
  @Roles('steward')
  @IdempotencyKeyHeader()
  @ApiOperation({ summary: 'Register a webhook subscriber: a URL and the event types it receives as signed POSTs' })
  @ApiCreatedResponse({ type: WebhookRegisteredDto, description: 'Registered; events recorded after this one are delivered. The secret is shown in this answer only.' })
  @ApiProblems(400, 401, 403, 409, 422)
  async register(@Body() body: RegisterWebhookDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    const outcome = await this.commands.execute<RegisterWebhookCommand, CommandOutcome<WebhookRegistered>>(
      new RegisterWebhookCommand(commandContext(meta, this.clock), body),
    );
    const answer = await this.responder.respond(reply, outcome);
    void reply.header('cache-control', 'no-store');
    return { ...answer, secret: this.secrets.secretFor(answer.subscriptionId) };
  }
}
