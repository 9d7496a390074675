import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AccountabilityReader } from '../accountability-reads';
import { FinancialPosition, StatementOfActivities, financialPosition, statementOfActivities } from '../reports/statements';

export class ReadStatementOfActivitiesQuery {
  constructor(readonly period: string) {}
}

export class ReadFinancialPositionQuery {
  constructor(readonly asOf: string) {}
}

/** ASC 958 statement of activities of a period, one per currency. */
@QueryHandler(ReadStatementOfActivitiesQuery)
export class ReadStatementOfActivitiesHandler implements IQueryHandler<ReadStatementOfActivitiesQuery, { period: string; statements: StatementOfActivities[] }> {
  constructor(private readonly reader: AccountabilityReader) {}

  async execute({ period }: ReadStatementOfActivitiesQuery) {
    const db = this.reader.db;
    const range = this.reader.range(period);
    return { period: range.period, statements: db.transaction(() => statementOfActivities(db, range))() };
  }
}

/** ASC 958 statement of financial position as of a day, one per currency. */
@QueryHandler(ReadFinancialPositionQuery)
export class ReadFinancialPositionHandler implements IQueryHandler<ReadFinancialPositionQuery, { asOf: string; statements: FinancialPosition[] }> {
  constructor(private readonly reader: AccountabilityReader) {}

  async execute({ asOf }: ReadFinancialPositionQuery) {
    const db = this.reader.db;
    return { asOf, statements: db.transaction(() => financialPosition(db, asOf))() };
  }
}
