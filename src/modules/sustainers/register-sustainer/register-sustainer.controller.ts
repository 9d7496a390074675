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
import { SustainerKeys } from '../sustainer-keys';
import { SustainersOperation } from '../sustainers-openapi';
import { SustainerRegisteredDto } from '../sustainers.responses';
import { RegisterSustainerDto } from './register-sustainer.dto';
import { RegisterSustainerCommand } from './register-sustainer.handler';

@ApiTags('sustainers')
@Controller('v1')
export class RegisterSustainerController {
  constructor(
    private readonly commands: CommandBus,
    private readonly responder: WriteResponder,
    private readonly clock: Clock,
    private readonly keys: SustainerKeys,
  ) {}

  @Post('sustainers')
  @HttpCode(201)
  @Roles('steward')
  @IdempotencyKeyHeader()
  @SustainersOperation('register', 'Register a sustainer; the personal data is sealed with their own key')
  @ApiCreatedResponse({ type: SustainerRegisteredDto, description: 'The answer carries no personal data.' })
  @ApiProblems(400, 401, 403, 409, 422)
  async register(@Body() body: RegisterSustainerDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    // The body holds personal data: its fingerprint, kept in the log with the idempotency key, is keyed (see the key store).
    const context = commandContext({ ...meta, fingerprint: await this.keys.pepperedFingerprint(meta.fingerprint) }, this.clock);
    const outcome = await this.commands.execute<RegisterSustainerCommand, CommandOutcome<{ sustainerId: string }>>(new RegisterSustainerCommand(context, body));
    return this.responder.respond(reply, outcome);
  }
}
