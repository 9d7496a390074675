import { addMonthsClamped, daysInMonth, dueDatesBetween, isLeapYear, nthDueDate, quarterOf } from './schedule';

describe('schedule', () => {
  it('knows leap years, including the century rules', () => {
    expect(isLeapYear(2024)).toBe(true);
    expect(isLeapYear(2028)).toBe(true);
    expect(isLeapYear(2026)).toBe(false);
    expect(isLeapYear(1900)).toBe(false);
    expect(isLeapYear(2000)).toBe(true);
    expect(daysInMonth(2028, 2)).toBe(29);
    expect(daysInMonth(2027, 2)).toBe(28);
  });

  it('clamps a month-end anchor to the last day of shorter months, without drifting', () => {
    expect(addMonthsClamped('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonthsClamped('2027-01-31', 1)).toBe('2027-02-28');
    expect(addMonthsClamped('2028-01-31', 2)).toBe('2028-03-31');
    expect(addMonthsClamped('2028-01-31', 3)).toBe('2028-04-30');
    expect(addMonthsClamped('2028-11-30', 3)).toBe('2029-02-28');
    expect(addMonthsClamped('2028-12-15', 1)).toBe('2029-01-15');
    expect(addMonthsClamped('2028-03-31', -1)).toBe('2028-02-29');
  });

  it('gives monthly, quarterly and yearly due dates from the anchor', () => {
    expect(dueDatesBetween('2028-01-31', 'monthly', { max: 5 })).toEqual(['2028-01-31', '2028-02-29', '2028-03-31', '2028-04-30', '2028-05-31']);
    expect(dueDatesBetween('2028-11-30', 'quarterly', { max: 3 })).toEqual(['2028-11-30', '2029-02-28', '2029-05-30']);
    // A yearly pledge on 29 February falls due on 28 February in common years.
    expect(dueDatesBetween('2028-02-29', 'yearly', { max: 5 })).toEqual(['2028-02-29', '2029-02-28', '2030-02-28', '2031-02-28', '2032-02-29']);
    expect(nthDueDate('2024-02-29', 'yearly', 4)).toBe('2028-02-29');
  });

  it('stops at the end date (inclusive), the cut-off (exclusive) and the count; once is once', () => {
    expect(dueDatesBetween('2028-01-31', 'monthly', { last: '2028-03-31', max: 99 })).toHaveLength(3);
    expect(dueDatesBetween('2028-01-31', 'monthly', { until: '2028-03-31', max: 99 })).toHaveLength(2);
    expect(dueDatesBetween('2028-01-31', 'monthly', { max: 2 })).toHaveLength(2);
    expect(dueDatesBetween('2028-01-31', 'once', { max: 99 })).toEqual(['2028-01-31']);
  });

  it('names calendar quarters', () => {
    expect(quarterOf('2028-03-31')).toBe('2028-Q1');
    expect(quarterOf('2028-04-01')).toBe('2028-Q2');
    expect(quarterOf('2028-12-31')).toBe('2028-Q4');
  });
});
