import { Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
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
import { SUSTAINER_ID, SustainersOperation } from '../sustainers-openapi';
import { SustainerErasedDto } from '../sustainers.responses';
import { EraseSustainerCommand, SustainerErased } from './erase-sustainer.handler';

@ApiTags('sustainers')
@Controller('v1')
export class EraseSustainerController {
  constructor(
    private readonly commands: CommandBus,
    private readonly responder: WriteResponder,
    private readonly clock: Clock,
  ) {}

  @Post('sustainers/:sustainerId/erase')
  @HttpCode(201)
  @Roles('steward')
  @IdempotencyKeyHeader()
  @SustainersOperation('erase', 'Erase a sustainer by destroying their key (crypto-shredding); their amounts still count')
  @ApiParam(SUSTAINER_ID)
  @ApiCreatedResponse({ type: SustainerErasedDto })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  async erase(@Param('sustainerId', UuidParamPipe) sustainerId: string, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    const outcome = await this.commands.execute<EraseSustainerCommand, CommandOutcome<SustainerErased>>(new EraseSustainerCommand(commandContext(meta, this.clock), sustainerId));
    return this.responder.respond(reply, outcome);
  }
}
