import { Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../../../http/auth';
import { ApiProblems } from '../../../http/openapi';
import { IdempotencyKeyHeader, Meta, RequestMeta, commandContext } from '../../../http/request-meta';
import { UuidParamPipe } from '../../../http/validation';
import { WriteResponder } from '../../../http/write-responder';
import { Clock } from '../../../shared/clock';
import { LabourExchangeCreatedDto } from '../lending.responses';
import { WRITE_PROBLEMS } from '../shared/lending-reads';
import { ConfirmLabourExchangeCommand } from './confirm-labour-exchange.handler';

@ApiTags('lending')
@Controller('v1')
export class ConfirmLabourExchangeController {
  constructor(
    private readonly commands: CommandBus,
    private readonly responder: WriteResponder,
    private readonly clock: Clock,
  ) {}

  @Post('labour-exchanges/:exchangeId/confirm')
  @HttpCode(201)
  @Roles('cooperative')
  @IdempotencyKeyHeader()
  // The operation id the one lending controller gave it, so the OpenAPI document stays the same.
  @ApiOperation({ operationId: 'LendingController_confirmHours', summary: 'Confirm proposed hours (the counterpart); the minutes post on the day worked' })
  @ApiCreatedResponse({ type: LabourExchangeCreatedDto, description: 'Posts a zero-sum transfer of minutes (LABOUR.COUNTERPART_CONFIRMATION_REQUIRED for the proposer).' })
  @ApiProblems(...WRITE_PROBLEMS)
  async confirmHours(
    @Param('exchangeId', UuidParamPipe) exchangeId: string,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.responder.respond(reply, await this.commands.execute(new ConfirmLabourExchangeCommand(commandContext(meta, this.clock), exchangeId)));
  }
}
