import { Injectable } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ReadModelDatabase } from '../../../projections/read-model-database';
import { PublicReport, ReadTransparencyReportQuery } from '../../accountability';
import { ListImprovementsQuery, ReadPortfolioReportQuery } from '../../land-trust';
import type { PortfolioReport } from '../../land-trust';
import { firstFundEntryDay } from '../../ledger';
import { ListResourcesQuery, ReadNetworkLendingReportQuery } from '../../lending';
import type { TransparencyReport, TransparencySource, YearFigures } from '../transparency/transparency-source';

/** At most this many past years are shown (the page stays one page). */
const MAX_YEARS = 10;
const PAGE = 500;
/** The public page's queries run as the network, not as anyone's token: a read-only viewer with no subject. */
const PUBLIC_VIEWER = { id: 'public:transparency-page', role: 'auditor' as const };

/**
 * The public page's figures: each calendar year is the accountability module's public report
 * (`ReadTransparencyReportQuery`, the very query `GET /v1/transparency/report?period=<year>`
 * answers), so the page and the API never disagree and the page groups or withholds what the
 * report does (fewer than five sustainers). The land-trust portfolio and the network lending
 * report (no sustainer in them) add the all-time sections.
 */
@Injectable()
export class AccountabilityTransparencySource implements TransparencySource {
  constructor(
    private readonly readModels: ReadModelDatabase,
    private readonly queries: QueryBus,
  ) {}

  async report(asOf: string): Promise<TransparencyReport> {
    const currentYear = Number(asOf.slice(0, 4));
    const first = firstFundEntryDay(this.readModels.db);
    const firstYear = Math.max(first ? Math.min(Number(first.slice(0, 4)), currentYear) : currentYear, currentYear - MAX_YEARS + 1);
    const years: YearFigures[] = [];
    for (let year = currentYear; year >= firstYear; year--) {
      const report = await this.queries.execute<ReadTransparencyReportQuery, PublicReport>(new ReadTransparencyReportQuery(String(year)));
      years.push({ year, lastMonth: year === currentYear ? asOf.slice(0, 7) : `${year}-12`, report });
    }
    return {
      asOf,
      years,
      landTrust: await this.landTrust(asOf),
      lending: await this.lending(asOf),
      method:
        'Each year\'s figures are the public transparency report (GET /v1/transparency/report?period=<year>), cash basis, calendar years. ' +
        'Gifts are counted by the day the money arrived; refunds by the day they were made; other income (grants and the like) apart. ' +
        'Spent is what funds paid out (disbursements, land-trust improvement expenses, forgiven loans), net of corrections; restricted money released is what ' +
        'donor-restricted funds spent on their purpose. Transfers between funds are not counted. No giver is named, and a figure drawn from fewer than ' +
        'five sustainers is grouped with others, or not shown.',
    };
  }

  private async landTrust(asOf: string): Promise<TransparencyReport['landTrust']> {
    const report = await this.queries.execute<ReadPortfolioReportQuery, PortfolioReport>(new ReadPortfolioReportQuery(asOf, undefined));
    const projects = await this.queries.execute<ListImprovementsQuery, { items: Array<{ description: string; phase: string; status: string; currency: string; estimateMinor: number }> }>(
      new ListImprovementsQuery({ limit: PAGE }),
    );
    return {
      projects: projects.items.map(({ description, phase, status, currency, estimateMinor }) => ({ description, phase, status, currency, estimateMinor })),
      properties: report.properties.flatMap((p) =>
        p.totals.map((t) => ({ parcelId: p.parcelId, projects: p.projects, currency: t.currency, estimateMinor: t.estimateMinor, spentMinor: t.spentMinor })),
      ),
      totals: report.totals.map(({ currency, estimateMinor, spentMinor, remainingMinor }) => ({ currency, estimateMinor, spentMinor, remainingMinor })),
    };
  }

  private async lending(asOf: string): Promise<TransparencyReport['lending']> {
    const report = await this.queries.execute<ReadNetworkLendingReportQuery, { money: TransparencyReport['lending']['money'] }>(
      new ReadNetworkLendingReportQuery(asOf, false),
    );
    const resources = await this.queries.execute<ListResourcesQuery, { items: unknown[] }>(new ListResourcesQuery(PUBLIC_VIEWER, { limit: PAGE }));
    return {
      money: report.money.map(({ currency, loans, amountMinor, paidMinor, forgivenMinor, outstandingMinor }) => ({ currency, loans, amountMinor, paidMinor, forgivenMinor, outstandingMinor })),
      sharedResources: resources.items.length,
    };
  }
}
