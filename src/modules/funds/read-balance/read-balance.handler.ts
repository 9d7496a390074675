import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ProjectionRunner } from '../../../projections/projection-runner';
import { ReadModelDatabase } from '../../../projections/read-model-database';
import { fundAccount } from '../../../shared/postings';
import { balanceAsOf, balanceAtPosition, currentBalance, currentHeld, heldKey, postedKey } from '../../ledger/index';
import { findFund } from '../fund-views/fund-views.queries';
import { FundErrors } from '../funds.errors';
import type { BalanceDto } from '../funds.responses';

/** Now, as of a business day, or at a log position (at most one of the two). */
export class ReadBalanceQuery {
  constructor(
    readonly fundId: string,
    readonly when: { asOf?: string; atPosition?: number },
  ) {}
}

/** Posted, pending (held by transfers awaiting approval) and available, read in one transaction. */
@QueryHandler(ReadBalanceQuery)
export class ReadBalanceHandler implements IQueryHandler<ReadBalanceQuery, BalanceDto> {
  constructor(
    private readonly readModels: ReadModelDatabase,
    private readonly projections: ProjectionRunner,
  ) {}

  async execute({ fundId, when }: ReadBalanceQuery): Promise<BalanceDto> {
    const db = this.readModels.db;
    const fund = findFund(db, fundId);
    if (!fund) throw FundErrors.notFound(fundId);
    const account = fundAccount(fund.code);
    const read = db.transaction(() => {
      if (when.asOf !== undefined) {
        return { posted: balanceAsOf(db, postedKey(account, fund.currency), when.asOf), held: balanceAsOf(db, heldKey(fundId), when.asOf) };
      }
      if (when.atPosition !== undefined) {
        return {
          posted: balanceAtPosition(db, postedKey(account, fund.currency), when.atPosition),
          held: balanceAtPosition(db, heldKey(fundId), when.atPosition),
        };
      }
      return { posted: currentBalance(db, account, fund.currency), held: currentHeld(db, fundId) };
    });
    const { posted, held } = read();
    return {
      fundId,
      code: fund.code,
      currency: fund.currency,
      postedMinor: posted,
      pendingMinor: held,
      availableMinor: posted - held,
      ...(when.asOf !== undefined ? { asOf: when.asOf } : {}),
      ...(when.atPosition !== undefined ? { atPosition: when.atPosition } : {}),
      readModelPosition: this.projections.appliedPosition(),
    };
  }
}
