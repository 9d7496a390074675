import { Injectable } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ReadModelDatabase } from '../../../projections/read-model-database';
import { ListFundsQuery } from '../../funds';
import type { FundView } from '../../funds';
import { ListImprovementsQuery, ReadPortfolioReportQuery } from '../../land-trust';
import type { PortfolioReport } from '../../land-trust';
import { firstFundEntryDay, fundFlowsByMonth } from '../../ledger';
import type { FundFlowRow } from '../../ledger';
import { ListResourcesQuery, ReadNetworkLendingReportQuery } from '../../lending';
import type { FlowFigures, FundFigures, MonthFigures, TransparencyReport, TransparencySource, YearFigures } from './transparency-source';

/** At most this many past years are shown (the page stays one page). */
const MAX_YEARS = 10;
const PAGE = 500;
/** The public page's queries run as the network, not as anyone's token: a read-only viewer with no subject. */
const PUBLIC_VIEWER = { id: 'public:transparency-page', role: 'auditor' as const };

type Flow = { -readonly [K in keyof FlowFigures]: FlowFigures[K] };

const empty = (currency: string): Flow => ({ currency, receivedMinor: 0, spentMinor: 0, releasedMinor: 0, lentMinor: 0, repaidMinor: 0 });

/** Adds one journal aggregate to a figure: which kind of counterparty decides which figure it is. */
export function addFlow(into: Flow, row: Pick<FundFlowRow, 'counterpartyKind' | 'inMinor' | 'outMinor'>, donorRestricted: boolean): void {
  switch (row.counterpartyKind) {
    case 'sustainer':
    case 'income':
      into.receivedMinor += row.inMinor - row.outMinor;
      break;
    case 'vendor':
      into.spentMinor += row.outMinor - row.inMinor;
      if (donorRestricted) into.releasedMinor += row.outMinor - row.inMinor;
      break;
    case 'loan':
      into.lentMinor += row.outMinor;
      into.repaidMinor += row.inMinor;
      break;
    default:
      // Transfers between funds (`fund:`) move money inside the network: neither received nor spent.
      break;
  }
}

/**
 * The figures from the existing read models: the funds' journal (balances projection) for what
 * came in and went out, the land-trust portfolio report, and the network lending report.
 */
@Injectable()
export class ReadModelTransparencySource implements TransparencySource {
  constructor(
    private readonly readModels: ReadModelDatabase,
    private readonly queries: QueryBus,
  ) {}

  async report(asOf: string): Promise<TransparencyReport> {
    const funds = await this.allFunds();
    const byCode = new Map(funds.map((f) => [f.code, f]));
    const currentYear = Number(asOf.slice(0, 4));
    const first = firstFundEntryDay(this.readModels.db);
    const firstYear = Math.max(first ? Math.min(Number(first.slice(0, 4)), currentYear) : currentYear, currentYear - MAX_YEARS + 1);
    const flows = fundFlowsByMonth(this.readModels.db, { from: `${firstYear}-01-01`, to: `${currentYear + 1}-01-01` });
    const years: YearFigures[] = [];
    for (let year = currentYear; year >= firstYear; year--) {
      years.push(yearFigures(year, flows.filter((r) => r.month.startsWith(`${year}-`)), byCode, year === currentYear ? asOf.slice(0, 7) : `${year}-12`));
    }
    return {
      asOf,
      years,
      landTrust: await this.landTrust(asOf),
      lending: await this.lending(asOf),
      method:
        'Received is gifts and other income by the day the money arrived, less refunds; spent is what funds paid to vendors, less corrections; ' +
        'restricted money released is what donor-restricted funds spent on their purpose. Transfers between funds are not counted. ' +
        'Figures are computed from the ledger\'s read models, by calendar year.',
    };
  }

  private async allFunds(): Promise<FundView[]> {
    const all: FundView[] = [];
    let after: string | undefined;
    for (let i = 0; i < 100; i++) {
      const page = await this.queries.execute<ListFundsQuery, { items: FundView[]; next?: string }>(new ListFundsQuery({ after, limit: PAGE }));
      all.push(...page.items);
      if (!page.next) break;
      after = page.next;
    }
    return all;
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

function yearFigures(year: number, rows: readonly FundFlowRow[], funds: ReadonlyMap<string, FundView>, lastMonth: string): YearFigures {
  const totals = new Map<string, Flow>();
  const byFund = new Map<string, Flow & Omit<FundFigures, keyof FlowFigures>>();
  const byMonth = new Map<string, Flow & { month: string }>();
  const currencies = new Set<string>();
  for (const row of rows) {
    const code = row.account.slice('fund:'.length);
    const fund = funds.get(code);
    const restricted = fund?.restriction.class === 'donor-restricted';
    currencies.add(row.asset);
    const total = totals.get(row.asset) ?? empty(row.asset);
    addFlow(total, row, restricted);
    totals.set(row.asset, total);
    const fundKey = `${code}|${row.asset}`;
    const f = byFund.get(fundKey) ?? {
      ...empty(row.asset),
      fundCode: code,
      fundName: fund?.name ?? code,
      program: fund?.restriction.purpose ?? fund?.name ?? code,
      restriction: fund?.restriction.class ?? 'unrestricted',
    };
    addFlow(f, row, restricted);
    byFund.set(fundKey, f);
    const monthKey = `${row.month}|${row.asset}`;
    const m = byMonth.get(monthKey) ?? { ...empty(row.asset), month: row.month };
    addFlow(m, row, restricted);
    byMonth.set(monthKey, m);
  }
  const months: MonthFigures[] = [];
  for (const currency of [...currencies].sort()) {
    for (let m = 1; m <= 12; m++) {
      const month = `${year}-${String(m).padStart(2, '0')}`;
      if (month > lastMonth) break;
      months.push(byMonth.get(`${month}|${currency}`) ?? { ...empty(currency), month });
    }
  }
  const moved = (f: FlowFigures) => f.receivedMinor !== 0 || f.spentMinor !== 0 || f.lentMinor !== 0 || f.repaidMinor !== 0;
  return {
    year,
    totals: [...totals.values()].sort((a, b) => a.currency.localeCompare(b.currency)),
    byFund: [...byFund.values()].filter(moved).sort((a, b) => a.fundCode.localeCompare(b.fundCode) || a.currency.localeCompare(b.currency)),
    byMonth: months,
  };
}
