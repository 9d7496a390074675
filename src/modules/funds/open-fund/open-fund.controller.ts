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
import { FundCreatedDto, OpenFundDto } from './open-fund.dto';
import { OpenFundCommand } from './open-fund.handler';

@ApiTags('funds')
@Controller('v1/funds')
export class OpenFundController {
  constructor(
    private readonly commands: CommandBus,
    private readonly responder: WriteResponder,
    private readonly clock: Clock,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles('steward')
  @IdempotencyKeyHeader()
  @ApiOperation({ summary: 'Open a fund with its code, currency and restriction' })
  @ApiCreatedResponse({ type: FundCreatedDto })
  @ApiProblems(400, 401, 403, 409, 422)
  async open(
    @Body() body: OpenFundDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<FundCreatedDto> {
    const outcome = await this.commands.execute<OpenFundCommand, CommandOutcome<{ fundId: string }>>(
      new OpenFundCommand(commandContext(meta, this.clock), body),
    );
    return this.responder.respond(reply, outcome);
  }
}
