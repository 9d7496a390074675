/**
 * Double-entry postings: value moves `amountMinor` of `asset` from one account to another.
 * Account addresses are `kind:id` (`fund:water-autonomy`, `vendor:Acme Plumbing`,
 * `income:grant`, `sustainer:…`, `coop:…`). A posting is balanced by construction (what leaves
 * `from` arrives in `to`), so for every asset the postings of an event sum to zero.
 */
export interface Posting {
  readonly from: string;
  readonly to: string;
  readonly amountMinor: number;
  readonly asset: string;
}

/**
 * Every event type that moves value. `ledger verify` checks their postings and the balances
 * projection books them: one list, so the two can never disagree. A slice that moves value adds
 * its event types here.
 */
export const VALUE_EVENT_TYPES: ReadonlySet<string> = new Set([
  'MovementPosted',
  'MovementReversed',
  'ImprovementExpensePaid',
  'ImprovementExpenseReversed',
  'MoneyLoanDisbursed',
  'MoneyLoanRepaid',
  'MoneyLoanForgiven',
  'LabourHoursExchanged',
  'ThingDepositTaken',
  'ThingChargesSettled',
]);

const ACCOUNT = /^[a-z][a-z-]*:[^\s].{0,199}$/;

/** What is wrong with a set of postings, or undefined when they are well formed and balance. */
export function postingProblem(postings: unknown): string | undefined {
  if (!Array.isArray(postings) || postings.length === 0) return 'a value movement needs at least one posting';
  let total = 0;
  for (const p of postings as Posting[]) {
    if (typeof p !== 'object' || p === null) return 'a posting must be an object';
    if (typeof p.from !== 'string' || !ACCOUNT.test(p.from)) return `bad account address ${String(p.from)}`;
    if (typeof p.to !== 'string' || !ACCOUNT.test(p.to)) return `bad account address ${String(p.to)}`;
    if (p.from === p.to) return `posting from ${p.from} to itself`;
    if (!Number.isSafeInteger(p.amountMinor) || p.amountMinor <= 0) return `posting amount ${String(p.amountMinor)} is not a positive integer`;
    if (typeof p.asset !== 'string' || p.asset.length === 0) return 'posting without an asset';
    total += p.amountMinor;
  }
  // Every sum below is of these amounts, each once with each sign: while their total is a safe
  // integer every sum is exact, so each asset's is zero (`ledger verify` asks this of every
  // value-moving event). Past that, the sums are made as they are in floating point.
  if (Number.isSafeInteger(total)) return undefined;
  const net = new Map<string, number>();
  for (const p of postings as Posting[]) {
    for (const [account, delta] of [[`${p.asset}|${p.from}`, -p.amountMinor], [`${p.asset}|${p.to}`, p.amountMinor]] as const) {
      net.set(account, (net.get(account) ?? 0) + delta);
    }
  }
  const perAsset = new Map<string, number>();
  for (const [key, delta] of net) {
    const asset = key.slice(0, key.indexOf('|'));
    perAsset.set(asset, (perAsset.get(asset) ?? 0) + delta);
  }
  for (const [asset, sum] of perAsset) if (sum !== 0) return `postings of ${asset} sum to ${sum}, not zero`;
  return undefined;
}

/** The change each account sees, per asset: `fund:a|USD` → −500. */
export function accountDeltas(postings: readonly Posting[]): Map<string, { account: string; asset: string; delta: number }> {
  const out = new Map<string, { account: string; asset: string; delta: number }>();
  const add = (account: string, asset: string, delta: number) => {
    const key = `${account}|${asset}`;
    const entry = out.get(key) ?? { account, asset, delta: 0 };
    out.set(key, { ...entry, delta: entry.delta + delta });
  };
  for (const p of postings) {
    add(p.from, p.asset, -p.amountMinor);
    add(p.to, p.asset, p.amountMinor);
  }
  return out;
}

export function reversePostings(postings: readonly Posting[]): Posting[] {
  return postings.map((p) => ({ from: p.to, to: p.from, amountMinor: p.amountMinor, asset: p.asset }));
}

export const fundAccount = (code: string): string => `fund:${code}`;
