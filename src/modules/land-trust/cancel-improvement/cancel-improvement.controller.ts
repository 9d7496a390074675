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
import { CancelImprovementDto } from './cancel-improvement.dto';
import { ImprovementIdParam, WRITERS, WRITE_PROBLEMS, operationId } from '../land-trust.http';
import { ImprovementEndedDto } from '../land-trust.responses';
import { CancelImprovementCommand, ImprovementEnded } from './cancel-improvement.handler';

@ApiTags('land trust')
@ApiBearerAuth()
@Controller('v1')
export class CancelImprovementController {
  constructor(
    private readonly commands: CommandBus,
    private readonly responder: WriteResponder,
    private readonly clock: Clock,
  ) {}

  @Post('improvements/:improvementId/cancel')
  @HttpCode(201)
  @Roles(...WRITERS)
  @IdempotencyKeyHeader()
  @ImprovementIdParam()
  @ApiOperation({ summary: "Cancel a project, with its reason", operationId: operationId('cancel') })
  @ApiCreatedResponse({ type: ImprovementEndedDto, description: "Releases what was allocated and not spent." })
  @ApiProblems(...WRITE_PROBLEMS)
  async cancel(
    @Param('improvementId', UuidParamPipe) id: string,
    @Body() body: CancelImprovementDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const outcome = await this.commands.execute<CancelImprovementCommand, CommandOutcome<ImprovementEnded>>(new CancelImprovementCommand(commandContext(meta, this.clock), id, body));
    return this.responder.respond(reply, outcome);
  }
}
