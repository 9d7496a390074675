/**
 * The seam the public page reads through. Today `ReadModelTransparencySource` builds the figures
 * from the existing read models; the accountability module's public transparency report (issue
 * 13) is meant to replace it by providing another `TransparencySource` in pages.module.ts. Every
 * figure is an aggregate (per fund, month, year, currency): no person's or cooperative's id or
 * name appears in it.
 */
export interface FlowFigures {
  readonly currency: string;
  /** Gifts and other income received, net of refunds. */
  readonly receivedMinor: number;
  /** Paid to vendors (disbursements, land-trust expenses), net of reversals. */
  readonly spentMinor: number;
  /** Of `spentMinor`, spent from donor-restricted funds: restricted money released on its purpose. */
  readonly releasedMinor: number;
  /** Lent from funds to member cooperatives. */
  readonly lentMinor: number;
  /** Repaid to funds by member cooperatives. */
  readonly repaidMinor: number;
}

export interface FundFigures extends FlowFigures {
  readonly fundCode: string;
  readonly fundName: string;
  /** The program: a restricted fund's purpose, or the fund's own name. */
  readonly program: string;
  readonly restriction: 'unrestricted' | 'board-designated' | 'donor-restricted';
}

export interface MonthFigures extends FlowFigures {
  /** YYYY-MM */
  readonly month: string;
}

export interface YearFigures {
  readonly year: number;
  readonly totals: readonly FlowFigures[];
  readonly byFund: readonly FundFigures[];
  /** Every month of the year (up to the current one), per currency, zeros included. */
  readonly byMonth: readonly MonthFigures[];
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
