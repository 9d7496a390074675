import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CommandRunner } from '../../../commands/command-runner';
import { Roles } from '../../../http/auth';
import { ApiProblems } from '../../../http/openapi';
import { IdempotencyKeyHeader, Meta, RequestMeta, commandContext } from '../../../http/request-meta';
import { UuidParamPipe } from '../../../http/validation';
import { WriteResponder } from '../../../http/write-responder';
import { Clock } from '../../../shared/clock';
import { DomainError } from '../../../shared/domain-error';
import { fundDecider, fundStream } from '../fund/fund.decider';
import { FundClosedDto } from '../list-funds/fund-view.dto';
import { ReasonDto } from '../move-money/move-money.dto';

@ApiTags('funds')
@Controller('v1/funds')
export class CloseFundController {
  constructor(
    private readonly runner: CommandRunner,
    private readonly responder: WriteResponder,
    private readonly clock: Clock,
  ) {}

  /**
   * Closing needs a zero balance and nothing pending; a closed fund receives nothing more. It is
   * dated when recorded: a period can only be closed once it has ended, so today is always open.
   */
  @Post(':fundId/close')
  @HttpCode(201)
  @Roles('steward')
  @IdempotencyKeyHeader()
  @ApiOperation({ summary: 'Close an empty fund (a reason is required)' })
  @ApiParam({ name: 'fundId', format: 'uuid' })
  @ApiCreatedResponse({ type: FundClosedDto, description: 'The fund is closed.' })
  @ApiProblems(400, 401, 403, 404, 409)
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
        response: { fundId, status: 'closed' as const },
      };
    });
    return this.responder.respond(reply, outcome);
  }
}
