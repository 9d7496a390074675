import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CommandOutcome } from '../../../commands/command-runner';
import { Roles } from '../../../http/auth';
import { ApiProblems } from '../../../http/openapi';
import { IdempotencyKeyHeader, Meta, RequestMeta, commandContext } from '../../../http/request-meta';
import { UuidParamPipe } from '../../../http/validation';
import { WriteResponder } from '../../../http/write-responder';
import { Clock } from '../../../shared/clock';
import { ApproveDto } from '../land-trust.dto';
import { ImprovementIdParam, WRITERS, WRITE_PROBLEMS, operationId } from '../land-trust.http';
import { BudgetIncreaseWrittenDto } from '../land-trust.responses';
import { ApproveBudgetIncreaseCommand, BudgetIncreaseApproved } from './approve-budget-increase.handler';

@ApiTags('land trust')
@ApiBearerAuth()
@Controller('v1')
export class ApproveBudgetIncreaseController {
  constructor(
    private readonly commands: CommandBus,
    private readonly responder: WriteResponder,
    private readonly clock: Clock,
  ) {}

  @Post('improvements/:improvementId/budget-increases/:increaseId/approve')
  @HttpCode(201)
  @Roles(...WRITERS)
  @IdempotencyKeyHeader()
  @ImprovementIdParam()
  @ApiParam({ name: 'increaseId', format: 'uuid', description: 'The budget increase to approve.' })
  @ApiOperation({ summary: "Approve a budget increase (another steward); optionally dated after the fact", operationId: operationId('approveIncrease') })
  @ApiBody({ type: ApproveDto, required: false, description: 'Optional: `{effectiveAt}` for an approval recorded after the fact.' })
  @ApiCreatedResponse({ type: BudgetIncreaseWrittenDto, description: "Holds the increase's lines on their funds, from the approval's date." })
  @ApiProblems(...WRITE_PROBLEMS)
  async approveIncrease(
    @Param('improvementId', UuidParamPipe) id: string,
    @Param('increaseId', UuidParamPipe) increaseId: string,
    @Body() body: ApproveDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const outcome = await this.commands.execute<ApproveBudgetIncreaseCommand, CommandOutcome<BudgetIncreaseApproved>>(new ApproveBudgetIncreaseCommand(commandContext(meta, this.clock), id, increaseId, body));
    return this.responder.respond(reply, outcome);
  }
}
