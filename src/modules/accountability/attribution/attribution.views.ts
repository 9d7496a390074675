/** What the attribution's queries answer (attribution.queries.ts): a gift's trace, a sustainer's year, an outflow's sources. */

/** One thing a gift's money paid for (net of reversals), as of the day asked. */
export interface PaidForLine {
  readonly kind: 'disbursement' | 'improvement' | 'loan-forgiven' | 'refund-shortfall' | 'other';
  readonly on: string;
  readonly fundCode: string;
  readonly amountMinor: number;
  readonly movementId?: string;
  readonly payee?: string;
  readonly category?: string;
  readonly purpose?: string;
  readonly improvementId?: string;
  readonly expenseId?: string;
  readonly propertyId?: string;
  readonly propertyAddress?: string;
  readonly projectDescription?: string;
  readonly phase?: string;
  readonly vendor?: string;
  readonly loanId?: string;
  readonly cooperativeId?: string;
  readonly cooperativeName?: string;
  readonly note?: string;
}

export interface LoanLine {
  readonly loanId: string;
  readonly cooperativeId: string;
  readonly cooperativeName: string | null;
  readonly fundCode: string;
  readonly lentOn: string;
  readonly lentMinor: number;
  readonly repaidMinor: number;
  readonly forgivenMinor: number;
  readonly outstandingMinor: number;
  readonly status: 'outstanding' | 'repaid' | 'forgiven' | 'partly-forgiven';
}

export interface MovedLine {
  readonly fromFundCode: string;
  readonly toFundCode: string;
  readonly on: string;
  readonly amountMinor: number;
  readonly returned: boolean;
}

export interface InFundLine {
  readonly fundCode: string;
  readonly fundName: string | null;
  readonly purpose: string | null;
  readonly restrictionClass: string | null;
  readonly amountMinor: number;
}

export interface GiftTotals {
  readonly amountMinor: number;
  readonly spentMinor: number;
  readonly inFundsMinor: number;
  readonly onLoanMinor: number;
  readonly refundedMinor: number;
}

export interface GiftTrace {
  readonly donationId: string;
  readonly kind: string;
  readonly sustainerId: string | null;
  readonly erased: boolean;
  readonly asOf: string;
  readonly receivedOn: string;
  /** false when asOf is before the gift arrived: every figure is then 0. */
  readonly received: boolean;
  readonly fundCode: string;
  readonly currency: string;
  readonly restrictionClass: string;
  readonly recurring: boolean;
  readonly pledgeId: string | null;
  readonly totals: GiftTotals;
  readonly paidFor: PaidForLine[];
  readonly loans: LoanLine[];
  readonly inFunds: InFundLine[];
  readonly moved: MovedLine[];
  /** The refund (or reversal) of this gift as of the day, if any: what was given back in all. */
  readonly refund: { readonly on: string; readonly amountMinor: number; readonly fromThisGiftMinor: number } | null;
  /** spent + inFunds + onLoan + refunded = amount. */
  readonly conserved: boolean;
}

export interface SustainerAttribution {
  readonly sustainerId: string;
  readonly erased: boolean;
  readonly year: number;
  readonly asOf: string;
  readonly totalsByCurrency: Record<string, GiftTotals>;
  readonly paidForByPurpose: Array<{ currency: string; kind: string; purpose: string; category: string | null; amountMinor: number }>;
  readonly gifts: GiftTrace[];
}

export interface OutflowSource {
  readonly originId: string;
  readonly originKind: string;
  readonly sustainerId: string | null;
  readonly receivedOn: string;
  readonly amountMinor: number;
}
