import { Body, Controller, HttpCode, Param, Post, Res, applyDecorators } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiCreatedResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
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
import { DecisionDto } from './approve-movement.dto';
import { ApproveMovementCommand } from './approve-movement.handler';

const MOVEMENT_ID = { name: 'movementId', format: 'uuid' } as const;

/**
 * One approval for both kinds of request. The two paths are two methods so that each keeps the
 * operation id the document gave it; both send the same command.
 */
function ApproveOperation(path: 'transfers' | 'disbursements', index: 0 | 1): MethodDecorator {
  return applyDecorators(
    Post(`${path}/:movementId/approve`),
    HttpCode(201),
    Roles('steward'),
    IdempotencyKeyHeader(),
    ApiOperation({
      summary: 'Approve a pending transfer or disbursement (another steward than the requester), optionally dated after the fact',
      operationId: operationId('MoveMoneyController', `approve[${index}]`),
    }),
    ApiParam(MOVEMENT_ID),
    ApiBody({ type: DecisionDto, required: false }),
    ApiCreatedResponse({ type: MovementCreatedDto, description: 'The movement is posted; the postings keep its own business date.' }),
    ApiProblems(400, 401, 403, 404, 409, 422),
  );
}

@ApiTags('movements')
@Controller('v1')
export class ApproveMovementController {
  constructor(
    private readonly commands: CommandBus,
    private readonly responder: WriteResponder,
    private readonly clock: Clock,
  ) {}

  @ApproveOperation('transfers', 0)
  approveTransfer(
    @Param('movementId', UuidParamPipe) movementId: string,
    @Body() body: DecisionDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.approve(movementId, body, meta, reply);
  }

  @ApproveOperation('disbursements', 1)
  approveDisbursement(
    @Param('movementId', UuidParamPipe) movementId: string,
    @Body() body: DecisionDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.approve(movementId, body, meta, reply);
  }

  private async approve(movementId: string, body: DecisionDto | undefined, meta: RequestMeta, reply: FastifyReply) {
    const outcome = await this.commands.execute<ApproveMovementCommand, CommandOutcome<MovementResponse>>(
      new ApproveMovementCommand(commandContext(meta, this.clock), movementId, body?.effectiveAt),
    );
    return this.responder.respond(reply, outcome);
  }
}
