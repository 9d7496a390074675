import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ReadModelDatabase } from '../../../projections/read-model-database';
import type { FundView } from '../fund-views/fund-views.projection';
import { findFund } from '../fund-views/fund-views.queries';
import { FundErrors } from '../funds.errors';

export class GetFundQuery {
  constructor(readonly fundId: string) {}
}

@QueryHandler(GetFundQuery)
export class GetFundHandler implements IQueryHandler<GetFundQuery, FundView> {
  constructor(private readonly readModels: ReadModelDatabase) {}

  async execute({ fundId }: GetFundQuery): Promise<FundView> {
    const fund = findFund(this.readModels.db, fundId);
    if (!fund) throw FundErrors.notFound(fundId);
    return fund;
  }
}
