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
import { MovementResponse } from '../funds-writes';
import { operationId } from '../funds.operations';
import { MovementCreatedDto } from '../funds.responses';
import { RequestTransferDto } from './request-transfer.dto';
import { RequestTransferCommand } from './request-transfer.handler';

@ApiTags('movements')
@Controller('v1')
export class RequestTransferController {
  constructor(
    private readonly commands: CommandBus,
    private readonly responder: WriteResponder,
    private readonly clock: Clock,
  ) {}

  @Post('transfers')
  @HttpCode(201)
  @Roles('steward')
  @IdempotencyKeyHeader()
  @ApiOperation({ summary: 'Request a transfer between two funds (held until another steward approves)', operationId: operationId('MoveMoneyController', 'requestTransfer') })
  @ApiCreatedResponse({ type: MovementCreatedDto, description: 'A pending transfer holding the amount on the source fund.' })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  async requestTransfer(@Body() body: RequestTransferDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    const outcome = await this.commands.execute<RequestTransferCommand, CommandOutcome<MovementResponse>>(
      new RequestTransferCommand(commandContext(meta, this.clock), body),
    );
    return this.responder.respond(reply, outcome);
  }
}
