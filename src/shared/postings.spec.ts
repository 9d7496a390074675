import { postingProblem } from './postings';

const p = (from: string, to: string, amountMinor: number, asset = 'USD') => ({ from, to, amountMinor, asset });

describe('postingProblem', () => {
  it('accepts well-formed postings in one or several assets', () => {
    expect(postingProblem([p('income:grant', 'fund:general', 500)])).toBeUndefined();
    expect(postingProblem([p('fund:a', 'vendor:Acme Plumbing', 250), p('fund:a', 'fund:b', 1, 'HOURS')])).toBeUndefined();
    expect(postingProblem([p('fund:a', 'fund:b', Number.MAX_SAFE_INTEGER)])).toBeUndefined();
  });

  it('names what is wrong with a malformed posting', () => {
    expect(postingProblem([])).toBe('a value movement needs at least one posting');
    expect(postingProblem('nope')).toBe('a value movement needs at least one posting');
    expect(postingProblem([null])).toBe('a posting must be an object');
    expect(postingProblem([p('Fund:a', 'fund:b', 1)])).toBe('bad account address Fund:a');
    expect(postingProblem([p('fund:a', 'fund', 1)])).toBe('bad account address fund');
    expect(postingProblem([p('fund:a', 'fund:a', 1)])).toBe('posting from fund:a to itself');
    expect(postingProblem([p('fund:a', 'fund:b', 0)])).toBe('posting amount 0 is not a positive integer');
    expect(postingProblem([p('fund:a', 'fund:b', 1.5)])).toBe('posting amount 1.5 is not a positive integer');
    expect(postingProblem([p('fund:a', 'fund:b', 1, '')])).toBe('posting without an asset');
  });

  it('past the safe integer range, the sums are made one by one and one that is not exact is named', () => {
    // 2^53 - 1 twice into one account and out again: the account's sum rounds, the asset's is not zero.
    const big = Number.MAX_SAFE_INTEGER;
    const postings = [p('fund:a', 'fund:b', big), p('fund:a', 'fund:b', big), p('fund:c', 'fund:a', 1)];
    const problem = postingProblem(postings);
    let expected: string | undefined;
    // What the exact-sum shortcut must not hide: the floating sums, as made without it.
    const net = new Map<string, number>();
    for (const q of postings) {
      net.set(`${q.asset}|${q.from}`, (net.get(`${q.asset}|${q.from}`) ?? 0) - q.amountMinor);
      net.set(`${q.asset}|${q.to}`, (net.get(`${q.asset}|${q.to}`) ?? 0) + q.amountMinor);
    }
    const sum = [...net.values()].reduce((a, b) => a + b, 0);
    if (sum !== 0) expected = `postings of USD sum to ${sum}, not zero`;
    expect(problem).toBe(expected);
    expect(expected).toBeDefined();
  });
});
