import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ReadModelDatabase } from '../../../projections/read-model-database';
import { Clock } from '../../../shared/clock';
import { Actor } from '../../../shared/decider';
import { findCooperative } from '../cooperatives/cooperatives.queries';
import { LendingErrors } from '../lending.errors';
import { cooperativeCsvRows, cooperativeReport, lendingCsv, networkCsvRows, networkReport } from '../reports/lending-report';
import { dayOf, hiddenFrom } from '../shared/lending-reads';

/** A report as JSON, or as CSV text when `csv`. */
export class ReadCooperativeLendingReportQuery {
  constructor(
    readonly actor: Actor,
    readonly cooperativeId: string,
    readonly asOf: string | undefined,
    readonly csv: boolean,
  ) {}
}

export class ReadNetworkLendingReportQuery {
  constructor(
    readonly asOf: string | undefined,
    readonly csv: boolean,
  ) {}
}

@QueryHandler(ReadCooperativeLendingReportQuery)
export class ReadCooperativeLendingReportHandler implements IQueryHandler<ReadCooperativeLendingReportQuery> {
  constructor(
    private readonly readModels: ReadModelDatabase,
    private readonly clock: Clock,
  ) {}

  async execute({ actor, cooperativeId, asOf, csv }: ReadCooperativeLendingReportQuery) {
    const cooperative = hiddenFrom(actor, [cooperativeId]) ? undefined : findCooperative(this.readModels.db, cooperativeId);
    if (!cooperative) throw LendingErrors.cooperativeNotFound(cooperativeId);
    const report = cooperativeReport(this.readModels.db, cooperative, asOf ?? dayOf(this.clock.now()));
    return csv ? lendingCsv(cooperativeCsvRows(report)) : report;
  }
}

@QueryHandler(ReadNetworkLendingReportQuery)
export class ReadNetworkLendingReportHandler implements IQueryHandler<ReadNetworkLendingReportQuery> {
  constructor(
    private readonly readModels: ReadModelDatabase,
    private readonly clock: Clock,
  ) {}

  async execute({ asOf, csv }: ReadNetworkLendingReportQuery) {
    const report = networkReport(this.readModels.db, asOf ?? dayOf(this.clock.now()));
    return csv ? lendingCsv(networkCsvRows(report)) : report;
  }
}
