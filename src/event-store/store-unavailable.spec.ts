import { FaultLogLimiter, StoreUnavailableError } from './store-unavailable';

describe('FaultLogLimiter', () => {
  it('logs one line per kind of fault per interval, and then says how many it held back', () => {
    const lines: string[] = [];
    let now = 0;
    const limiter = new FaultLogLimiter((line) => lines.push(line), 60_000, () => now);
    const full = new StoreUnavailableError('SQLITE_FULL', 'disk full');
    const io = new StoreUnavailableError('SQLITE_IOERR', 'I/O error');
    for (let i = 0; i < 1000; i++) limiter.report(full);
    limiter.report(io);
    expect(lines).toEqual(['store unavailable: disk full', 'store unavailable: I/O error']);
    now = 60_000;
    limiter.report(full);
    expect(lines[2]).toBe('store unavailable: disk full (999 more since the last report)');
  });
});
