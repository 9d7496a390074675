import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../http/auth';
import { ApiProblems } from '../../../http/openapi';
import { PositionQueryDto } from '../../../http/query.dto';
import { UuidParamPipe } from '../../../http/validation';
import { WriteResponder } from '../../../http/write-responder';
import { PropertyIdParam, READERS, READ_ONE_PROBLEMS, operationId } from '../land-trust.http';
import { PropertyViewDto } from '../land-trust.responses';
import { GetPropertyQuery } from './get-property.handler';

@ApiTags('land trust')
@ApiBearerAuth()
@Controller('v1')
export class GetPropertyController {
  constructor(
    private readonly queries: QueryBus,
    private readonly responder: WriteResponder,
  ) {}

  @Get('properties/:propertyId')
  @Roles(...READERS)
  @PropertyIdParam()
  @ApiOperation({ summary: 'One property with its ground lease and status history', operationId: operationId('get') })
  @ApiOkResponse({ type: PropertyViewDto })
  @ApiProblems(...READ_ONE_PROBLEMS)
  async get(@Param('propertyId', UuidParamPipe) propertyId: string, @Query() query: PositionQueryDto) {
    await this.responder.awaitPosition(query.minPosition);
    return this.queries.execute(new GetPropertyQuery(propertyId));
  }
}
