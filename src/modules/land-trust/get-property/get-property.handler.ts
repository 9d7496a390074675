import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ReadModelDatabase } from '../../../projections/read-model-database';
import { LandTrustErrors } from '../land-trust.errors';
import { PropertyView, findProperty } from '../properties/properties.queries';

export class GetPropertyQuery {
  constructor(readonly propertyId: string) {}
}

/** One property with its lease and status history; PROPERTY.NOT_FOUND when the read model has none. */
@QueryHandler(GetPropertyQuery)
export class GetPropertyHandler implements IQueryHandler<GetPropertyQuery, PropertyView> {
  constructor(private readonly readModels: ReadModelDatabase) {}

  async execute({ propertyId }: GetPropertyQuery): Promise<PropertyView> {
    const property = findProperty(this.readModels.db, propertyId);
    if (!property) throw LandTrustErrors.propertyNotFound(propertyId);
    return property;
  }
}
