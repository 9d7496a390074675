import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../http/auth';
import { ApiProblems } from '../../../http/openapi';
import { DEFAULT_PAGE_SIZE } from '../../../http/query.dto';
import { WriteResponder } from '../../../http/write-responder';
import type { MovementKind } from '../movement/movement.decider';
import type { MovementView } from '../movement-views/movement-views.projection';
import { operationId } from '../funds.operations';
import { MovementListDto } from '../funds.responses';
import { ListMovementsQueryDto } from './list-movements.dto';
import { ListMovementsQuery } from './list-movements.handler';

@ApiTags('movements')
@Controller('v1')
export class ListMovementsController {
  constructor(
    private readonly queries: QueryBus,
    private readonly responder: WriteResponder,
  ) {}

  @Get('transfers')
  @Roles('steward', 'auditor')
  @ApiOperation({ summary: 'List transfers, newest first', operationId: operationId('MoveMoneyController', 'listTransfers') })
  @ApiOkResponse({ type: MovementListDto, description: 'Transfers, newest first.' })
  @ApiProblems(400, 401, 403)
  listTransfers(@Query() query: ListMovementsQueryDto): Promise<{ items: MovementView[]; next?: string }> {
    return this.list('transfer', query);
  }

  @Get('disbursements')
  @Roles('steward', 'auditor')
  @ApiOperation({ summary: 'List disbursements, newest first', operationId: operationId('MoveMoneyController', 'listDisbursements') })
  @ApiOkResponse({ type: MovementListDto, description: 'Disbursements, newest first.' })
  @ApiProblems(400, 401, 403)
  listDisbursements(@Query() query: ListMovementsQueryDto): Promise<{ items: MovementView[]; next?: string }> {
    return this.list('disbursement', query);
  }

  private async list(kind: MovementKind, query: ListMovementsQueryDto): Promise<{ items: MovementView[]; next?: string }> {
    await this.responder.awaitPosition(query.minPosition);
    return this.queries.execute(
      new ListMovementsQuery({ kind, status: query.status, after: query.after, limit: query.limit ?? DEFAULT_PAGE_SIZE }),
    );
  }
}
