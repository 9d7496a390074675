import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ProjectionRunner } from '../../../projections/projection-runner';
import { ReadModelDatabase } from '../../../projections/read-model-database';
import { postedKey } from '../balances/balances.projection';
import { accountBalances, balanceAsOf, balanceAtPosition } from '../balances/balances.queries';
import type { TrialBalanceDto } from '../ledger.responses';

/** Now, as of a business day, or at a log position (at most one of the two). */
export class ReadTrialBalanceQuery {
  constructor(readonly when: { asOf?: string; atPosition?: number }) {}
}

/** Every account's balance per asset; per asset they sum to zero. */
@QueryHandler(ReadTrialBalanceQuery)
export class ReadTrialBalanceHandler implements IQueryHandler<ReadTrialBalanceQuery, TrialBalanceDto> {
  constructor(
    private readonly readModels: ReadModelDatabase,
    private readonly projections: ProjectionRunner,
  ) {}

  async execute({ when }: ReadTrialBalanceQuery): Promise<TrialBalanceDto> {
    const db = this.readModels.db;
    const read = db.transaction(() =>
      accountBalances(db).map((a) => ({
        account: a.account,
        asset: a.asset,
        balanceMinor:
          when.asOf !== undefined
            ? balanceAsOf(db, postedKey(a.account, a.asset), when.asOf)
            : when.atPosition !== undefined
              ? balanceAtPosition(db, postedKey(a.account, a.asset), when.atPosition)
              : a.balance,
      })),
    );
    const accounts = read();
    const totals: Record<string, number> = {};
    for (const a of accounts) totals[a.asset] = (totals[a.asset] ?? 0) + a.balanceMinor;
    return {
      ...(when.asOf !== undefined ? { asOf: when.asOf } : {}),
      ...(when.atPosition !== undefined ? { atPosition: when.atPosition } : {}),
      accounts: accounts.filter((a) => a.balanceMinor !== 0),
      totalsByAsset: totals,
      readModelPosition: this.projections.appliedPosition(),
    };
  }
}
