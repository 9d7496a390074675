import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { LEDGER_CONFIG } from '../../../commands/ledger-core.module';
import type { LedgerConfig } from '../../../config';
import { ReadModelDatabase } from '../../../projections/read-model-database';
import { parsePeriod } from '../../../shared/calendar';
import { portfolioReport, reportCsv, reportCsvRows } from '../reports/land-trust-report';

export class ReadPortfolioReportQuery {
  constructor(
    readonly asOf: string | undefined,
    /** A period name the DTO has checked the form of. */
    readonly period: string | undefined,
  ) {}
}

export type PortfolioReport = ReturnType<typeof portfolioReport>;

/** The portfolio as of a day, with a period also what was spent within it (under the configured fiscal year). */
@QueryHandler(ReadPortfolioReportQuery)
export class ReadPortfolioReportHandler implements IQueryHandler<ReadPortfolioReportQuery, PortfolioReport> {
  constructor(
    private readonly readModels: ReadModelDatabase,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  async execute({ asOf, period }: ReadPortfolioReportQuery): Promise<PortfolioReport> {
    const range = period === undefined ? undefined : parsePeriod(period, this.config.fiscalYearStartMonth);
    return portfolioReport(this.readModels.db, asOf, range, this.config.fiscalYearStartMonth);
  }
}

/** The portfolio as one CSV table: each property's totals, the roll-up, the spending per month, quarter and year, and the period's. */
export function portfolioReportCsv(report: PortfolioReport): string {
  const period = report.period;
  return reportCsv([
    ...report.properties.flatMap((p) => p.totals.map((t) => ({ section: 'property', propertyId: p.propertyId, ...t }))),
    ...reportCsvRows(report),
    ...report.byMonth.map((m) => ({ section: 'month', period: m.month, currency: m.currency, spentMinor: m.spentMinor })),
    ...report.byQuarter.map((q) => ({ section: 'quarter', ...q })),
    ...report.byFiscalYear.map((y) => ({ section: 'fiscal-year', ...y })),
    ...(period
      ? [
          ...(period.totals as Record<string, unknown>[]).map((r) => ({ section: 'period', period: period.period, ...r })),
          ...(period.byProperty as Record<string, unknown>[]).map((r) => ({ section: 'period-property', period: period.period, ...r })),
          ...(period.byFund as Record<string, unknown>[]).map((r) => ({ section: 'period-fund', period: period.period, ...r })),
        ]
      : []),
  ]);
}
