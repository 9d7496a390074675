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
import { RenewThingDto } from './renew-loan.dto';
import { ThingLoanDecisionDto } from '../lending.responses';
import { WRITE_PROBLEMS } from '../shared/lending-reads';
import { RenewLoanCommand } from './renew-loan.handler';

@ApiTags('lending')
@Controller('v1')
export class RenewLoanController {
  constructor(
    private readonly commands: CommandBus,
    private readonly responder: WriteResponder,
    private readonly clock: Clock,
  ) {}

  @Post('loans/:loanId/renew')
  @HttpCode(201)
  @Roles('steward', 'cooperative')
  @IdempotencyKeyHeader()
  // The operation id the one lending controller gave it, so the OpenAPI document stays the same.
  @ApiOperation({ operationId: 'LendingController_renew', summary: 'Renew a loan that is out (the borrower or a steward), today or on an earlier `renewedOn`' })
  @ApiCreatedResponse({ type: ThingLoanDecisionDto, description: 'A renewal is a new loan linked to the one it extends (renewalId); refused when someone else holds a reservation.' })
  @ApiProblems(...WRITE_PROBLEMS)
  async renew(
    @Param('loanId', UuidParamPipe) loanId: string,
    @Body() body: RenewThingDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.responder.respond(reply, await this.commands.execute(new RenewLoanCommand(commandContext(meta, this.clock), loanId, body)));
  }
}
