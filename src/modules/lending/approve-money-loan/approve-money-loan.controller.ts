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
import { ApproveMoneyLoanDto } from './approve-money-loan.dto';
import { MoneyLoanDecidedDto } from '../lending.responses';
import { WRITE_PROBLEMS } from '../shared/lending-reads';
import { ApproveMoneyLoanCommand } from './approve-money-loan.handler';

@ApiTags('lending')
@Controller('v1')
export class ApproveMoneyLoanController {
  constructor(
    private readonly commands: CommandBus,
    private readonly responder: WriteResponder,
    private readonly clock: Clock,
  ) {}

  @Post('money-loans/:loanId/approve')
  @HttpCode(201)
  @Roles('steward')
  @IdempotencyKeyHeader()
  // The operation id the one lending controller gave it, so the OpenAPI document stays the same.
  @ApiOperation({ operationId: 'LendingController_approveMoneyLoan', summary: 'Approve a loan from a fund: a steward other than the requester disburses it' })
  @ApiCreatedResponse({ type: MoneyLoanDecidedDto, description: 'Posts fund → loan:<id> and releases the hold; self-approval is 403 LOAN.SELF_APPROVAL.' })
  @ApiProblems(...WRITE_PROBLEMS)
  async approveMoneyLoan(
    @Param('loanId', UuidParamPipe) loanId: string,
    @Body() body: ApproveMoneyLoanDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.responder.respond(reply, await this.commands.execute(new ApproveMoneyLoanCommand(commandContext(meta, this.clock), loanId, body)));
  }
}
