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
import { ForgiveMoneyLoanDto } from './forgive-money-loan.dto';
import { MoneyLoanEntryDto } from '../lending.responses';
import { WRITE_PROBLEMS } from '../shared/lending-reads';
import { ForgiveMoneyLoanCommand } from './forgive-money-loan.handler';

@ApiTags('lending')
@Controller('v1')
export class ForgiveMoneyLoanController {
  constructor(
    private readonly commands: CommandBus,
    private readonly responder: WriteResponder,
    private readonly clock: Clock,
  ) {}

  @Post('money-loans/:loanId/forgive')
  @HttpCode(201)
  @Roles('steward', 'cooperative')
  @IdempotencyKeyHeader()
  // The operation id the one lending controller gave it, so the OpenAPI document stays the same.
  @ApiOperation({ operationId: 'LendingController_forgive', summary: 'Forgive what is outstanding, with a reason (the lender; a steward for a fund)' })
  @ApiCreatedResponse({ type: MoneyLoanEntryDto, description: 'An explicit event posting what is left to expense:loan-forgiveness.' })
  @ApiProblems(...WRITE_PROBLEMS)
  async forgive(
    @Param('loanId', UuidParamPipe) loanId: string,
    @Body() body: ForgiveMoneyLoanDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.responder.respond(reply, await this.commands.execute(new ForgiveMoneyLoanCommand(commandContext(meta, this.clock), loanId, body)));
  }
}
