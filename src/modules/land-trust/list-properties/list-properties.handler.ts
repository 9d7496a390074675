import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ReadModelDatabase } from '../../../projections/read-model-database';
import { page } from '../land-trust.http';
import { PropertyView, listProperties } from '../properties/properties.queries';

export class ListPropertiesQuery {
  constructor(readonly filter: { status?: string; after?: string; limit: number }) {}
}

/** Properties by parcel id: `next` is the last parcel id of a full page. */
@QueryHandler(ListPropertiesQuery)
export class ListPropertiesHandler implements IQueryHandler<ListPropertiesQuery, { items: PropertyView[]; next?: string }> {
  constructor(private readonly readModels: ReadModelDatabase) {}

  async execute({ filter }: ListPropertiesQuery): Promise<{ items: PropertyView[]; next?: string }> {
    return page(listProperties(this.readModels.db, filter), filter.limit, (p) => p.parcelId);
  }
}
