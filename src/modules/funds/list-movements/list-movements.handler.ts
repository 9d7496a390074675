import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ReadModelDatabase } from '../../../projections/read-model-database';
import type { MovementKind } from '../movement/movement.decider';
import type { MovementStatus, MovementView } from '../movement-views/movement-views.projection';
import { listMovements } from '../movement-views/movement-views.queries';

export class ListMovementsQuery {
  constructor(readonly filter: { kind: MovementKind; status?: MovementStatus; after?: string; limit: number }) {}
}

@QueryHandler(ListMovementsQuery)
export class ListMovementsHandler implements IQueryHandler<ListMovementsQuery, { items: MovementView[]; next?: string }> {
  constructor(private readonly readModels: ReadModelDatabase) {}

  async execute({ filter }: ListMovementsQuery): Promise<{ items: MovementView[]; next?: string }> {
    const items = listMovements(this.readModels.db, filter);
    return { items, ...(items.length === filter.limit ? { next: items[items.length - 1].movementId } : {}) };
  }
}
