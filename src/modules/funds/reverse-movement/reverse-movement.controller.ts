import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CommandOutcome } from '../../../commands/command-runner';
import { Roles } from '../../../http/auth';
import { ApiProblems } from '../../../http/openapi';
import { IdempotencyKeyHeader, Meta, RequestMeta, commandContext } from '../../../http/request-meta';
import { UuidParamPipe } from '../../../http/validation';
import { WriteResponder } from '../../../http/write-responder';
import { Clock } from '../../../shared/clock';
import { MovementResponse } from '../funds-writes';
import { operationId } from '../funds.operations';
import { MovementCreatedDto } from '../funds.responses';
import { ReverseMovementDto } from './reverse-movement.dto';
import { ReverseMovementCommand } from './reverse-movement.handler';

@ApiTags('movements')
@Controller('v1')
export class ReverseMovementController {
  constructor(
    private readonly commands: CommandBus,
    private readonly responder: WriteResponder,
    private readonly clock: Clock,
  ) {}

  @Post('movements/:movementId/reverse')
  @HttpCode(201)
  @Roles('steward')
  @IdempotencyKeyHeader()
  @ApiOperation({ summary: 'Reverse a posted movement once, with a reason, dated in an open period', operationId: operationId('MoveMoneyController', 'reverse') })
  @ApiParam({ name: 'movementId', format: 'uuid' })
  @ApiCreatedResponse({ type: MovementCreatedDto, description: 'A new movement of opposite sign pointing to the original; at most once.' })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  async reverse(
    @Param('movementId', UuidParamPipe) movementId: string,
    @Body() body: ReverseMovementDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const outcome = await this.commands.execute<ReverseMovementCommand, CommandOutcome<MovementResponse>>(
      new ReverseMovementCommand(commandContext(meta, this.clock), movementId, body.reason, body.effectiveAt),
    );
    return this.responder.respond(reply, outcome);
  }
}
