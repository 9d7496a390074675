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
import { LendingReasonDto } from './reject-money-loan.dto';
import { MoneyLoanDecidedDto } from '../lending.responses';
import { WRITE_PROBLEMS } from '../shared/lending-reads';
import { RejectMoneyLoanCommand } from './reject-money-loan.handler';

@ApiTags('lending')
@Controller('v1')
export class RejectMoneyLoanController {
  constructor(
    private readonly commands: CommandBus,
    private readonly responder: WriteResponder,
    private readonly clock: Clock,
  ) {}

  @Post('money-loans/:loanId/reject')
  @HttpCode(201)
  @Roles('steward')
  @IdempotencyKeyHeader()
  // The operation id the one lending controller gave it, so the OpenAPI document stays the same.
  @ApiOperation({ operationId: 'LendingController_rejectMoneyLoan', summary: 'Reject a loan from a fund awaiting approval; its hold is released' })
  @ApiCreatedResponse({ type: MoneyLoanDecidedDto })
  @ApiProblems(...WRITE_PROBLEMS)
  async rejectMoneyLoan(
    @Param('loanId', UuidParamPipe) loanId: string,
    @Body() body: LendingReasonDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.responder.respond(reply, await this.commands.execute(new RejectMoneyLoanCommand(commandContext(meta, this.clock), loanId, body)));
  }
}
