import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ReadModelDatabase } from '../../../projections/read-model-database';
import { LandTrustErrors } from '../land-trust.errors';
import { findProperty } from '../properties/properties.queries';
import { propertyReport } from '../reports/land-trust-report';

export class ReadPropertyReportQuery {
  constructor(
    readonly propertyId: string,
    readonly asOf: string | undefined,
  ) {}
}

export type PropertyReport = ReturnType<typeof propertyReport>;

/** A property's projects and their figures as of a day; PROPERTY.NOT_FOUND for an unknown property. */
@QueryHandler(ReadPropertyReportQuery)
export class ReadPropertyReportHandler implements IQueryHandler<ReadPropertyReportQuery, PropertyReport> {
  constructor(private readonly readModels: ReadModelDatabase) {}

  async execute({ propertyId, asOf }: ReadPropertyReportQuery): Promise<PropertyReport> {
    const property = findProperty(this.readModels.db, propertyId);
    if (!property) throw LandTrustErrors.propertyNotFound(propertyId);
    return propertyReport(this.readModels.db, { propertyId, address: property.address, parcelId: property.parcelId, status: property.status }, asOf);
  }
}
