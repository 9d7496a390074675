import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DEFAULT_PAGE_SIZE } from '../../../http/query.dto';
import { ReadModelDatabase } from '../../../projections/read-model-database';
import { Clock } from '../../../shared/clock';
import { Actor } from '../../../shared/decider';
import { labourBalances } from '../labour-exchanges/labour-exchanges.queries';
import { AsOfCooperativeQueryDto } from '../shared/lending-dto-rules';
import { dayOf, listScope } from '../shared/lending-reads';
import { pageOf } from '../shared/page-of';

export class ReadLabourBalancesQuery {
  constructor(
    readonly actor: Actor,
    readonly query: AsOfCooperativeQueryDto,
  ) {}
}

@QueryHandler(ReadLabourBalancesQuery)
export class ReadLabourBalancesHandler implements IQueryHandler<ReadLabourBalancesQuery> {
  constructor(
    private readonly readModels: ReadModelDatabase,
    private readonly clock: Clock,
  ) {}

  async execute({ actor, query }: ReadLabourBalancesQuery) {
    const asOf = query.asOf ?? dayOf(this.clock.now());
    const scope = listScope(actor, query.cooperativeId);
    if (scope.none) return { asOf, items: [] };
    const items = labourBalances(this.readModels.db, { asOf, cooperativeId: scope.cooperativeId });
    return { asOf, ...pageOf(items, (b) => b.cooperativeId, query.after, query.limit ?? DEFAULT_PAGE_SIZE) };
  }
}
