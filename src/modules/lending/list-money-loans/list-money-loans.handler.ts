import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AsOfQueryDto, DEFAULT_PAGE_SIZE } from '../../../http/query.dto';
import { ReadModelDatabase } from '../../../projections/read-model-database';
import { Clock } from '../../../shared/clock';
import { Actor } from '../../../shared/decider';
import { ListMoneyLoansQueryDto } from './list-money-loans.dto';
import { LendingErrors } from '../lending.errors';
import { findMoneyLoan, findMoneyLoanRequest, listMoneyLoanRequests, listMoneyLoans, moneyLoanParties } from '../money-loans/money-loans.queries';
import { dayOf, hiddenFrom, listScope } from '../shared/lending-reads';
import { pageOf } from '../shared/page-of';

export class ListMoneyLoansQuery {
  constructor(
    readonly actor: Actor,
    readonly query: ListMoneyLoansQueryDto,
  ) {}
}

export class GetMoneyLoanQuery {
  constructor(
    readonly actor: Actor,
    readonly loanId: string,
    readonly query: AsOfQueryDto,
  ) {}
}

/** Disbursed loans with their standing as of a day, or (status pending/rejected) loans from funds not disbursed. */
@QueryHandler(ListMoneyLoansQuery)
export class ListMoneyLoansHandler implements IQueryHandler<ListMoneyLoansQuery> {
  constructor(
    private readonly readModels: ReadModelDatabase,
    private readonly clock: Clock,
  ) {}

  async execute({ actor, query }: ListMoneyLoansQuery) {
    const asOf = query.asOf ?? dayOf(this.clock.now());
    const scope = listScope(actor, query.cooperativeId);
    if (scope.none) return { asOf, items: [] };
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    if (query.status === 'pending' || query.status === 'rejected') {
      const requests = listMoneyLoanRequests(this.readModels.db, { status: query.status, cooperativeId: scope.cooperativeId });
      return { asOf, ...pageOf(requests, (l) => l.loanId, query.after, limit) };
    }
    const loans = listMoneyLoans(this.readModels.db, { asOf, cooperativeId: scope.cooperativeId, status: query.status });
    return { asOf, ...pageOf(loans, (l) => l.loanId, query.after, limit) };
  }
}

@QueryHandler(GetMoneyLoanQuery)
export class GetMoneyLoanHandler implements IQueryHandler<GetMoneyLoanQuery> {
  constructor(
    private readonly readModels: ReadModelDatabase,
    private readonly clock: Clock,
  ) {}

  async execute({ actor, loanId, query }: GetMoneyLoanQuery) {
    const db = this.readModels.db;
    const parties = moneyLoanParties(db, loanId);
    const visible = parties !== undefined && !hiddenFrom(actor, [parties.lenderId, parties.borrowerId]);
    const loan = visible ? (findMoneyLoan(db, loanId, query.asOf ?? dayOf(this.clock.now())) ?? findMoneyLoanRequest(db, loanId)) : undefined;
    if (!loan) throw LendingErrors.moneyLoanNotFoundAsOf(loanId);
    return loan;
  }
}
