import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../http/auth';
import { ApiProblems } from '../../../http/openapi';
import { DEFAULT_PAGE_SIZE } from '../../../http/query.dto';
import { WriteResponder } from '../../../http/write-responder';
import type { FundView } from '../fund-views/fund-views.projection';
import { operationId } from '../funds.operations';
import { FundListDto } from '../funds.responses';
import { ListFundsQueryDto } from './list-funds.dto';
import { ListFundsQuery } from './list-funds.handler';

@ApiTags('funds')
@Controller('v1/funds')
export class ListFundsController {
  constructor(
    private readonly queries: QueryBus,
    private readonly responder: WriteResponder,
  ) {}

  @Get()
  @Roles('steward', 'auditor', 'sustainer', 'cooperative')
  @ApiOperation({ summary: 'List funds by code, a page at a time', operationId: operationId('FundsQueryController', 'list') })
  @ApiOkResponse({ type: FundListDto, description: 'Funds ordered by code; `next` is the `after` of the next page.' })
  @ApiProblems(400, 401, 403)
  async list(@Query() query: ListFundsQueryDto): Promise<{ items: FundView[]; next?: string }> {
    await this.responder.awaitPosition(query.minPosition);
    return this.queries.execute(new ListFundsQuery({ after: query.after, limit: query.limit ?? DEFAULT_PAGE_SIZE }));
  }
}
