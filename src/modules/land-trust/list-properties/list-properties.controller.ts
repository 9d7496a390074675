import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../http/auth';
import { ApiProblems } from '../../../http/openapi';
import { WriteResponder } from '../../../http/write-responder';
import { DEFAULT_LIMIT, READERS, READ_PROBLEMS, operationId } from '../land-trust.http';
import { PropertyListDto } from '../land-trust.responses';
import { ListPropertiesQueryDto } from './list-properties.dto';
import { ListPropertiesQuery } from './list-properties.handler';

@ApiTags('land trust')
@ApiBearerAuth()
@Controller('v1')
export class ListPropertiesController {
  constructor(
    private readonly queries: QueryBus,
    private readonly responder: WriteResponder,
  ) {}

  @Get('properties')
  @Roles(...READERS)
  @ApiOperation({ summary: 'List properties by parcel id, a page at a time', operationId: operationId('list') })
  @ApiOkResponse({ type: PropertyListDto })
  @ApiProblems(...READ_PROBLEMS)
  async list(@Query() query: ListPropertiesQueryDto) {
    await this.responder.awaitPosition(query.minPosition);
    return this.queries.execute(new ListPropertiesQuery({ status: query.status, after: query.after, limit: query.limit ?? DEFAULT_LIMIT }));
  }
}
