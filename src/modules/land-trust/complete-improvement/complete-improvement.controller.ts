import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CommandOutcome } from '../../../commands/command-runner';
import { Roles } from '../../../http/auth';
import { ApiProblems } from '../../../http/openapi';
import { IdempotencyKeyHeader, Meta, RequestMeta, commandContext } from '../../../http/request-meta';
import { UuidParamPipe } from '../../../http/validation';
import { WriteResponder } from '../../../http/write-responder';
import { Clock } from '../../../shared/clock';
import { CompleteImprovementDto } from './complete-improvement.dto';
import { ImprovementIdParam, WRITERS, WRITE_PROBLEMS, operationId } from '../land-trust.http';
import { ImprovementEndedDto } from '../land-trust.responses';
import { CompleteImprovementCommand, ImprovementEnded } from './complete-improvement.handler';

@ApiTags('land trust')
@ApiBearerAuth()
@Controller('v1')
export class CompleteImprovementController {
  constructor(
    private readonly commands: CommandBus,
    private readonly responder: WriteResponder,
    private readonly clock: Clock,
  ) {}

  @Post('improvements/:improvementId/complete')
  @HttpCode(201)
  @Roles(...WRITERS)
  @IdempotencyKeyHeader()
  @ImprovementIdParam()
  @ApiOperation({ summary: "Record completion and inspection", operationId: operationId('complete') })
  @ApiCreatedResponse({ type: ImprovementEndedDto, description: "What was allocated and not spent is released." })
  @ApiProblems(...WRITE_PROBLEMS)
  async complete(
    @Param('improvementId', UuidParamPipe) id: string,
    @Body() body: CompleteImprovementDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const outcome = await this.commands.execute<CompleteImprovementCommand, CommandOutcome<ImprovementEnded>>(new CompleteImprovementCommand(commandContext(meta, this.clock), id, body));
    return this.responder.respond(reply, outcome);
  }
}
