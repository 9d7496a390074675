import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentActor, Roles } from '../../http/auth';
import { IdempotencyKeyHeader, Meta, RequestMeta, commandContext } from '../../http/request-meta';
import { UuidParamPipe } from '../../http/validation';
import { WriteResponder } from '../../http/write-responder';
import { ReadModelDatabase } from '../../projections/read-model-database';
import { Clock } from '../../shared/clock';
import { Actor } from '../../shared/decider';
import { NotFoundError } from '../../shared/domain-error';
import { ListCooperativesQueryDto, RegisterCooperativeDto } from './lending.dto';
import { findCooperative, listCooperatives } from './lending.projection';
import { LendingWriter, requireActingFor } from './lending-writer';

const READERS = ['steward', 'auditor', 'cooperative'] as const;

/** Lending between cooperatives: the cooperatives themselves, and money loans between them. */
@ApiTags('lending')
@Controller('v1')
export class LendingController {
  constructor(
    private readonly writer: LendingWriter,
    private readonly responder: WriteResponder,
    private readonly readModels: ReadModelDatabase,
    private readonly clock: Clock,
  ) {}

  @Post('cooperatives')
  @HttpCode(201)
  @Roles('steward')
  @IdempotencyKeyHeader()
  @ApiCreatedResponse({ description: 'The cooperative id; names are unique (COOPERATIVE.NAME_TAKEN).' })
  async registerCooperative(@Body() body: RegisterCooperativeDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.responder.respond(reply, await this.writer.registerCooperative(commandContext(meta, this.clock), body));
  }

  /** A cooperative token sees only its own cooperative. */
  @Get('cooperatives')
  @Roles(...READERS)
  listCooperatives(@Query() query: ListCooperativesQueryDto, @CurrentActor() actor: Actor) {
    const limit = query.limit ?? 50;
    const only = actor.role === 'cooperative' ? (actor.subject ?? '') : undefined;
    const items = listCooperatives(this.readModels.db, { only, after: query.after, limit });
    return { items, ...(items.length === limit ? { next: items[items.length - 1].name } : {}) };
  }

  @Get('cooperatives/:cooperativeId')
  @Roles(...READERS)
  getCooperative(@Param('cooperativeId', UuidParamPipe) cooperativeId: string, @CurrentActor() actor: Actor) {
    requireActingFor(actor, [cooperativeId]);
    const cooperative = findCooperative(this.readModels.db, cooperativeId);
    if (!cooperative) throw new NotFoundError('COOPERATIVE.NOT_FOUND', `No cooperative ${cooperativeId}.`, { cooperativeId });
    return cooperative;
  }
}
