import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AccountabilityReader } from '../accountability-reads';
import { TransparencyReport, transparencyReport } from '../reports/transparency';

export class ReadTransparencyReportQuery {
  constructor(readonly period: string) {}
}

/** The public transparency report of a period: aggregates only, no personal data, groups of at least five sustainers. */
@QueryHandler(ReadTransparencyReportQuery)
export class ReadTransparencyReportHandler implements IQueryHandler<ReadTransparencyReportQuery, TransparencyReport> {
  constructor(private readonly reader: AccountabilityReader) {}

  async execute({ period }: ReadTransparencyReportQuery): Promise<TransparencyReport> {
    const db = this.reader.db;
    const range = this.reader.range(period);
    return db.transaction(() => transparencyReport(db, range))();
  }
}
