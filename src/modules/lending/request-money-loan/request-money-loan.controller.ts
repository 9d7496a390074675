import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../../../http/auth';
import { ApiProblems } from '../../../http/openapi';
import { IdempotencyKeyHeader, Meta, RequestMeta, commandContext } from '../../../http/request-meta';
import { WriteResponder } from '../../../http/write-responder';
import { Clock } from '../../../shared/clock';
import { DisburseMoneyLoanDto } from './request-money-loan.dto';
import { MoneyLoanCreatedDto } from '../lending.responses';
import { WRITE_PROBLEMS } from '../shared/lending-reads';
import { RequestMoneyLoanCommand } from './request-money-loan.handler';

@ApiTags('lending')
@Controller('v1')
export class RequestMoneyLoanController {
  constructor(
    private readonly commands: CommandBus,
    private readonly responder: WriteResponder,
    private readonly clock: Clock,
  ) {}

  @Post('money-loans')
  @HttpCode(201)
  @Roles('steward', 'cooperative')
  @IdempotencyKeyHeader()
  // The operation id the one lending controller gave it, so the OpenAPI document stays the same.
  @ApiOperation({ operationId: 'LendingController_disburse', summary: 'Lend money: from a fund (requested, held, approved by another steward) or between cooperatives (disbursed at once)' })
  @ApiCreatedResponse({
    type: MoneyLoanCreatedDto,
    description: 'From a fund: `pending`, the amount held on the fund until another steward approves. From a cooperative: `active`, posted lender → loan:<id>.',
  })
  @ApiProblems(...WRITE_PROBLEMS)
  async disburse(
    @Body() body: DisburseMoneyLoanDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.responder.respond(reply, await this.commands.execute(new RequestMoneyLoanCommand(commandContext(meta, this.clock), body)));
  }
}
