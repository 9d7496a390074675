import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { OptionalField } from '../../../http/dto-rules';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn} from 'class-validator';
import type { FastifyReply } from 'fastify';
import { Roles } from '../../../http/auth';
import { ApiProblems } from '../../../http/openapi';
import { DEFAULT_PAGE_SIZE, PageQueryDto, PositionQueryDto } from '../../../http/query.dto';
import { IdempotencyKeyHeader, Meta, RequestMeta, commandContext } from '../../../http/request-meta';
import { UuidParamPipe } from '../../../http/validation';
import { WriteResponder } from '../../../http/write-responder';
import { ReadModelDatabase } from '../../../projections/read-model-database';
import { Clock } from '../../../shared/clock';
import { NotFoundError } from '../../../shared/domain-error';
import type { MovementKind } from '../movement/movement.decider';
import { MovementStatus, MovementView, findMovement, listMovements } from '../movement/movement.projection';
import { MovementWriter } from '../movement/movement-writer';
import {
  DecisionDto,
  MovementCreatedDto,
  RecordIncomeDto,
  RejectMovementDto,
  RequestDisbursementDto,
  RequestTransferDto,
  ReverseMovementDto,
} from './move-money.dto';
import { MovementListDto, MovementViewDto } from './movement-view.dto';

const STATUSES: readonly MovementStatus[] = ['requested', 'posted', 'rejected', 'expired'];

/** Movements newest first; `after` is the `next` of the previous page (a movement id). */
export class ListMovementsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: STATUSES })
  @OptionalField()
  @IsIn(STATUSES)
  status?: MovementStatus;
}

const WRITERS = ['steward'] as const;
const READERS = ['steward', 'auditor'] as const;
const MOVEMENT_ID = { name: 'movementId', format: 'uuid' } as const;

/**
 * Transfers, disbursements, income and reversals. Every write answers 201 with the movement's id,
 * its status and the log position; approvals by the requester are refused (MOVEMENT.SELF_APPROVAL).
 */
@ApiTags('movements')
@Controller('v1')
export class MoveMoneyController {
  constructor(
    private readonly writer: MovementWriter,
    private readonly responder: WriteResponder,
    private readonly readModels: ReadModelDatabase,
    private readonly clock: Clock,
  ) {}

  @Post('transfers')
  @HttpCode(201)
  @Roles(...WRITERS)
  @IdempotencyKeyHeader()
  @ApiOperation({ summary: 'Request a transfer between two funds (held until another steward approves)' })
  @ApiCreatedResponse({ type: MovementCreatedDto, description: 'A pending transfer holding the amount on the source fund.' })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  async requestTransfer(@Body() body: RequestTransferDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.responder.respond(reply, await this.writer.requestTransfer(commandContext(meta, this.clock), body));
  }

  @Post('disbursements')
  @HttpCode(201)
  @Roles(...WRITERS)
  @IdempotencyKeyHeader()
  @ApiOperation({ summary: 'Request a disbursement (spending) from a fund' })
  @ApiCreatedResponse({ type: MovementCreatedDto, description: 'A spending request awaiting approval by another steward.' })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  async requestDisbursement(@Body() body: RequestDisbursementDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.responder.respond(reply, await this.writer.requestDisbursement(commandContext(meta, this.clock), body));
  }

  @Post('income')
  @HttpCode(201)
  @Roles(...WRITERS)
  @IdempotencyKeyHeader()
  @ApiOperation({ summary: 'Record income received into a fund (posted at once)' })
  @ApiCreatedResponse({ type: MovementCreatedDto, description: 'Money received from outside (a grant, an opening balance, interest), posted at once.' })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  async recordIncome(@Body() body: RecordIncomeDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.responder.respond(reply, await this.writer.recordIncome(commandContext(meta, this.clock), body));
  }

  @Post(['transfers/:movementId/approve', 'disbursements/:movementId/approve'])
  @HttpCode(201)
  @Roles(...WRITERS)
  @IdempotencyKeyHeader()
  @ApiOperation({ summary: 'Approve a pending transfer or disbursement (another steward than the requester), optionally dated after the fact' })
  @ApiParam(MOVEMENT_ID)
  @ApiBody({ type: DecisionDto, required: false })
  @ApiCreatedResponse({ type: MovementCreatedDto, description: 'The movement is posted; the postings keep its own business date.' })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  async approve(
    @Param('movementId', UuidParamPipe) movementId: string,
    @Body() body: DecisionDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.responder.respond(reply, await this.writer.approve(commandContext(meta, this.clock), movementId, body?.effectiveAt));
  }

