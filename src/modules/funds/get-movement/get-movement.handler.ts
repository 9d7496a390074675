import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ReadModelDatabase } from '../../../projections/read-model-database';
import { MovementErrors } from '../funds.errors';
import type { MovementKind } from '../movement/movement.decider';
import type { MovementView } from '../movement-views/movement-views.projection';
import { findMovement } from '../movement-views/movement-views.queries';

/** One movement; with `kind`, only a movement of that kind (a transfer asked for as a disbursement is not found). */
export class GetMovementQuery {
  constructor(
    readonly movementId: string,
    readonly kind?: MovementKind,
  ) {}
}

@QueryHandler(GetMovementQuery)
export class GetMovementHandler implements IQueryHandler<GetMovementQuery, MovementView> {
  constructor(private readonly readModels: ReadModelDatabase) {}

  async execute({ movementId, kind }: GetMovementQuery): Promise<MovementView> {
    const movement = findMovement(this.readModels.db, movementId, kind);
    if (!movement) throw MovementErrors.notFound(movementId, kind);
    return movement;
  }
}
