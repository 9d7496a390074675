import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../http/auth';
import { ApiProblems } from '../../../http/openapi';
import { PositionQueryDto } from '../../../http/query.dto';
import { UuidParamPipe } from '../../../http/validation';
import { WriteResponder } from '../../../http/write-responder';
import type { MovementKind } from '../movement/movement.decider';
import type { MovementView } from '../movement-views/movement-views.projection';
import { operationId } from '../funds.operations';
import { MovementViewDto } from '../funds.responses';
import { GetMovementQuery } from './get-movement.handler';

const MOVEMENT_ID = { name: 'movementId', format: 'uuid' } as const;

@ApiTags('movements')
@Controller('v1')
export class GetMovementController {
  constructor(
    private readonly queries: QueryBus,
    private readonly responder: WriteResponder,
  ) {}

  @Get('transfers/:movementId')
  @Roles('steward', 'auditor')
  @ApiOperation({ summary: 'Show one transfer', operationId: operationId('MoveMoneyController', 'getTransfer') })
  @ApiParam(MOVEMENT_ID)
  @ApiOkResponse({ type: MovementViewDto })
  @ApiProblems(400, 401, 403, 404)
  getTransfer(@Param('movementId', UuidParamPipe) movementId: string, @Query() query: PositionQueryDto): Promise<MovementView> {
    return this.find(movementId, query, 'transfer');
  }

  @Get('disbursements/:movementId')
  @Roles('steward', 'auditor')
  @ApiOperation({ summary: 'Show one disbursement', operationId: operationId('MoveMoneyController', 'getDisbursement') })
  @ApiParam(MOVEMENT_ID)
  @ApiOkResponse({ type: MovementViewDto })
  @ApiProblems(400, 401, 403, 404)
  getDisbursement(@Param('movementId', UuidParamPipe) movementId: string, @Query() query: PositionQueryDto): Promise<MovementView> {
    return this.find(movementId, query, 'disbursement');
  }

  @Get('movements/:movementId')
  @Roles('steward', 'auditor')
  @ApiOperation({ summary: 'Show one movement of any kind', operationId: operationId('MoveMoneyController', 'getMovement') })
  @ApiParam(MOVEMENT_ID)
  @ApiOkResponse({ type: MovementViewDto })
  @ApiProblems(400, 401, 403, 404)
  getMovement(@Param('movementId', UuidParamPipe) movementId: string, @Query() query: PositionQueryDto): Promise<MovementView> {
    return this.find(movementId, query);
  }

  private async find(movementId: string, query: PositionQueryDto, kind?: MovementKind): Promise<MovementView> {
    await this.responder.awaitPosition(query.minPosition);
    return this.queries.execute(new GetMovementQuery(movementId, kind));
  }
}
