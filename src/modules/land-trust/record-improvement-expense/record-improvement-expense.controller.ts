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
import { ExpenseDto } from './record-improvement-expense.dto';
import { ImprovementIdParam, WRITERS, WRITE_PROBLEMS, operationId } from '../land-trust.http';
import { ExpensePaidDto } from '../land-trust.responses';
import { RecordImprovementExpenseCommand, ExpensePaid } from './record-improvement-expense.handler';

@ApiTags('land trust')
@ApiBearerAuth()
@Controller('v1')
export class RecordImprovementExpenseController {
  constructor(
    private readonly commands: CommandBus,
    private readonly responder: WriteResponder,
    private readonly clock: Clock,
  ) {}

  @Post('improvements/:improvementId/expenses')
  @HttpCode(201)
  @Roles(...WRITERS)
  @IdempotencyKeyHeader()
  @ImprovementIdParam()
  @ApiOperation({ summary: "Pay an expense from the allocation, in funding-line order", operationId: operationId('expense') })
  @ApiCreatedResponse({ type: ExpensePaidDto, description: "Posts from the allocated funds to the vendor; answers which funds paid how much." })
  @ApiProblems(...WRITE_PROBLEMS)
  async expense(
    @Param('improvementId', UuidParamPipe) id: string,
    @Body() body: ExpenseDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const outcome = await this.commands.execute<RecordImprovementExpenseCommand, CommandOutcome<ExpensePaid>>(new RecordImprovementExpenseCommand(commandContext(meta, this.clock), id, body));
    return this.responder.respond(reply, outcome);
  }
}
