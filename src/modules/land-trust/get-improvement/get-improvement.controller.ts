import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../http/auth';
import { ApiProblems } from '../../../http/openapi';
import { PositionQueryDto } from '../../../http/query.dto';
import { UuidParamPipe } from '../../../http/validation';
import { WriteResponder } from '../../../http/write-responder';
import { ImprovementIdParam, READERS, READ_ONE_PROBLEMS, operationId } from '../land-trust.http';
import { ImprovementViewDto } from '../land-trust.responses';
import { GetImprovementQuery } from './get-improvement.handler';

@ApiTags('land trust')
@ApiBearerAuth()
@Controller('v1')
export class GetImprovementController {
  constructor(
    private readonly queries: QueryBus,
    private readonly responder: WriteResponder,
  ) {}

  @Get('improvements/:improvementId')
  @Roles(...READERS)
  @ImprovementIdParam()
  @ApiOperation({ summary: 'One project with its allocation, pending increases and expenses', operationId: operationId('getImprovement') })
  @ApiOkResponse({ type: ImprovementViewDto })
  @ApiProblems(...READ_ONE_PROBLEMS)
  async getImprovement(@Param('improvementId', UuidParamPipe) id: string, @Query() query: PositionQueryDto) {
    await this.responder.awaitPosition(query.minPosition);
    return this.queries.execute(new GetImprovementQuery(id));
  }
}