  @Post(['transfers/:movementId/reject', 'disbursements/:movementId/reject'])
  @HttpCode(201)
  @Roles(...WRITERS)
  @IdempotencyKeyHeader()
  @ApiOperation({ summary: 'Reject a pending transfer or disbursement, releasing what it held' })
  @ApiParam(MOVEMENT_ID)
  @ApiCreatedResponse({ type: MovementCreatedDto })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  async reject(
    @Param('movementId', UuidParamPipe) movementId: string,
    @Body() body: RejectMovementDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.responder.respond(reply, await this.writer.reject(commandContext(meta, this.clock), movementId, body.reason, body.effectiveAt));
  }

  @Post('movements/:movementId/reverse')
  @HttpCode(201)
  @Roles(...WRITERS)
  @IdempotencyKeyHeader()
  @ApiOperation({ summary: 'Reverse a posted movement once, with a reason, dated in an open period' })
  @ApiParam(MOVEMENT_ID)
  @ApiCreatedResponse({ type: MovementCreatedDto, description: 'A new movement of opposite sign pointing to the original; at most once.' })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  async reverse(
    @Param('movementId', UuidParamPipe) movementId: string,
    @Body() body: ReverseMovementDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.responder.respond(reply, await this.writer.reverse(commandContext(meta, this.clock), movementId, body.reason, body.effectiveAt));
  }

  @Get('transfers')
  @Roles(...READERS)
  @ApiOperation({ summary: 'List transfers, newest first' })
  @ApiOkResponse({ type: MovementListDto, description: 'Transfers, newest first.' })
  @ApiProblems(400, 401, 403)
  async listTransfers(@Query() query: ListMovementsQueryDto): Promise<{ items: MovementView[]; next?: string }> {
    return this.list('transfer', query);
  }

  @Get('disbursements')
  @Roles(...READERS)
  @ApiOperation({ summary: 'List disbursements, newest first' })
  @ApiOkResponse({ type: MovementListDto, description: 'Disbursements, newest first.' })
  @ApiProblems(400, 401, 403)
  async listDisbursements(@Query() query: ListMovementsQueryDto): Promise<{ items: MovementView[]; next?: string }> {
    return this.list('disbursement', query);
  }

  @Get('transfers/:movementId')
  @Roles(...READERS)
  @ApiOperation({ summary: 'Show one transfer' })
  @ApiParam(MOVEMENT_ID)
  @ApiOkResponse({ type: MovementViewDto })
  @ApiProblems(400, 401, 403, 404)
  async getTransfer(@Param('movementId', UuidParamPipe) movementId: string, @Query() query: PositionQueryDto): Promise<MovementView> {
    await this.responder.awaitPosition(query.minPosition);
    return this.find(movementId, 'transfer');
  }

  @Get('disbursements/:movementId')
  @Roles(...READERS)
  @ApiOperation({ summary: 'Show one disbursement' })
  @ApiParam(MOVEMENT_ID)
  @ApiOkResponse({ type: MovementViewDto })
  @ApiProblems(400, 401, 403, 404)
  async getDisbursement(@Param('movementId', UuidParamPipe) movementId: string, @Query() query: PositionQueryDto): Promise<MovementView> {
    await this.responder.awaitPosition(query.minPosition);
    return this.find(movementId, 'disbursement');
  }

  @Get('movements/:movementId')
  @Roles(...READERS)
  @ApiOperation({ summary: 'Show one movement of any kind' })
  @ApiParam(MOVEMENT_ID)
  @ApiOkResponse({ type: MovementViewDto })
  @ApiProblems(400, 401, 403, 404)
  async getMovement(@Param('movementId', UuidParamPipe) movementId: string, @Query() query: PositionQueryDto): Promise<MovementView> {
    await this.responder.awaitPosition(query.minPosition);
    return this.find(movementId);
  }

  private async list(kind: MovementKind, query: ListMovementsQueryDto): Promise<{ items: MovementView[]; next?: string }> {
    await this.responder.awaitPosition(query.minPosition);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const items = listMovements(this.readModels.db, { kind, status: query.status, after: query.after, limit });
    return { items, ...(items.length === limit ? { next: items[items.length - 1].movementId } : {}) };
  }

  private find(movementId: string, kind?: MovementKind): MovementView {
    const movement = findMovement(this.readModels.db, movementId, kind);
    if (!movement) throw new NotFoundError('MOVEMENT.NOT_FOUND', `No ${kind ?? 'movement'} ${movementId}.`, { movementId });
    return movement;
  }
}
