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
import { RecordIncomeDto } from './record-income.dto';
import { RecordIncomeCommand } from './record-income.handler';

@ApiTags('movements')
@Controller('v1')
export class RecordIncomeController {
  constructor(
    private readonly commands: CommandBus,
    private readonly responder: WriteResponder,
    private readonly clock: Clock,
  ) {}

  @Post('income')
  @HttpCode(201)
  @Roles('steward')
  @IdempotencyKeyHeader()
  @ApiOperation({ summary: 'Record income received into a fund (posted at once)', operationId: operationId('MoveMoneyController', 'recordIncome') })
  @ApiCreatedResponse({ type: MovementCreatedDto, description: 'Money received from outside (a grant, an opening balance, interest), posted at once.' })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  async recordIncome(@Body() body: RecordIncomeDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    const outcome = await this.commands.execute<RecordIncomeCommand, CommandOutcome<MovementResponse>>(
      new RecordIncomeCommand(commandContext(meta, this.clock), body),
    );
    return this.responder.respond(reply, outcome);
  }
}
