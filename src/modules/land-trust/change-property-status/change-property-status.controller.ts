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
import { ChangePropertyStatusDto } from './change-property-status.dto';
import { PropertyIdParam, WRITERS, WRITE_PROBLEMS, operationId } from '../land-trust.http';
import { PropertyWrittenDto } from '../land-trust.responses';
import { ChangePropertyStatusCommand, PropertyWritten } from './change-property-status.handler';

@ApiTags('land trust')
@ApiBearerAuth()
@Controller('v1')
export class ChangePropertyStatusController {
  constructor(
    private readonly commands: CommandBus,
    private readonly responder: WriteResponder,
    private readonly clock: Clock,
  ) {}

  @Post('properties/:propertyId/status')
  @HttpCode(201)
  @Roles(...WRITERS)
  @IdempotencyKeyHeader()
  @PropertyIdParam()
  @ApiOperation({ summary: "Change a property's status (its own event)", operationId: operationId('changeStatus') })
  @ApiCreatedResponse({ type: PropertyWrittenDto })
  @ApiProblems(...WRITE_PROBLEMS)
  async changeStatus(
    @Param('propertyId', UuidParamPipe) propertyId: string,
    @Body() body: ChangePropertyStatusDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const outcome = await this.commands.execute<ChangePropertyStatusCommand, CommandOutcome<PropertyWritten>>(new ChangePropertyStatusCommand(commandContext(meta, this.clock), propertyId, body));
    return this.responder.respond(reply, outcome);
  }
}
