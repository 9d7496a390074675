import { availableParallelism } from 'node:os';
import { verifyWorkerCount } from './worker-pool';

describe('verifyWorkerCount', () => {
  const saved = process.env.LEDGER_VERIFY_WORKERS;
  afterEach(() => {
    if (saved === undefined) delete process.env.LEDGER_VERIFY_WORKERS;
    else process.env.LEDGER_VERIFY_WORKERS = saved;
  });

  it('takes a count asked for, then LEDGER_VERIFY_WORKERS, else cores − 1 within its bounds', () => {
    delete process.env.LEDGER_VERIFY_WORKERS;
    expect(verifyWorkerCount(3)).toBe(3);
    expect(verifyWorkerCount(undefined, 1)).toBe(Math.min(4, Math.max(1, availableParallelism() - 1)));
    expect(verifyWorkerCount(undefined, 2)).toBe(Math.min(4, Math.max(2, availableParallelism() - 1)));
    process.env.LEDGER_VERIFY_WORKERS = '0';
    expect(verifyWorkerCount()).toBe(0);
    process.env.LEDGER_VERIFY_WORKERS = ' ';
    expect(verifyWorkerCount(undefined, 1)).toBeGreaterThanOrEqual(1);
  });

  it('refuses a count that is not an integer from 0 to 64, naming the variable', () => {
    for (const bad of ['-1', '1.5', 'two', '65']) {
      process.env.LEDGER_VERIFY_WORKERS = bad;
      expect(() => verifyWorkerCount()).toThrow(/LEDGER_VERIFY_WORKERS must be an integer from 0 to 64/);
    }
    delete process.env.LEDGER_VERIFY_WORKERS;
    expect(() => verifyWorkerCount(-2)).toThrow(RangeError);
  });
});
