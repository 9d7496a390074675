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
import { ReturnThingDto } from './return-thing.dto';
import { ThingLoanDecisionDto } from '../lending.responses';
import { WRITE_PROBLEMS } from '../shared/lending-reads';
import { ReturnThingCommand } from './return-thing.handler';

@ApiTags('lending')
@Controller('v1')
export class ReturnThingController {
  constructor(
    private readonly commands: CommandBus,
    private readonly responder: WriteResponder,
    private readonly clock: Clock,
  ) {}

  @Post('loans/:loanId/return')
  @HttpCode(201)
  @Roles('steward', 'cooperative')
  @IdempotencyKeyHeader()
  // The operation id the one lending controller gave it, so the OpenAPI document stays the same.
  @ApiOperation({ operationId: 'LendingController_returnThing', summary: 'Record a thing\'s return (the owner or a steward), today or on an earlier `returnedOn`' })
  @ApiCreatedResponse({ type: ThingLoanDecisionDto, description: 'Settles the deposit and fee on that day; late when after the due date.' })
  @ApiProblems(...WRITE_PROBLEMS)
  async returnThing(
    @Param('loanId', UuidParamPipe) loanId: string,
    @Body() body: ReturnThingDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.responder.respond(reply, await this.commands.execute(new ReturnThingCommand(commandContext(meta, this.clock), loanId, body)));
  }
}
