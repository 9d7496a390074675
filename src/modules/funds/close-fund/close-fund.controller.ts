import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CommandOutcome } from '../../../commands/command-runner';
import { Roles } from '../../../http/auth';
import { ApiProblems } from '../../../http/openapi';
import { IdempotencyKeyHeader, Meta, RequestMeta, commandContext } from '../../../http/request-meta';
import { UuidParamPipe } from '../../../http/validation';
import { WriteResponder } from '../../../http/write-responder';
import { Clock } from '../../../shared/clock';
import { ReasonDto } from '../funds.dto';
import { FundClosedDto } from '../funds.responses';
import { CloseFundCommand } from './close-fund.handler';

@ApiTags('funds')
@Controller('v1/funds')
export class CloseFundController {
  constructor(
    private readonly commands: CommandBus,
    private readonly responder: WriteResponder,
    private readonly clock: Clock,
  ) {}

  @Post(':fundId/close')
  @HttpCode(201)
  @Roles('steward')
  @IdempotencyKeyHeader()
  @ApiOperation({ summary: 'Close an empty fund (a reason is required)' })
  @ApiParam({ name: 'fundId', format: 'uuid' })
  @ApiCreatedResponse({ type: FundClosedDto, description: 'The fund is closed.' })
  @ApiProblems(400, 401, 403, 404, 409)
  async close(
    @Param('fundId', UuidParamPipe) fundId: string,
    @Body() body: ReasonDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const outcome = await this.commands.execute<CloseFundCommand, CommandOutcome<{ fundId: string; status: 'closed' }>>(
      new CloseFundCommand(commandContext(meta, this.clock), fundId, body.reason),
    );
    return this.responder.respond(reply, outcome);
  }
}
