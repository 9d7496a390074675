import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../http/auth';
import { ApiProblems } from '../../../http/openapi';
import { WriteResponder } from '../../../http/write-responder';
import { DEFAULT_LIMIT, READERS, READ_PROBLEMS, operationId } from '../land-trust.http';
import { ImprovementListDto } from '../land-trust.responses';
import { ListImprovementsQueryDto } from './list-improvements.dto';
import { ListImprovementsQuery } from './list-improvements.handler';

@ApiTags('land trust')
@ApiBearerAuth()
@Controller('v1')
export class ListImprovementsController {
  constructor(
    private readonly queries: QueryBus,
    private readonly responder: WriteResponder,
  ) {}

  @Get('improvements')
  @Roles(...READERS)
  @ApiOperation({ summary: 'List projects in planning order; filter by property and status', operationId: operationId('listImprovements') })
  @ApiOkResponse({ type: ImprovementListDto })
  @ApiProblems(...READ_PROBLEMS)
  async listImprovements(@Query() query: ListImprovementsQueryDto) {
    await this.responder.awaitPosition(query.minPosition);
    return this.queries.execute(
      new ListImprovementsQuery({ propertyId: query.propertyId, status: query.status, after: query.after, limit: query.limit ?? DEFAULT_LIMIT }),
    );
  }
}
