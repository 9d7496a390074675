import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ReadModelDatabase } from '../../../projections/read-model-database';
import { LandTrustErrors } from '../land-trust.errors';
import { findImprovement } from '../improvements/improvements.queries';

export class GetImprovementQuery {
  constructor(readonly improvementId: string) {}
}

type ImprovementView = NonNullable<ReturnType<typeof findImprovement>>;

/** One project with its allocation, pending increases and expenses; IMPROVEMENT.NOT_FOUND when there is none. */
@QueryHandler(GetImprovementQuery)
export class GetImprovementHandler implements IQueryHandler<GetImprovementQuery, ImprovementView> {
  constructor(private readonly readModels: ReadModelDatabase) {}

  async execute({ improvementId }: GetImprovementQuery): Promise<ImprovementView> {
    const improvement = findImprovement(this.readModels.db, improvementId);
    if (!improvement) throw LandTrustErrors.improvementNotFound(improvementId);
    return improvement;
  }
}
