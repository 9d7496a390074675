import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CommandOutcome } from '../../../commands/command-runner';
import { Roles } from '../../../http/auth';
import { ApiProblems } from '../../../http/openapi';
import { IdempotencyKeyHeader, Meta, RequestMeta, commandContext } from '../../../http/request-meta';
import { UuidParamPipe } from '../../../http/validation';
import { WriteResponder } from '../../../http/write-responder';
import { Clock } from '../../../shared/clock';
import { PLEDGE_ID, SustainersOperation } from '../sustainers-openapi';
import { PledgeChangedDto } from '../sustainers.responses';
import { EndPledgeDto } from '../pledge-change.dto';
import { WriteOffPledgeCommand } from './write-off-pledge.handler';

@ApiTags('sustainers')
@Controller('v1')
export class WriteOffPledgeController {
  constructor(
    private readonly commands: CommandBus,
    private readonly responder: WriteResponder,
    private readonly clock: Clock,
  ) {}

  @Post('pledges/:pledgeId/write-off')
  @HttpCode(201)
  @Roles('steward')
  @IdempotencyKeyHeader()
  @SustainersOperation('writeOff', 'Write off what a pledge still owes, from a day, with a reason')
  @ApiParam(PLEDGE_ID)
  @ApiCreatedResponse({ type: PledgeChangedDto })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  async writeOff(@Param('pledgeId', UuidParamPipe) pledgeId: string, @Body() body: EndPledgeDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    const outcome = await this.commands.execute<WriteOffPledgeCommand, CommandOutcome<{ pledgeId: string; status: string }>>(
      new WriteOffPledgeCommand(commandContext(meta, this.clock), pledgeId, body),
    );
    return this.responder.respond(reply, outcome);
  }
}
