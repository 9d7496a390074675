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
import { ChangeResourceStatusDto } from './change-resource-status.dto';
import { ResourceStatusChangedDto } from '../lending.responses';
import { WRITE_PROBLEMS } from '../shared/lending-reads';
import { ChangeResourceStatusCommand } from './change-resource-status.handler';

@ApiTags('lending')
@Controller('v1')
export class ChangeResourceStatusController {
  constructor(
    private readonly commands: CommandBus,
    private readonly responder: WriteResponder,
    private readonly clock: Clock,
  ) {}

  @Post('resources/:resourceId/status')
  @HttpCode(201)
  @Roles('steward', 'cooperative')
  @IdempotencyKeyHeader()
  // The operation id the one lending controller gave it, so the OpenAPI document stays the same.
  @ApiOperation({ operationId: 'LendingController_changeResourceStatus', summary: 'Change a resource\'s status (available, in-repair, retired with a reason)' })
  @ApiCreatedResponse({ type: ResourceStatusChangedDto })
  @ApiProblems(...WRITE_PROBLEMS)
  async changeResourceStatus(
    @Param('resourceId', UuidParamPipe) resourceId: string,
    @Body() body: ChangeResourceStatusDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.responder.respond(reply, await this.commands.execute(new ChangeResourceStatusCommand(commandContext(meta, this.clock), resourceId, body)));
  }
}
