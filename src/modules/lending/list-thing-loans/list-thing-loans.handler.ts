import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AsOfQueryDto, DEFAULT_PAGE_SIZE } from '../../../http/query.dto';
import { ReadModelDatabase } from '../../../projections/read-model-database';
import { Clock } from '../../../shared/clock';
import { Actor } from '../../../shared/decider';
import { ListThingLoansQueryDto } from './list-thing-loans.dto';
import { LendingErrors } from '../lending.errors';
import { ThingLoanView, findThingLoan, listThingLoans, thingLoanParties } from '../loans-of-things/loans-of-things.queries';
import { dayOf, hiddenFrom, listScope } from '../shared/lending-reads';
import { pageOf } from '../shared/page-of';

export class ListThingLoansQuery {
  constructor(
    readonly actor: Actor,
    readonly query: ListThingLoansQueryDto,
  ) {}
}

export class GetThingLoanQuery {
  constructor(
    readonly actor: Actor,
    readonly loanId: string,
    readonly query: AsOfQueryDto,
  ) {}
}

@QueryHandler(ListThingLoansQuery)
export class ListThingLoansHandler implements IQueryHandler<ListThingLoansQuery> {
  constructor(
    private readonly readModels: ReadModelDatabase,
    private readonly clock: Clock,
  ) {}

  async execute({ actor, query }: ListThingLoansQuery) {
    const asOf = query.asOf ?? dayOf(this.clock.now());
    const scope = listScope(actor, query.cooperativeId);
    if (scope.none) return { asOf, items: [] };
    const loans = listThingLoans(this.readModels.db, { asOf, cooperativeId: scope.cooperativeId, resourceId: query.resourceId, status: query.status });
    return { asOf, ...pageOf(loans, (l) => l.loanId, query.after, query.limit ?? DEFAULT_PAGE_SIZE) };
  }
}

@QueryHandler(GetThingLoanQuery)
export class GetThingLoanHandler implements IQueryHandler<GetThingLoanQuery, ThingLoanView> {
  constructor(
    private readonly readModels: ReadModelDatabase,
    private readonly clock: Clock,
  ) {}

  async execute({ actor, loanId, query }: GetThingLoanQuery): Promise<ThingLoanView> {
    const parties = thingLoanParties(this.readModels.db, loanId);
    const visible = parties !== undefined && !hiddenFrom(actor, [parties.ownerId, parties.borrowerId]);
    const loan = visible ? findThingLoan(this.readModels.db, loanId, query.asOf ?? dayOf(this.clock.now())) : undefined;
    if (!loan) throw LendingErrors.thingLoanNotFoundAsOf(loanId);
    return loan;
  }
}
