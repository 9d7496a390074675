import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../http/auth';
import { ApiProblems } from '../../../http/openapi';
import { DEFAULT_PAGE_SIZE } from '../../../http/query.dto';
import { UuidParamPipe } from '../../../http/validation';
import { WriteResponder } from '../../../http/write-responder';
import { operationId } from '../funds.operations';
import { JournalDto } from '../funds.responses';
import { JournalQueryDto } from './read-journal.dto';
import { ReadJournalQuery } from './read-journal.handler';

@ApiTags('balances')
@Controller('v1')
export class ReadJournalController {
  constructor(
    private readonly queries: QueryBus,
    private readonly responder: WriteResponder,
  ) {}

  @Get('funds/:fundId/journal')
  @Roles('steward', 'auditor')
  @ApiOperation({ summary: "A fund's entries, newest business day first, a page at a time", operationId: operationId('BalancesController', 'journal') })
  @ApiParam({ name: 'fundId', format: 'uuid' })
  @ApiOkResponse({ type: JournalDto })
  @ApiProblems(400, 401, 403, 404)
  async journal(@Param('fundId', UuidParamPipe) fundId: string, @Query() query: JournalQueryDto): Promise<JournalDto> {
    await this.responder.awaitPosition(query.minPosition);
    return this.queries.execute(
      new ReadJournalQuery(fundId, { from: query.from, to: query.to, kind: query.kind, after: query.after, limit: query.limit ?? DEFAULT_PAGE_SIZE }),
    );
  }
}
