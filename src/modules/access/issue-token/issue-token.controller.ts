import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../../../http/auth';
import { ApiProblems } from '../../../http/openapi';
import { IdempotencyKeyHeader, Meta, RequestMeta, commandContext } from '../../../http/request-meta';
import { WriteResponder } from '../../../http/write-responder';
import { Clock } from '../../../shared/clock';
import { IssuedTokenDto } from '../access.responses';
import { IssueTokenDto } from './issue-token.dto';
import { IssueTokenCommand } from './issue-token.handler';

@ApiTags('tokens')
@Controller('v1')
export class IssueTokenController {
  constructor(
    private readonly commands: CommandBus,
    private readonly responder: WriteResponder,
    private readonly clock: Clock,
  ) {}

  @Post('tokens')
  @HttpCode(201)
  @Roles('steward')
  @IdempotencyKeyHeader()
  @ApiOperation({ summary: 'Issue an API token; its secret is in this answer only' })
  @ApiCreatedResponse({ type: IssuedTokenDto })
  @ApiProblems(400, 401, 403, 404, 409, 415, 422, 429)
  async issue(@Body() body: IssueTokenDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    // The secret must never sit in a cache between the service and the steward.
    void reply.header('cache-control', 'no-store');
    return this.responder.respond(reply, await this.commands.execute(new IssueTokenCommand(commandContext(meta, this.clock), body)));
  }
}
