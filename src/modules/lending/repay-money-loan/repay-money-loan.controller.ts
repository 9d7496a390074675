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
import { RepayMoneyLoanDto } from './repay-money-loan.dto';
import { MoneyLoanEntryDto } from '../lending.responses';
import { WRITE_PROBLEMS } from '../shared/lending-reads';
import { RepayMoneyLoanCommand } from './repay-money-loan.handler';

@ApiTags('lending')
@Controller('v1')
export class RepayMoneyLoanController {
  constructor(
    private readonly commands: CommandBus,
    private readonly responder: WriteResponder,
    private readonly clock: Clock,
  ) {}

  @Post('money-loans/:loanId/repayments')
  @HttpCode(201)
  @Roles('steward', 'cooperative')
  @IdempotencyKeyHeader()
  // The operation id the one lending controller gave it, so the OpenAPI document stays the same.
  @ApiOperation({ operationId: 'LendingController_repay', summary: 'Record a repayment (the borrower or a steward)' })
  @ApiCreatedResponse({ type: MoneyLoanEntryDto, description: 'Posts from the loan back to the lender; more than is owed is refused (LOAN.OVERPAYMENT).' })
  @ApiProblems(...WRITE_PROBLEMS)
  async repay(
    @Param('loanId', UuidParamPipe) loanId: string,
    @Body() body: RepayMoneyLoanDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.responder.respond(reply, await this.commands.execute(new RepayMoneyLoanCommand(commandContext(meta, this.clock), loanId, body)));
  }
}
