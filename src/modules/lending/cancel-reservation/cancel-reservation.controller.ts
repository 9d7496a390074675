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
import { CancelReservationDto } from './cancel-reservation.dto';
import { ThingLoanDecisionDto } from '../lending.responses';
import { WRITE_PROBLEMS } from '../shared/lending-reads';
import { CancelReservationCommand } from './cancel-reservation.handler';

@ApiTags('lending')
@Controller('v1')
export class CancelReservationController {
  constructor(
    private readonly commands: CommandBus,
    private readonly responder: WriteResponder,
    private readonly clock: Clock,
  ) {}

  @Post('loans/:loanId/cancel')
  @HttpCode(201)
  @Roles('steward', 'cooperative')
  @IdempotencyKeyHeader()
  // The operation id the one lending controller gave it, so the OpenAPI document stays the same.
  @ApiOperation({ operationId: 'LendingController_cancelReservation', summary: 'Cancel a reservation not yet checked out, with a reason' })
  @ApiCreatedResponse({ type: ThingLoanDecisionDto, description: 'The borrower, the owner or a steward cancels; its days are free again.' })
  @ApiProblems(...WRITE_PROBLEMS)
  async cancelReservation(
    @Param('loanId', UuidParamPipe) loanId: string,
    @Body() body: CancelReservationDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.responder.respond(reply, await this.commands.execute(new CancelReservationCommand(commandContext(meta, this.clock), loanId, body)));
  }
}
