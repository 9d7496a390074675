import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CommandOutcome } from '../../../commands/command-runner';
import { Roles } from '../../../http/auth';
import { ApiProblems } from '../../../http/openapi';
import { IdempotencyKeyHeader, Meta, RequestMeta, commandContext } from '../../../http/request-meta';
import { WriteResponder } from '../../../http/write-responder';
import { Clock } from '../../../shared/clock';
import { SustainersOperation } from '../sustainers-openapi';
import { PledgeMadeDto } from '../sustainers.responses';
import { MakePledgeDto } from './make-pledge.dto';
import { MakePledgeCommand } from './make-pledge.handler';

@ApiTags('sustainers')
@Controller('v1')
export class MakePledgeController {
  constructor(
    private readonly commands: CommandBus,
    private readonly responder: WriteResponder,
    private readonly clock: Clock,
  ) {}

  @Post('pledges')
  @HttpCode(201)
  @Roles('steward')
  @IdempotencyKeyHeader()
  @SustainersOperation('makePledge', 'Make a pledge to a fund')
  @ApiCreatedResponse({ type: PledgeMadeDto })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  async makePledge(@Body() body: MakePledgeDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    const outcome = await this.commands.execute<MakePledgeCommand, CommandOutcome<{ pledgeId: string }>>(new MakePledgeCommand(commandContext(meta, this.clock), body));
    return this.responder.respond(reply, outcome);
  }
}
