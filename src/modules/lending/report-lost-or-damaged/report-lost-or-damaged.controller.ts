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
import { LostOrDamagedDto } from './report-lost-or-damaged.dto';
import { ThingLoanDecisionDto } from '../lending.responses';
import { WRITE_PROBLEMS } from '../shared/lending-reads';
import { ReportLostOrDamagedCommand } from './report-lost-or-damaged.handler';

@ApiTags('lending')
@Controller('v1')
export class ReportLostOrDamagedController {
  constructor(
    private readonly commands: CommandBus,
    private readonly responder: WriteResponder,
    private readonly clock: Clock,
  ) {}

  @Post('loans/:loanId/lost-or-damaged')
  @HttpCode(201)
  @Roles('steward', 'cooperative')
  @IdempotencyKeyHeader()
  // The operation id the one lending controller gave it, so the OpenAPI document stays the same.
  @ApiOperation({ operationId: 'LendingController_lostOrDamaged', summary: 'Record a thing lost (resource retired) or damaged (in repair), today or on an earlier `reportedOn`' })
  @ApiCreatedResponse({ type: ThingLoanDecisionDto })
  @ApiProblems(...WRITE_PROBLEMS)
  async lostOrDamaged(
    @Param('loanId', UuidParamPipe) loanId: string,
    @Body() body: LostOrDamagedDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.responder.respond(reply, await this.commands.execute(new ReportLostOrDamagedCommand(commandContext(meta, this.clock), loanId, body)));
  }
}
