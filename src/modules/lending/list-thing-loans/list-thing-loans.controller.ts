import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../../../http/auth';
import { ApiProblems } from '../../../http/openapi';
import { AsOfQueryDto } from '../../../http/query.dto';
import { UuidParamPipe } from '../../../http/validation';
import { WriteResponder } from '../../../http/write-responder';
import { Actor } from '../../../shared/decider';
import { ListThingLoansQueryDto } from './list-thing-loans.dto';
import { ThingLoanDto, ThingLoanListDto } from '../lending.responses';
import { READERS, READ_PROBLEMS } from '../shared/lending-reads';
import { GetThingLoanQuery, ListThingLoansQuery } from './list-thing-loans.handler';

// Operation ids are those the one lending controller gave them, so the OpenAPI document stays the same.
@ApiTags('lending')
@Controller('v1')
export class ListThingLoansController {
  constructor(
    private readonly queries: QueryBus,
    private readonly responder: WriteResponder,
  ) {}

  @Get('loans')
  @Roles(...READERS)
  @ApiOperation({ operationId: 'LendingController_listThingLoans', summary: 'Loans of things as of a day; `status=overdue` is derived from the due date' })
  @ApiOkResponse({ type: ThingLoanListDto })
  @ApiProblems(...READ_PROBLEMS)
  async listThingLoans(@Query() query: ListThingLoansQueryDto, @CurrentActor() actor: Actor) {
    await this.responder.awaitPosition(query.minPosition);
    return this.queries.execute(new ListThingLoansQuery(actor, query));
  }

  @Get('loans/:loanId')
  @Roles(...READERS)
  @ApiOperation({ operationId: 'LendingController_getThingLoan', summary: 'One loan of a thing as of a day' })
  @ApiOkResponse({ type: ThingLoanDto })
  @ApiProblems(...READ_PROBLEMS, 404)
  async getThingLoan(@Param('loanId', UuidParamPipe) loanId: string, @Query() query: AsOfQueryDto, @CurrentActor() actor: Actor) {
    await this.responder.awaitPosition(query.minPosition);
    return this.queries.execute(new GetThingLoanQuery(actor, loanId, query));
  }
}
