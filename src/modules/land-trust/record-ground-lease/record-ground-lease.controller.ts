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
import { GroundLeaseDto } from './record-ground-lease.dto';
import { PropertyIdParam, WRITERS, WRITE_PROBLEMS, operationId } from '../land-trust.http';
import { PropertyWrittenDto } from '../land-trust.responses';
import { RecordGroundLeaseCommand, PropertyWritten } from './record-ground-lease.handler';

@ApiTags('land trust')
@ApiBearerAuth()
@Controller('v1')
export class RecordGroundLeaseController {
  constructor(
    private readonly commands: CommandBus,
    private readonly responder: WriteResponder,
    private readonly clock: Clock,
  ) {}

  @Post('properties/:propertyId/ground-lease')
  @HttpCode(201)
  @Roles(...WRITERS)
  @IdempotencyKeyHeader()
  @PropertyIdParam()
  @ApiOperation({ summary: "Record a ground lease for a pseudonymous household; the property becomes leased", operationId: operationId('groundLease') })
  @ApiCreatedResponse({ type: PropertyWrittenDto })
  @ApiProblems(...WRITE_PROBLEMS)
  async groundLease(
    @Param('propertyId', UuidParamPipe) propertyId: string,
    @Body() body: GroundLeaseDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const outcome = await this.commands.execute<RecordGroundLeaseCommand, CommandOutcome<PropertyWritten>>(new RecordGroundLeaseCommand(commandContext(meta, this.clock), propertyId, body));
    return this.responder.respond(reply, outcome);
  }
}
