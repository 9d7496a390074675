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
import { WaiveChargeDto } from './waive-charge.dto';
import { ThingLoanDecisionDto } from '../lending.responses';
import { WRITE_PROBLEMS } from '../shared/lending-reads';
import { WaiveChargeCommand } from './waive-charge.handler';

@ApiTags('lending')
@Controller('v1')
export class WaiveChargeController {
  constructor(
    private readonly commands: CommandBus,
    private readonly responder: WriteResponder,
    private readonly clock: Clock,
  ) {}

  @Post('loans/:loanId/waive')
  @HttpCode(201)
  @Roles('steward', 'cooperative')
  @IdempotencyKeyHeader()
  // The operation id the one lending controller gave it, so the OpenAPI document stays the same.
  @ApiOperation({ operationId: 'LendingController_waive', summary: 'Waive the deposit or the fee of a loan that has not ended, with a reason' })
  @ApiCreatedResponse({ type: ThingLoanDecisionDto, description: 'The owner (or a steward) waives.' })
  @ApiProblems(...WRITE_PROBLEMS)
  async waive(
    @Param('loanId', UuidParamPipe) loanId: string,
    @Body() body: WaiveChargeDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.responder.respond(reply, await this.commands.execute(new WaiveChargeCommand(commandContext(meta, this.clock), loanId, body)));
  }
}
