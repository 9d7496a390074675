import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CommandOutcome } from '../../../commands/command-runner';
import { Roles } from '../../../http/auth';
import { ApiProblems } from '../../../http/openapi';
import { IdempotencyKeyHeader, Meta, RequestMeta, commandContext } from '../../../http/request-meta';
import { WriteResponder } from '../../../http/write-responder';
import { Clock } from '../../../shared/clock';
import { PeriodClosedDto } from '../ledger.responses';
import { ClosePeriodDto } from './close-period.dto';
import { ClosePeriodCommand, PeriodClosed } from './close-period.handler';

@ApiTags('periods')
@Controller('v1/periods')
export class ClosePeriodController {
  constructor(
    private readonly commands: CommandBus,
    private readonly responder: WriteResponder,
    private readonly clock: Clock,
  ) {}

  @Post('close')
  @HttpCode(201)
  @Roles('steward')
  @IdempotencyKeyHeader()
  @ApiOperation({ summary: 'Close a month, fiscal quarter or fiscal year that has ended' })
  @ApiCreatedResponse({ type: PeriodClosedDto, description: 'Nothing may be recorded with an effective date inside the period from now on.' })
  @ApiProblems(400, 401, 403, 409, 422)
  async close(@Body() body: ClosePeriodDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    const outcome = await this.commands.execute<ClosePeriodCommand, CommandOutcome<PeriodClosed>>(
      new ClosePeriodCommand(commandContext(meta, this.clock), body.period),
    );
    return this.responder.respond(reply, outcome);
  }
}
