import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../../../http/auth';
import { ApiProblems } from '../../../http/openapi';
import { IdempotencyKeyHeader, Meta, RequestMeta, commandContext } from '../../../http/request-meta';
import { WriteResponder } from '../../../http/write-responder';
import { Clock } from '../../../shared/clock';
import { ReserveThingDto } from './reserve-thing.dto';
import { ThingLoanCreatedDto } from '../lending.responses';
import { WRITE_PROBLEMS } from '../shared/lending-reads';
import { ReserveThingCommand } from './reserve-thing.handler';

@ApiTags('lending')
@Controller('v1')
export class ReserveThingController {
  constructor(
    private readonly commands: CommandBus,
    private readonly responder: WriteResponder,
    private readonly clock: Clock,
  ) {}

  @Post('loans')
  @HttpCode(201)
  @Roles('steward', 'cooperative')
  @IdempotencyKeyHeader()
  // The operation id the one lending controller gave it, so the OpenAPI document stays the same.
  @ApiOperation({ operationId: 'LendingController_reserve', summary: 'Reserve a resource for a borrower (the borrower or a steward)' })
  @ApiCreatedResponse({ type: ThingLoanCreatedDto, description: 'Overlapping reservations are refused (LOAN.RESERVATION_OVERLAPS).' })
  @ApiProblems(...WRITE_PROBLEMS)
  async reserve(
    @Body() body: ReserveThingDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.responder.respond(reply, await this.commands.execute(new ReserveThingCommand(commandContext(meta, this.clock), body)));
  }
}
