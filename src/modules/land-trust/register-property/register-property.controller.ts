import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CommandOutcome } from '../../../commands/command-runner';
import { Roles } from '../../../http/auth';
import { ApiProblems } from '../../../http/openapi';
import { IdempotencyKeyHeader, Meta, RequestMeta, commandContext } from '../../../http/request-meta';
import { WriteResponder } from '../../../http/write-responder';
import { Clock } from '../../../shared/clock';
import { WRITERS, WRITE_PROBLEMS, operationId } from '../land-trust.http';
import { PropertyWrittenDto } from '../land-trust.responses';
import { RegisterPropertyDto } from './register-property.dto';
import { RegisterPropertyCommand } from './register-property.handler';

@ApiTags('land trust')
@ApiBearerAuth()
@Controller('v1')
export class RegisterPropertyController {
  constructor(
    private readonly commands: CommandBus,
    private readonly responder: WriteResponder,
    private readonly clock: Clock,
  ) {}

  @Post('properties')
  @HttpCode(201)
  @Roles(...WRITERS)
  @IdempotencyKeyHeader()
  @ApiOperation({ summary: 'Register a property (address, unique parcel id, acquisition date, status)', operationId: operationId('register') })
  @ApiCreatedResponse({ type: PropertyWrittenDto, description: 'The property id; parcel ids are unique (PROPERTY.PARCEL_TAKEN).' })
  @ApiProblems(...WRITE_PROBLEMS)
  async register(@Body() body: RegisterPropertyDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    const outcome = await this.commands.execute<RegisterPropertyCommand, CommandOutcome<{ propertyId: string }>>(
      new RegisterPropertyCommand(commandContext(meta, this.clock), body),
    );
    return this.responder.respond(reply, outcome);
  }
}
