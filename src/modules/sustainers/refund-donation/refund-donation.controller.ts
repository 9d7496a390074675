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
import type { MovementResponse } from '../../funds';
import { DONATION_ID, SustainersOperation } from '../sustainers-openapi';
import { DonationRefundedDto } from '../sustainers.responses';
import { RefundDonationDto } from './refund-donation.dto';
import { RefundDonationCommand } from './refund-donation.handler';

@ApiTags('sustainers')
@Controller('v1')
export class RefundDonationController {
  constructor(
    private readonly commands: CommandBus,
    private readonly responder: WriteResponder,
    private readonly clock: Clock,
  ) {}

  @Post('donations/:donationId/refund')
  @HttpCode(201)
  @Roles('steward')
  @IdempotencyKeyHeader()
  @SustainersOperation('refund', 'Refund a gift: the reversal of its movement, dated in an open period')
  @ApiParam(DONATION_ID)
  @ApiCreatedResponse({ type: DonationRefundedDto })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  async refund(
    @Param('donationId', UuidParamPipe) donationId: string,
    @Body() body: RefundDonationDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const outcome = await this.commands.execute<RefundDonationCommand, CommandOutcome<MovementResponse>>(
      new RefundDonationCommand(commandContext(meta, this.clock), donationId, body),
    );
    return this.responder.respond(reply, outcome);
  }
}
