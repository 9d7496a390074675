import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../../../http/auth';
import { ApiProblems } from '../../../http/openapi';
import { IdempotencyKeyHeader, Meta, RequestMeta, commandContext } from '../../../http/request-meta';
import { WriteResponder } from '../../../http/write-responder';
import { Clock } from '../../../shared/clock';
import { RegisterResourceDto } from './register-resource.dto';
import { ResourceCreatedDto } from '../lending.responses';
import { WRITE_PROBLEMS } from '../shared/lending-reads';
import { RegisterResourceCommand } from './register-resource.handler';

@ApiTags('lending')
@Controller('v1')
export class RegisterResourceController {
  constructor(
    private readonly commands: CommandBus,
    private readonly responder: WriteResponder,
    private readonly clock: Clock,
  ) {}

  @Post('resources')
  @HttpCode(201)
  @Roles('steward', 'cooperative')
  @IdempotencyKeyHeader()
  // The operation id the one lending controller gave it, so the OpenAPI document stays the same.
  @ApiOperation({ operationId: 'LendingController_registerResource', summary: 'Register a resource its owner cooperative lends' })
  @ApiCreatedResponse({ type: ResourceCreatedDto, description: 'A cooperative registers only its own.' })
  @ApiProblems(...WRITE_PROBLEMS)
  async registerResource(
    @Body() body: RegisterResourceDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.responder.respond(reply, await this.commands.execute(new RegisterResourceCommand(commandContext(meta, this.clock), body)));
  }
}
