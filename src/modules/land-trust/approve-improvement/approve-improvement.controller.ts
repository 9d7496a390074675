import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CommandOutcome } from '../../../commands/command-runner';
import { Roles } from '../../../http/auth';
import { ApiProblems } from '../../../http/openapi';
import { IdempotencyKeyHeader, Meta, RequestMeta, commandContext } from '../../../http/request-meta';
import { UuidParamPipe } from '../../../http/validation';
import { WriteResponder } from '../../../http/write-responder';
import { Clock } from '../../../shared/clock';
import { ApproveDto } from '../land-trust.dto';
import { ImprovementIdParam, WRITERS, WRITE_PROBLEMS, operationId } from '../land-trust.http';
import { ImprovementWrittenDto } from '../land-trust.responses';
import { ApproveImprovementCommand, ImprovementApproved } from './approve-improvement.handler';

@ApiTags('land trust')
@ApiBearerAuth()
@Controller('v1')
export class ApproveImprovementController {
  constructor(
    private readonly commands: CommandBus,
    private readonly responder: WriteResponder,
    private readonly clock: Clock,
  ) {}

  @Post('improvements/:improvementId/approve')
  @HttpCode(201)
  @Roles(...WRITERS)
  @IdempotencyKeyHeader()
  @ImprovementIdParam()
  @ApiOperation({ summary: "Approve a planned project (another steward); optionally dated after the fact", operationId: operationId('approve') })
  @ApiBody({ type: ApproveDto, required: false, description: 'Optional: `{effectiveAt}` for an approval recorded after the fact.' })
  @ApiCreatedResponse({ type: ImprovementWrittenDto, description: "Allocates the funding lines as holds on their funds, from the approval's date." })
  @ApiProblems(...WRITE_PROBLEMS)
  async approve(
    @Param('improvementId', UuidParamPipe) id: string,
    @Body() body: ApproveDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const outcome = await this.commands.execute<ApproveImprovementCommand, CommandOutcome<ImprovementApproved>>(new ApproveImprovementCommand(commandContext(meta, this.clock), id, body));
    return this.responder.respond(reply, outcome);
  }
}
