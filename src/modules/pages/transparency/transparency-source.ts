import type { PublicReport } from '../../accountability';

/**
 * The seam the public page reads through, provided in pages.module.ts by
 * `AccountabilityTransparencySource` (sources/): each year is the accountability module's public
 * report, the same query `GET /v1/transparency/report` answers, so every figure is an aggregate
 * and none is drawn from fewer than five sustainers (grouped or withheld as the report does). No
 * person's or cooperative's id or name appears in it.
 */
export interface YearFigures {
  readonly year: number;
  /** The last month the page charts (this month for the current year, December for past years). */
  readonly lastMonth: string;
  /** The public report of the calendar year, as `GET /v1/transparency/report?period=<year>` answers it. */
  readonly report: PublicReport;
}

export interface LandTrustFigures {
  readonly projects: readonly {
    readonly description: string;
    readonly phase: string;
    readonly status: string;
    readonly currency: string;
    readonly estimateMinor: number;
  }[];
  readonly properties: readonly {
    readonly parcelId: string;
    readonly projects: number;
    readonly currency: string;
    readonly estimateMinor: number;
    readonly spentMinor: number;
  }[];
  readonly totals: readonly { readonly currency: string; readonly estimateMinor: number; readonly spentMinor: number; readonly remainingMinor: number }[];
}

export interface LendingFigures {
  readonly money: readonly {
    readonly currency: string;
    readonly loans: number;
    readonly amountMinor: number;
    readonly paidMinor: number;
    readonly forgivenMinor: number;
    readonly outstandingMinor: number;
  }[];
  readonly sharedResources: number;
}

export interface TransparencyReport {
  /** The business day the figures are as of. */
  readonly asOf: string;
  /** Newest first; the first is the current year. */
  readonly years: readonly YearFigures[];
  readonly landTrust: LandTrustFigures;
  readonly lending: LendingFigures;
  /** How the figures were made, shown on the page. */
  readonly method: string;
}

export abstract class TransparencySource {
  abstract report(asOf: string): Promise<TransparencyReport>;
}
