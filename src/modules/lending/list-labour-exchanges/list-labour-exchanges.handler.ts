import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DEFAULT_PAGE_SIZE } from '../../../http/query.dto';
import { ReadModelDatabase } from '../../../projections/read-model-database';
import { Clock } from '../../../shared/clock';
import { Actor } from '../../../shared/decider';
import { listLabourExchanges } from '../labour-exchanges/labour-exchanges.queries';
import { AsOfCooperativeQueryDto } from '../shared/lending-dto-rules';
import { dayOf, listScope } from '../shared/lending-reads';
import { pageOf } from '../shared/page-of';

export class ListLabourExchangesQuery {
  constructor(
    readonly actor: Actor,
    readonly query: AsOfCooperativeQueryDto,
  ) {}
}

@QueryHandler(ListLabourExchangesQuery)
export class ListLabourExchangesHandler implements IQueryHandler<ListLabourExchangesQuery> {
  constructor(
    private readonly readModels: ReadModelDatabase,
    private readonly clock: Clock,
  ) {}

  async execute({ actor, query }: ListLabourExchangesQuery) {
    const asOf = query.asOf ?? dayOf(this.clock.now());
    const scope = listScope(actor, query.cooperativeId);
    if (scope.none) return { asOf, items: [] };
    const items = listLabourExchanges(this.readModels.db, { asOf, cooperativeId: scope.cooperativeId });
    return { asOf, ...pageOf(items, (e) => e.exchangeId, query.after, query.limit ?? DEFAULT_PAGE_SIZE) };
  }
}
