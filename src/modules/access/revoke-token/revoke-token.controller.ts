import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../../../http/auth';
import { ApiProblems } from '../../../http/openapi';
import { IdempotencyKeyHeader, Meta, RequestMeta, commandContext } from '../../../http/request-meta';
import { UuidParamPipe } from '../../../http/validation';
import { WriteResponder } from '../../../http/write-responder';
import { Clock } from '../../../shared/clock';
import { RevokedTokenDto } from '../access.responses';
import { RevokeTokenDto } from './revoke-token.dto';
import { RevokeTokenCommand } from './revoke-token.handler';

@ApiTags('tokens')
@Controller('v1')
export class RevokeTokenController {
  constructor(
    private readonly commands: CommandBus,
    private readonly responder: WriteResponder,
    private readonly clock: Clock,
  ) {}

  @Post('tokens/:tokenId/revoke')
  @HttpCode(201)
  @Roles('steward')
  @IdempotencyKeyHeader()
  @ApiOperation({ summary: 'Revoke a token' })
  @ApiCreatedResponse({ type: RevokedTokenDto })
  @ApiProblems(400, 401, 403, 404, 409, 415, 422, 429)
  async revoke(
    @Param('tokenId', UuidParamPipe) tokenId: string,
    @Body() body: RevokeTokenDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.responder.respond(reply, await this.commands.execute(new RevokeTokenCommand(commandContext(meta, this.clock), tokenId, body ?? {})));
  }
}
