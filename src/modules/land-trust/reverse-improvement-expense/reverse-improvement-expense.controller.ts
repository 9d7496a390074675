import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CommandOutcome } from '../../../commands/command-runner';
import { Roles } from '../../../http/auth';
import { ApiProblems } from '../../../http/openapi';
import { IdempotencyKeyHeader, Meta, RequestMeta, commandContext } from '../../../http/request-meta';
import { UuidParamPipe } from '../../../http/validation';
import { WriteResponder } from '../../../http/write-responder';
import { Clock } from '../../../shared/clock';
import { ReverseExpenseDto } from './reverse-improvement-expense.dto';
import { ImprovementIdParam, WRITERS, WRITE_PROBLEMS, operationId } from '../land-trust.http';
import { ExpenseReversedDto } from '../land-trust.responses';
import { ReverseImprovementExpenseCommand, ExpenseReversed } from './reverse-improvement-expense.handler';

@ApiTags('land trust')
@ApiBearerAuth()
@Controller('v1')
export class ReverseImprovementExpenseController {
  constructor(
    private readonly commands: CommandBus,
    private readonly responder: WriteResponder,
    private readonly clock: Clock,
  ) {}

  @Post('improvements/:improvementId/expenses/:expenseId/reverse')
  @HttpCode(201)
  @Roles(...WRITERS)
  @IdempotencyKeyHeader()
  @ImprovementIdParam()
  @ApiParam({ name: 'expenseId', format: 'uuid', description: 'The expense to reverse.' })
  @ApiOperation({ summary: "Reverse an expense once", operationId: operationId('reverseExpense') })
  @ApiCreatedResponse({ type: ExpenseReversedDto, description: "Back into its holds while the work goes on, released once it has ended." })
  @ApiProblems(...WRITE_PROBLEMS)
  async reverseExpense(
    @Param('improvementId', UuidParamPipe) id: string,
    @Param('expenseId', UuidParamPipe) expenseId: string,
    @Body() body: ReverseExpenseDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const outcome = await this.commands.execute<ReverseImprovementExpenseCommand, CommandOutcome<ExpenseReversed>>(new ReverseImprovementExpenseCommand(commandContext(meta, this.clock), id, expenseId, body));
    return this.responder.respond(reply, outcome);
  }
}
