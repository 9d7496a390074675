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
import type { MovementResponse } from '../../funds';
import { SustainersOperation } from '../sustainers-openapi';
import { DonationRecordedDto } from '../sustainers.responses';
import { RecordDonationDto } from './record-donation.dto';
import { RecordDonationCommand } from './record-donation.handler';

@ApiTags('sustainers')
@Controller('v1')
export class RecordDonationController {
  constructor(
    private readonly commands: CommandBus,
    private readonly responder: WriteResponder,
    private readonly clock: Clock,
  ) {}

  @Post('donations')
  @HttpCode(201)
  @Roles('steward')
  @IdempotencyKeyHeader()
  @SustainersOperation('donate', 'Record a gift: a movement `sustainer:<id>` → `fund:<code>`, posted at once')
  @ApiCreatedResponse({ type: DonationRecordedDto })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  async donate(@Body() body: RecordDonationDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    const outcome = await this.commands.execute<RecordDonationCommand, CommandOutcome<MovementResponse>>(new RecordDonationCommand(commandContext(meta, this.clock), body));
    const answer = await this.responder.respond(reply, outcome);
    return { donationId: answer.movementId, ...answer };
  }
}
