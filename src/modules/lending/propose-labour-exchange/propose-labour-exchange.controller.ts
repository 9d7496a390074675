import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../../../http/auth';
import { ApiProblems } from '../../../http/openapi';
import { IdempotencyKeyHeader, Meta, RequestMeta, commandContext } from '../../../http/request-meta';
import { WriteResponder } from '../../../http/write-responder';
import { Clock } from '../../../shared/clock';
import { ProposeHoursDto } from './propose-labour-exchange.dto';
import { LabourExchangeCreatedDto } from '../lending.responses';
import { WRITE_PROBLEMS } from '../shared/lending-reads';
import { ProposeLabourExchangeCommand } from './propose-labour-exchange.handler';

@ApiTags('lending')
@Controller('v1')
export class ProposeLabourExchangeController {
  constructor(
    private readonly commands: CommandBus,
    private readonly responder: WriteResponder,
    private readonly clock: Clock,
  ) {}

  @Post('labour-exchanges')
  @HttpCode(201)
  @Roles('cooperative')
  @IdempotencyKeyHeader()
  // The operation id the one lending controller gave it, so the OpenAPI document stays the same.
  @ApiOperation({ operationId: 'LendingController_proposeHours', summary: 'Propose hours one cooperative worked for another' })
  @ApiCreatedResponse({ type: LabourExchangeCreatedDto, description: 'One side proposes hours it gave or received; nothing posts until the other side confirms.' })
  @ApiProblems(...WRITE_PROBLEMS)
  async proposeHours(
    @Body() body: ProposeHoursDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.responder.respond(reply, await this.commands.execute(new ProposeLabourExchangeCommand(commandContext(meta, this.clock), body)));
  }
}
