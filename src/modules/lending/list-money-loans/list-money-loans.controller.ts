import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../../../http/auth';
import { ApiProblems } from '../../../http/openapi';
import { AsOfQueryDto } from '../../../http/query.dto';
import { UuidParamPipe } from '../../../http/validation';
import { WriteResponder } from '../../../http/write-responder';
import { Actor } from '../../../shared/decider';
import { ListMoneyLoansQueryDto } from './list-money-loans.dto';
import { MoneyLoanDto, MoneyLoanListDto } from '../lending.responses';
import { READERS, READ_PROBLEMS } from '../shared/lending-reads';
import { GetMoneyLoanQuery, ListMoneyLoansQuery } from './list-money-loans.handler';

// Operation ids are those the one lending controller gave them, so the OpenAPI document stays the same.
@ApiTags('lending')
@Controller('v1')
export class ListMoneyLoansController {
  constructor(
    private readonly queries: QueryBus,
    private readonly responder: WriteResponder,
  ) {}

  @Get('money-loans')
  @Roles(...READERS)
  @ApiOperation({ operationId: 'LendingController_listMoneyLoans', summary: 'Money loans with their standing as of a day (a cooperative token: those it lent or borrowed)' })
  @ApiOkResponse({ type: MoneyLoanListDto })
  @ApiProblems(...READ_PROBLEMS)
  async listMoneyLoans(@Query() query: ListMoneyLoansQueryDto, @CurrentActor() actor: Actor) {
    await this.responder.awaitPosition(query.minPosition);
    return this.queries.execute(new ListMoneyLoansQuery(actor, query));
  }

  @Get('money-loans/:loanId')
  @Roles(...READERS)
  @ApiOperation({ operationId: 'LendingController_getMoneyLoan', summary: 'One money loan: schedule and standing as of a day, or a loan from a fund awaiting approval' })
  @ApiOkResponse({ type: MoneyLoanDto })
  @ApiProblems(...READ_PROBLEMS, 404)
  async getMoneyLoan(@Param('loanId', UuidParamPipe) loanId: string, @Query() query: AsOfQueryDto, @CurrentActor() actor: Actor) {
    await this.responder.awaitPosition(query.minPosition);
    return this.queries.execute(new GetMoneyLoanQuery(actor, loanId, query));
  }
}
