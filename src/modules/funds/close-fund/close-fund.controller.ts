import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CommandRunner } from '../../../commands/command-runner';
import { Roles } from '../../../http/auth';
import { IdempotencyKeyHeader, Meta, RequestMeta, commandContext } from '../../../http/request-meta';
import { UuidParamPipe } from '../../../http/validation';
import { WriteResponder } from '../../../http/write-responder';
import { Clock } from '../../../shared/clock';
import { DomainError } from '../../../shared/domain-error';
import { fundDecider, fundStream } from '../fund/fund.decider';
import { ReasonDto } from '../move-money/move-money.dto';

@ApiTags('funds')
@Controller('v1/funds')
export class CloseFundController {
  constructor(
    private readonly runner: CommandRunner,
    private readonly responder: WriteResponder,
    private readonly clock: Clock,
  ) {}

  /** Closing needs a zero balance and nothing pending; a closed fund receives nothing more. */
  @Post(':fundId/close')
  @HttpCode(201)
  @Roles('steward')
  @IdempotencyKeyHeader()
  @ApiCreatedResponse({ description: 'The fund is closed.' })
  @ApiConflictResponse({ description: 'FUND.NOT_EMPTY or FUND.CLOSED' })
  async close(
    @Param('fundId', UuidParamPipe) fundId: string,
    @Body() body: ReasonDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const context = commandContext(meta, this.clock);
    const outcome = await this.runner.run(context, async () => {
      const stream = fundStream(fundId);
      const { state, expected } = await this.runner.load(stream, fundDecider);
      if (state.status === 'none') throw new DomainError('FUND.NOT_FOUND', `No fund ${fundId}.`, 404, { fundId });
      const events = fundDecider.decide({ type: 'CloseFund', reason: body.reason, now: context.now.toISOString() }, state);
      return {
        appends: [{ streamId: stream, expected, events: events.map((e) => ({ ...e, schemaVersion: 1 })) }],
        response: { fundId, status: 'closed' },
      };
    });
    return this.responder.respond(reply, outcome);
  }
}
