import { Controller, Get, Param, Query } from '@nestjs/common';
import { UuidParamPipe } from '../../../http/validation';
import { IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { Roles } from '../../../http/auth';
import { WriteResponder } from '../../../http/write-responder';
import { ReadModelDatabase } from '../../../projections/read-model-database';
import { NotFoundError } from '../../../shared/domain-error';
import { FundView, findFund, listFunds } from '../fund/fund.projection';

export class ListFundsQueryDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{1,39}$/)
  after?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  minPosition?: number;
}

export class ReadQueryDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  minPosition?: number;
}

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
  @ApiOkResponse({ description: 'Funds ordered by code; `next` is the `after` of the next page.' })
  async list(@Query() query: ListFundsQueryDto): Promise<{ items: FundView[]; next?: string }> {
    await this.responder.awaitPosition(query.minPosition);
    return this.queries.execute(new ListFundsQuery({ after: query.after, limit: query.limit ?? 50 }));
  }

  @Get(':fundId')
  @Roles('steward', 'auditor', 'sustainer', 'cooperative')
  async get(@Param('fundId', UuidParamPipe) fundId: string, @Query() query: ReadQueryDto): Promise<FundView> {
    await this.responder.awaitPosition(query.minPosition);
    return this.queries.execute(new GetFundQuery(fundId));
  }
}
