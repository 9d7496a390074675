import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CommandOutcome } from '../../../commands/command-runner';
import { Roles } from '../../../http/auth';
import { ApiProblems } from '../../../http/openapi';
import { IdempotencyKeyHeader, Meta, RequestMeta, commandContext } from '../../../http/request-meta';
import { WriteResponder } from '../../../http/write-responder';
import { Clock } from '../../../shared/clock';
import { PlanImprovementDto } from './plan-improvement.dto';
import { WRITERS, WRITE_PROBLEMS, operationId } from '../land-trust.http';
import { ImprovementWrittenDto } from '../land-trust.responses';
import { PlanImprovementCommand, ImprovementPlanned } from './plan-improvement.handler';

@ApiTags('land trust')
@ApiBearerAuth()
@Controller('v1')
export class PlanImprovementController {
  constructor(
    private readonly commands: CommandBus,
    private readonly responder: WriteResponder,
    private readonly clock: Clock,
  ) {}

  @Post('improvements')
  @HttpCode(201)
  @Roles(...WRITERS)
  @IdempotencyKeyHeader()
  @ApiOperation({ summary: "Plan an improvement project with ordered funding lines covering the estimate", operationId: operationId('plan') })
  @ApiCreatedResponse({ type: ImprovementWrittenDto, description: "A planned project; nothing is held until another steward approves it." })
  @ApiProblems(...WRITE_PROBLEMS)
  async plan(
    @Body() body: PlanImprovementDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const outcome = await this.commands.execute<PlanImprovementCommand, CommandOutcome<ImprovementPlanned>>(new PlanImprovementCommand(commandContext(meta, this.clock), body));
    return this.responder.respond(reply, outcome);
  }
}
