import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ReadModelDatabase } from '../../../projections/read-model-database';
import { page } from '../land-trust.http';
import { listImprovements } from '../improvements/improvements.queries';

export class ListImprovementsQuery {
  constructor(readonly filter: { propertyId?: string; status?: string; after?: string; limit: number }) {}
}

type ImprovementItem = ReturnType<typeof listImprovements>[number];

/** Projects in planning order: `next` is the last improvement id of a full page. */
@QueryHandler(ListImprovementsQuery)
export class ListImprovementsHandler implements IQueryHandler<ListImprovementsQuery, { items: ImprovementItem[]; next?: string }> {
  constructor(private readonly readModels: ReadModelDatabase) {}

  async execute({ filter }: ListImprovementsQuery): Promise<{ items: ImprovementItem[]; next?: string }> {
    return page(listImprovements(this.readModels.db, filter), filter.limit, (i) => i.improvementId);
  }
}
