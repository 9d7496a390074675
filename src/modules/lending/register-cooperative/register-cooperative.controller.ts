import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../../../http/auth';
import { ApiProblems } from '../../../http/openapi';
import { IdempotencyKeyHeader, Meta, RequestMeta, commandContext } from '../../../http/request-meta';
import { WriteResponder } from '../../../http/write-responder';
import { Clock } from '../../../shared/clock';
import { RegisterCooperativeDto } from './register-cooperative.dto';
import { CooperativeCreatedDto } from '../lending.responses';
import { WRITE_PROBLEMS } from '../shared/lending-reads';
import { RegisterCooperativeCommand } from './register-cooperative.handler';

@ApiTags('lending')
@Controller('v1')
export class RegisterCooperativeController {
  constructor(
    private readonly commands: CommandBus,
    private readonly responder: WriteResponder,
    private readonly clock: Clock,
  ) {}

  @Post('cooperatives')
  @HttpCode(201)
  @Roles('steward')
  @IdempotencyKeyHeader()
  // The operation id the one lending controller gave it, so the OpenAPI document stays the same.
  @ApiOperation({ operationId: 'LendingController_registerCooperative', summary: 'Register a member cooperative' })
  @ApiCreatedResponse({ type: CooperativeCreatedDto, description: 'The cooperative id; names are unique (COOPERATIVE.NAME_TAKEN).' })
  @ApiProblems(...WRITE_PROBLEMS)
  async registerCooperative(
    @Body() body: RegisterCooperativeDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.responder.respond(reply, await this.commands.execute(new RegisterCooperativeCommand(commandContext(meta, this.clock), body)));
  }
}
