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
import { LabourLimitDto } from './set-labour-limit.dto';
import { LabourLimitSetDto } from '../lending.responses';
import { WRITE_PROBLEMS } from '../shared/lending-reads';
import { SetLabourLimitCommand } from './set-labour-limit.handler';

@ApiTags('lending')
@Controller('v1')
export class SetLabourLimitController {
  constructor(
    private readonly commands: CommandBus,
    private readonly responder: WriteResponder,
    private readonly clock: Clock,
  ) {}

  @Post('cooperatives/:cooperativeId/labour-limit')
  @HttpCode(201)
  @Roles('steward')
  @IdempotencyKeyHeader()
  // The operation id the one lending controller gave it, so the OpenAPI document stays the same.
  @ApiOperation({ operationId: 'LendingController_labourLimit', summary: 'Set the labour-hour limit past which a cooperative is flagged' })
  @ApiCreatedResponse({ type: LabourLimitSetDto, description: 'The labour-hour balance past which the cooperative is flagged (not blocked).' })
  @ApiProblems(...WRITE_PROBLEMS)
  async labourLimit(
    @Param('cooperativeId', UuidParamPipe) cooperativeId: string,
    @Body() body: LabourLimitDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.responder.respond(reply, await this.commands.execute(new SetLabourLimitCommand(commandContext(meta, this.clock), cooperativeId, body)));
  }
}
