import type { PeriodRange } from '../../../shared/calendar';
import { spec } from '../../../shared/testing/decider-specification';
import { PeriodCommand, closedPeriodOf, periodsDecider, requireOpenPeriod } from './period.decider';

const periods = spec(periodsDecider);
const march: PeriodRange = { period: '2026-03', kind: 'month', start: '2026-03-01', end: '2026-04-01' };
const firstQuarter: PeriodRange = { period: 'FY2026-Q1', kind: 'quarter', start: '2026-01-01', end: '2026-04-01' };
const close = (range = march, now = '2026-04-01T08:00:00.000Z'): PeriodCommand => ({ type: 'ClosePeriod', range, by: 'steward', now });

describe('periods decider', () => {
  it('closes a period once it has ended, and only once', () => {
    const closed = periods.given([]).when(close()).then([
      { type: 'PeriodClosed', data: { ...march, closedBy: 'steward', closedAt: '2026-04-01T08:00:00.000Z' } },
    ]);
    periods.given([]).when(close(march, '2026-03-31T23:59:59.999Z')).thenThrows('PERIOD.NOT_ENDED', 422);
    periods.given(closed).when(close()).thenThrows('PERIOD.ALREADY_CLOSED', 409);
    // A month inside a closed quarter is closed already; the quarter around a closed month is not.
    periods.given(periods.history([close(firstQuarter)])).when(close()).thenThrows('PERIOD.ALREADY_CLOSED');
    periods.given(closed).when(close(firstQuarter)).thenAccepts();
  });

  it('refuses business dates inside a closed period, from its first day up to but not including its end', () => {
    const state = periods.state(periods.history([close()]));
    expect(closedPeriodOf(state, '2026-03-01')).toEqual(march);
    expect(closedPeriodOf(state, '2026-04-01')).toBeUndefined();
    expect(() => requireOpenPeriod(state, '2026-03-31T23:00:00.000Z')).toThrow(expect.objectContaining({ code: 'PERIOD.CLOSED', status: 422 }));
    expect(() => requireOpenPeriod(state, '2026-02-28T23:00:00.000Z')).not.toThrow();
  });
});
