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
import { BudgetIncreaseDto } from './request-budget-increase.dto';
import { ImprovementIdParam, WRITERS, WRITE_PROBLEMS, operationId } from '../land-trust.http';
import { BudgetIncreaseWrittenDto } from '../land-trust.responses';
import { RequestBudgetIncreaseCommand, BudgetIncreaseRequested } from './request-budget-increase.handler';

@ApiTags('land trust')
@ApiBearerAuth()
@Controller('v1')
export class RequestBudgetIncreaseController {
  constructor(
    private readonly commands: CommandBus,
    private readonly responder: WriteResponder,
    private readonly clock: Clock,
  ) {}

  @Post('improvements/:improvementId/budget-increases')
  @HttpCode(201)
  @Roles(...WRITERS)
  @IdempotencyKeyHeader()
  @ImprovementIdParam()
  @ApiOperation({ summary: "Request a budget increase with its own funding lines", operationId: operationId('requestIncrease') })
  @ApiCreatedResponse({ type: BudgetIncreaseWrittenDto })
  @ApiProblems(...WRITE_PROBLEMS)
  async requestIncrease(
    @Param('improvementId', UuidParamPipe) id: string,
    @Body() body: BudgetIncreaseDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const outcome = await this.commands.execute<RequestBudgetIncreaseCommand, CommandOutcome<BudgetIncreaseRequested>>(new RequestBudgetIncreaseCommand(commandContext(meta, this.clock), id, body));
    return this.responder.respond(reply, outcome);
  }
}
