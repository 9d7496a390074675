import type { Posting } from '../../shared/postings';

/**
 * The books an accountant imports: a fixed chart of accounts, and a rule that maps every ledger
 * account address onto it. The ledger itself keeps its addresses as they always were
 * (`income:<source>`, `vendor:<payee>`: every figure and route answer stays the same); the
 * export normalises them, so twenty typed income sources are one `Income:Grants` account with
 * twenty counterparties, not twenty accounts. Pure: no I/O, used by the projection and its specs.
 */
export type AccountType = 'asset' | 'equity' | 'income' | 'expense';

export interface ChartAccount {
  readonly code: string;
  /** Full name, `:`-separated as GnuCash and QuickBooks write sub-accounts. */
  readonly name: string;
  readonly type: AccountType;
  readonly placeholder: boolean;
  readonly description: string;
}

const fixed = (code: string, name: string, type: AccountType, description: string, placeholder = false): ChartAccount => ({ code, name, type, placeholder, description });

export const GL = {
  assets: fixed('1000', 'Assets', 'asset', 'Everything the network holds', true),
  funds: fixed('1100', 'Assets:Funds', 'asset', "The network's money, one account per fund", true),
  loans: fixed('1300', 'Assets:Loans receivable', 'asset', 'Money lent to member cooperatives from a fund, not yet repaid or forgiven'),
  equity: fixed('3000', 'Equity', 'equity', 'Net assets', true),
  opening: fixed('3100', 'Equity:Opening balances', 'equity', 'Income recorded with category opening-balance'),
  suspense: fixed('3900', 'Equity:Suspense', 'equity', 'An account the mapping does not know (should stay empty)'),
  income: fixed('4000', 'Income', 'income', 'Revenue and support', true),
  contributions: fixed('4100', 'Income:Contributions', 'income', "Sustainers' donations (counterparty: the sustainer's pseudonymous id)"),
  grants: fixed('4200', 'Income:Grants', 'income', 'Income with category grant (counterparty: the source)'),
  interest: fixed('4300', 'Income:Interest', 'income', 'Income with category interest'),
  sales: fixed('4400', 'Income:Sales', 'income', 'Income with category sales'),
  otherIncome: fixed('4900', 'Income:Other income', 'income', 'Income with category other'),
  expenses: fixed('5000', 'Expenses', 'expense', 'Spending', true),
  program: fixed('5100', 'Expenses:Program services', 'expense', 'Disbursements whose category names program work (repairs, water, training, materials, …)'),
  improvements: fixed('5150', 'Expenses:Property improvements', 'expense', 'Land-trust improvement expenses (counterparty: the vendor)'),
  management: fixed('5200', 'Expenses:Management and general', 'expense', 'Disbursements whose category names administration (accounting, insurance, legal, rent, …)'),
  fundraising: fixed('5300', 'Expenses:Fundraising', 'expense', 'Disbursements whose category names fundraising (appeals, mailings, campaigns)'),
  forgiveness: fixed('5400', 'Expenses:Loan forgiveness', 'expense', 'Fund loans forgiven'),
  unclassified: fixed('5900', 'Expenses:Unclassified', 'expense', 'Disbursements whose category matches no rule: reclassify, and use a clearer category'),
} as const;

export const FIXED_ACCOUNTS: readonly ChartAccount[] = Object.values(GL);

export function fundAccount(code: string, name: string): ChartAccount {
  return fixed(`1100-${code}`, `Assets:Funds:${code}`, 'asset', name);
}

const INCOME_BY_CATEGORY: Record<string, ChartAccount> = {
  grant: GL.grants,
  'opening-balance': GL.opening,
  interest: GL.interest,
  sales: GL.sales,
  other: GL.otherIncome,
};

/** The documented rule from a disbursement's free-text category to a functional expense account (first match wins). */
export const EXPENSE_RULES: ReadonlyArray<readonly [RegExp, ChartAccount]> = [
  [/fundrais|appeal|mailing|campaign|donor|gala/, GL.fundraising],
  [/account|audit|bookkeep|insurance|legal|bank|admin|office|software|payroll|rent|utilit|management/, GL.management],
  [/rehab|repair|water|training|material|program|equipment|construct|maintenance|print|suppl|food|energy|roof|plumb|tool|seed|transport/, GL.program],
];

export function expenseAccountFor(category: string | undefined): ChartAccount {
  const text = (category ?? '').toLowerCase();
  return EXPENSE_RULES.find(([rule]) => rule.test(text))?.[1] ?? GL.unclassified;
}

/** What the export knows about the movement a posting belongs to. */
export interface MovementContext {
  readonly kind?: string;
  readonly category?: string;
  readonly source?: string;
  readonly payee?: string;
}

export const kindOf = (address: string): string => address.slice(0, address.indexOf(':'));
const idOf = (address: string): string => address.slice(address.indexOf(':') + 1);

/**
 * Whether a posting is in the network's books: money (an ISO currency, not labour minutes), and
 * not between cooperatives (their deposits, fees, and loans from one cooperative to another are
 * theirs). A loan account counts when the loan was made from a fund.
 */
export function inNetworkBooks(posting: Posting, isNetworkLoan: (loanId: string) => boolean): boolean {
  if (!/^[A-Z]{3}$/.test(posting.asset)) return false;
  for (const address of [posting.from, posting.to]) {
    const kind = kindOf(address);
    if (kind === 'coop' || kind === 'deposit') return false;
    if (kind === 'loan' && !isNetworkLoan(idOf(address))) return false;
  }
  return true;
}

/** The chart account of one side of a posting, and who the counterparty is when that side is outside the network. */
export function glAccountFor(
  address: string,
  context: MovementContext,
  fundName: (code: string) => string | undefined,
  eventType: string,
): { account: ChartAccount; counterparty?: string } {
  const kind = kindOf(address);
  const id = idOf(address);
  switch (kind) {
    case 'fund':
      return { account: fundAccount(id, fundName(id) ?? id) };
    case 'loan':
      return { account: GL.loans };
    case 'income':
      return { account: INCOME_BY_CATEGORY[context.category ?? ''] ?? GL.otherIncome, counterparty: id };
    case 'sustainer':
      return { account: GL.contributions, counterparty: `sustainer ${id}` };
    case 'vendor':
      return { account: eventType.startsWith('ImprovementExpense') ? GL.improvements : expenseAccountFor(context.category), counterparty: id };
    case 'expense':
      return { account: id === 'loan-forgiveness' ? GL.forgiveness : GL.unclassified };
    default:
      return { account: GL.suspense, counterparty: address };
  }
}

/** Digits after the decimal point of a currency's minor unit (USD 2, JPY 0, BHD 3), from Node's ICU data. */
export function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** An integer amount of minor units as a decimal string, by string arithmetic (never a float). */
export function decimal(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  const sign = minor < 0 ? '-' : '';
  const text = String(Math.abs(minor));
  if (digits === 0) return sign + text;
  const padded = text.padStart(digits + 1, '0');
  return `${sign}${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
}
