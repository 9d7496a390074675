import { Controller, Get, Param, Query } from '@nestjs/common';
import { IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../http/auth';
import { ApiProblems } from '../../../http/openapi';
import { DEFAULT_PAGE_SIZE, PageQueryDto, PositionQueryDto } from '../../../http/query.dto';
import { UuidParamPipe } from '../../../http/validation';
import { WriteResponder } from '../../../http/write-responder';
import { ReadModelDatabase } from '../../../projections/read-model-database';
import { NotFoundError } from '../../../shared/domain-error';
import { FundView, findFund, listFunds } from '../fund/fund.projection';
import { FundListDto, FundViewDto } from './fund-view.dto';

/** Funds by code: `after` is the last code of the previous page (the `next` it answered). */
export class ListFundsQueryDto extends PageQueryDto {}

export class ListFundsQuery {
  constructor(readonly page: { after?: string; limit: number }) {}
}

export class GetFundQuery {
  constructor(readonly fundId: string) {}
}

@QueryHandler(ListFundsQuery)
export class ListFundsHandler implements IQueryHandler<ListFundsQuery, { items: FundView[]; next?: string }> {
  constructor(private readonly readModels: ReadModelDatabase) {}

  async execute({ page }: ListFundsQuery): Promise<{ items: FundView[]; next?: string }> {
    const items = listFunds(this.readModels.db, page);
    return { items, ...(items.length === page.limit ? { next: items[items.length - 1].code } : {}) };
  }
}

@QueryHandler(GetFundQuery)
export class GetFundHandler implements IQueryHandler<GetFundQuery, FundView> {
  constructor(private readonly readModels: ReadModelDatabase) {}

  async execute({ fundId }: GetFundQuery): Promise<FundView> {
    const fund = findFund(this.readModels.db, fundId);
    if (!fund) throw new NotFoundError('FUND.NOT_FOUND', `No fund ${fundId}.`, { fundId });
    return fund;
  }
}

@ApiTags('funds')
@Controller('v1/funds')
export class FundsQueryController {
  constructor(
    private readonly queries: QueryBus,
    private readonly responder: WriteResponder,
  ) {}

  @Get()
  @Roles('steward', 'auditor', 'sustainer', 'cooperative')
  @ApiOperation({ summary: 'List funds by code, a page at a time' })
  @ApiOkResponse({ type: FundListDto, description: 'Funds ordered by code; `next` is the `after` of the next page.' })
  @ApiProblems(400, 401, 403)
  async list(@Query() query: ListFundsQueryDto): Promise<{ items: FundView[]; next?: string }> {
    await this.responder.awaitPosition(query.minPosition);
    return this.queries.execute(new ListFundsQuery({ after: query.after, limit: query.limit ?? DEFAULT_PAGE_SIZE }));
  }

  @Get(':fundId')
  @Roles('steward', 'auditor', 'sustainer', 'cooperative')
  @ApiOperation({ summary: 'Show one fund' })
  @ApiParam({ name: 'fundId', format: 'uuid' })
  @ApiOkResponse({ type: FundViewDto })
  @ApiProblems(400, 401, 403, 404)
  async get(@Param('fundId', UuidParamPipe) fundId: string, @Query() query: PositionQueryDto): Promise<FundView> {
    await this.responder.awaitPosition(query.minPosition);
    return this.queries.execute(new GetFundQuery(fundId));
  }
}
