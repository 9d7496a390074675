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
import { CheckOutThingDto } from './check-out-thing.dto';
import { ThingLoanDecisionDto } from '../lending.responses';
import { WRITE_PROBLEMS } from '../shared/lending-reads';
import { CheckOutThingCommand } from './check-out-thing.handler';

@ApiTags('lending')
@Controller('v1')
export class CheckOutThingController {
  constructor(
    private readonly commands: CommandBus,
    private readonly responder: WriteResponder,
    private readonly clock: Clock,
  ) {}

  @Post('loans/:loanId/checkout')
  @HttpCode(201)
  @Roles('steward', 'cooperative')
  @IdempotencyKeyHeader()
  // The operation id the one lending controller gave it, so the OpenAPI document stays the same.
  @ApiOperation({ operationId: 'LendingController_checkOut', summary: 'Check a reserved thing out (the owner or a steward), today or on an earlier `checkedOutOn`' })
  @ApiCreatedResponse({ type: ThingLoanDecisionDto, description: 'Takes the deposit, if any, on that day.' })
  @ApiProblems(...WRITE_PROBLEMS)
  async checkOut(
    @Param('loanId', UuidParamPipe) loanId: string,
    @Body() body: CheckOutThingDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.responder.respond(reply, await this.commands.execute(new CheckOutThingCommand(commandContext(meta, this.clock), loanId, body)));
  }
}
