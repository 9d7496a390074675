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
import { RequestDisbursementDto } from './request-disbursement.dto';
import { RequestDisbursementCommand } from './request-disbursement.handler';

@ApiTags('movements')
@Controller('v1')
export class RequestDisbursementController {
  constructor(
    private readonly commands: CommandBus,
    private readonly responder: WriteResponder,
    private readonly clock: Clock,
  ) {}

  @Post('disbursements')
  @HttpCode(201)
  @Roles('steward')
  @IdempotencyKeyHeader()
  @ApiOperation({ summary: 'Request a disbursement (spending) from a fund', operationId: operationId('MoveMoneyController', 'requestDisbursement') })
  @ApiCreatedResponse({ type: MovementCreatedDto, description: 'A spending request awaiting approval by another steward.' })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  async requestDisbursement(@Body() body: RequestDisbursementDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    const outcome = await this.commands.execute<RequestDisbursementCommand, CommandOutcome<MovementResponse>>(
      new RequestDisbursementCommand(commandContext(meta, this.clock), body),
    );
    return this.responder.respond(reply, outcome);
  }
}
