import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ReadModelDatabase } from '../../../projections/read-model-database';
import type { FundView } from '../fund-views/fund-views.projection';
import { listFunds } from '../fund-views/fund-views.queries';

export class ListFundsQuery {
  constructor(readonly page: { after?: string; limit: number }) {}
}

@QueryHandler(ListFundsQuery)
export class ListFundsHandler implements IQueryHandler<ListFundsQuery, { items: FundView[]; next?: string }> {
  constructor(private readonly readModels: ReadModelDatabase) {}

  async execute({ page }: ListFundsQuery): Promise<{ items: FundView[]; next?: string }> {
    const items = listFunds(this.readModels.db, page);
    return { items, ...(items.length === page.limit ? { next: items[items.length - 1].code } : {}) };
  }
}
