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
import { ResaleCreditDto } from './record-resale-credit.dto';
import { ImprovementIdParam, WRITERS, WRITE_PROBLEMS, operationId } from '../land-trust.http';
import { ResaleCreditWrittenDto } from '../land-trust.responses';
import { RecordResaleCreditCommand, ResaleCreditRecorded } from './record-resale-credit.handler';

@ApiTags('land trust')
@ApiBearerAuth()
@Controller('v1')
export class RecordResaleCreditController {
  constructor(
    private readonly commands: CommandBus,
    private readonly responder: WriteResponder,
    private readonly clock: Clock,
  ) {}

  @Post('improvements/:improvementId/resale-credit')
  @HttpCode(201)
  @Roles(...WRITERS)
  @IdempotencyKeyHeader()
  @ImprovementIdParam()
  @ApiOperation({ summary: "Record the capital-improvement resale credit of a completed project (at most its cost)", operationId: operationId('resaleCredit') })
  @ApiCreatedResponse({ type: ResaleCreditWrittenDto })
  @ApiProblems(...WRITE_PROBLEMS)
  async resaleCredit(
    @Param('improvementId', UuidParamPipe) id: string,
    @Body() body: ResaleCreditDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const outcome = await this.commands.execute<RecordResaleCreditCommand, CommandOutcome<ResaleCreditRecorded>>(new RecordResaleCreditCommand(commandContext(meta, this.clock), id, body));
    return this.responder.respond(reply, outcome);
  }
}
