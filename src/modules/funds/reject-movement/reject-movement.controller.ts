import { Body, Controller, HttpCode, Param, Post, Res, applyDecorators } from '@nestjs/common';
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
import { RejectMovementDto } from './reject-movement.dto';
import { RejectMovementCommand } from './reject-movement.handler';

const MOVEMENT_ID = { name: 'movementId', format: 'uuid' } as const;

/** One rejection for both kinds of request; two methods so each path keeps its operation id. */
function RejectOperation(path: 'transfers' | 'disbursements', index: 0 | 1): MethodDecorator {
  return applyDecorators(
    Post(`${path}/:movementId/reject`),
    HttpCode(201),
    Roles('steward'),
    IdempotencyKeyHeader(),
    ApiOperation({ summary: 'Reject a pending transfer or disbursement, releasing what it held', operationId: operationId('MoveMoneyController', `reject[${index}]`) }),
    ApiParam(MOVEMENT_ID),
    ApiCreatedResponse({ type: MovementCreatedDto }),
    ApiProblems(400, 401, 403, 404, 409, 422),
  );
}

@ApiTags('movements')
@Controller('v1')
export class RejectMovementController {
  constructor(
    private readonly commands: CommandBus,
    private readonly responder: WriteResponder,
    private readonly clock: Clock,
  ) {}

  @RejectOperation('transfers', 0)
  rejectTransfer(
    @Param('movementId', UuidParamPipe) movementId: string,
    @Body() body: RejectMovementDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.reject(movementId, body, meta, reply);
  }

  @RejectOperation('disbursements', 1)
  rejectDisbursement(
    @Param('movementId', UuidParamPipe) movementId: string,
    @Body() body: RejectMovementDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.reject(movementId, body, meta, reply);
  }

  private async reject(movementId: string, body: RejectMovementDto, meta: RequestMeta, reply: FastifyReply) {
    const outcome = await this.commands.execute<RejectMovementCommand, CommandOutcome<MovementResponse>>(
      new RejectMovementCommand(commandContext(meta, this.clock), movementId, body.reason, body.effectiveAt),
    );
    return this.responder.respond(reply, outcome);
  }
}
