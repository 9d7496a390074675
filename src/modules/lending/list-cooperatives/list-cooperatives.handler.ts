import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DEFAULT_PAGE_SIZE } from '../../../http/query.dto';
import { ReadModelDatabase } from '../../../projections/read-model-database';
import { Actor } from '../../../shared/decider';
import { CooperativeView, findCooperative, listCooperatives } from '../cooperatives/cooperatives.queries';
import { ListCooperativesQueryDto } from './list-cooperatives.dto';
import { LendingErrors } from '../lending.errors';
import { hiddenFrom } from '../shared/lending-reads';

export class ListCooperativesQuery {
  constructor(
    readonly actor: Actor,
    readonly query: ListCooperativesQueryDto,
  ) {}
}

export class GetCooperativeQuery {
  constructor(
    readonly actor: Actor,
    readonly cooperativeId: string,
  ) {}
}

/** A cooperative token lists only its own cooperative. */
@QueryHandler(ListCooperativesQuery)
export class ListCooperativesHandler implements IQueryHandler<ListCooperativesQuery, { items: CooperativeView[]; next?: string }> {
  constructor(private readonly readModels: ReadModelDatabase) {}

  async execute({ actor, query }: ListCooperativesQuery) {
    const only = actor.role === 'cooperative' ? (actor.subject ?? '') : undefined;
    return listCooperatives(this.readModels.db, { only, after: query.after, limit: query.limit ?? DEFAULT_PAGE_SIZE });
  }
}

@QueryHandler(GetCooperativeQuery)
export class GetCooperativeHandler implements IQueryHandler<GetCooperativeQuery, CooperativeView> {
  constructor(private readonly readModels: ReadModelDatabase) {}

  async execute({ actor, cooperativeId }: GetCooperativeQuery): Promise<CooperativeView> {
    const cooperative = hiddenFrom(actor, [cooperativeId]) ? undefined : findCooperative(this.readModels.db, cooperativeId);
    if (!cooperative) throw LendingErrors.cooperativeNotFound(cooperativeId);
    return cooperative;
  }
}
