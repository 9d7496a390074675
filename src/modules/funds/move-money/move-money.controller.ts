import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { Roles } from '../../../http/auth';
import { IdempotencyKeyHeader, Meta, RequestMeta, commandContext } from '../../../http/request-meta';
import { UuidParamPipe } from '../../../http/validation';
import { WriteResponder } from '../../../http/write-responder';
import { ReadModelDatabase } from '../../../projections/read-model-database';
import { Clock } from '../../../shared/clock';
import { NotFoundError } from '../../../shared/domain-error';
import type { MovementKind } from '../movement/movement.decider';
import { MovementView, findMovement, listMovements } from '../movement/movement.projection';
import { MovementWriter } from '../movement/movement-writer';
import {
  MovementCreatedDto,
  ReasonDto,
  RecordIncomeDto,
  RequestDisbursementDto,
  RequestTransferDto,
  ReverseMovementDto,
} from './move-money.dto';

export class ListMovementsQueryDto {
  @IsOptional() @IsIn(['requested', 'posted', 'rejected', 'expired']) status?: 'requested' | 'posted' | 'rejected' | 'expired';
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
  @IsOptional() @IsUUID() before?: string;
}

const WRITERS = ['steward'] as const;
const READERS = ['steward', 'auditor'] as const;

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
  @ApiCreatedResponse({ type: MovementCreatedDto, description: 'A pending transfer holding the amount on the source fund.' })
  async requestTransfer(@Body() body: RequestTransferDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.responder.respond(reply, await this.writer.requestTransfer(commandContext(meta, this.clock), body));
  }

  @Post('disbursements')
  @HttpCode(201)
  @Roles(...WRITERS)
  @IdempotencyKeyHeader()
  @ApiCreatedResponse({ type: MovementCreatedDto, description: 'A spending request awaiting approval by another steward.' })
  async requestDisbursement(@Body() body: RequestDisbursementDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.responder.respond(reply, await this.writer.requestDisbursement(commandContext(meta, this.clock), body));
  }

  @Post('income')
  @HttpCode(201)
  @Roles(...WRITERS)
  @IdempotencyKeyHeader()
  @ApiCreatedResponse({ type: MovementCreatedDto, description: 'Money received from outside (a grant, an opening balance, interest), posted at once.' })
  async recordIncome(@Body() body: RecordIncomeDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.responder.respond(reply, await this.writer.recordIncome(commandContext(meta, this.clock), body));
  }

  @Post(['transfers/:movementId/approve', 'disbursements/:movementId/approve'])
  @HttpCode(201)
  @Roles(...WRITERS)
  @IdempotencyKeyHeader()
  @ApiCreatedResponse({ type: MovementCreatedDto })
  async approve(@Param('movementId', UuidParamPipe) movementId: string, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.responder.respond(reply, await this.writer.approve(commandContext(meta, this.clock), movementId));
  }

  @Post(['transfers/:movementId/reject', 'disbursements/:movementId/reject'])
  @HttpCode(201)
  @Roles(...WRITERS)
  @IdempotencyKeyHeader()
  @ApiCreatedResponse({ type: MovementCreatedDto })
  async reject(
    @Param('movementId', UuidParamPipe) movementId: string,
    @Body() body: ReasonDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.responder.respond(reply, await this.writer.reject(commandContext(meta, this.clock), movementId, body.reason));
  }

  @Post('movements/:movementId/reverse')
  @HttpCode(201)
  @Roles(...WRITERS)
  @IdempotencyKeyHeader()
  @ApiCreatedResponse({ type: MovementCreatedDto, description: 'A new movement of opposite sign pointing to the original; at most once.' })
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
  @ApiOkResponse({ description: 'Transfers, newest first.' })
  listTransfers(@Query() query: ListMovementsQueryDto): { items: MovementView[] } {
    return { items: listMovements(this.readModels.db, { kind: 'transfer', ...query, limit: query.limit ?? 50 }) };
  }

  @Get('disbursements')
  @Roles(...READERS)
  listDisbursements(@Query() query: ListMovementsQueryDto): { items: MovementView[] } {
    return { items: listMovements(this.readModels.db, { kind: 'disbursement', ...query, limit: query.limit ?? 50 }) };
  }

  @Get('transfers/:movementId')
  @Roles(...READERS)
  getTransfer(@Param('movementId', UuidParamPipe) movementId: string): MovementView {
    return this.find(movementId, 'transfer');
  }

  @Get('disbursements/:movementId')
  @Roles(...READERS)
  getDisbursement(@Param('movementId', UuidParamPipe) movementId: string): MovementView {
    return this.find(movementId, 'disbursement');
  }

  @Get('movements/:movementId')
  @Roles(...READERS)
  getMovement(@Param('movementId', UuidParamPipe) movementId: string): MovementView {
    return this.find(movementId);
  }

  private find(movementId: string, kind?: MovementKind): MovementView {
    const movement = findMovement(this.readModels.db, movementId, kind);
    if (!movement) throw new NotFoundError('MOVEMENT.NOT_FOUND', `No ${kind ?? 'movement'} ${movementId}.`, { movementId });
    return movement;
  }
}
