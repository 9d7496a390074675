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
import { RotatedTokenDto } from '../access.responses';
import { RotateTokenDto } from './rotate-token.dto';
import { RotateTokenCommand } from './rotate-token.handler';

@ApiTags('tokens')
@Controller('v1')
export class RotateTokenController {
  constructor(
    private readonly commands: CommandBus,
    private readonly responder: WriteResponder,
    private readonly clock: Clock,
  ) {}

  @Post('tokens/:tokenId/rotate')
  @HttpCode(201)
  @Roles('steward')
  @IdempotencyKeyHeader()
  @ApiOperation({ summary: 'Rotate a token: a new secret (new token id), the old token revoked at once' })
  @ApiCreatedResponse({ type: RotatedTokenDto })
  @ApiProblems(400, 401, 403, 404, 409, 415, 422, 429)
  async rotate(
    @Param('tokenId', UuidParamPipe) tokenId: string,
    @Body() body: RotateTokenDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    void reply.header('cache-control', 'no-store');
    return this.responder.respond(reply, await this.commands.execute(new RotateTokenCommand(commandContext(meta, this.clock), tokenId, body ?? {})));
  }
}
