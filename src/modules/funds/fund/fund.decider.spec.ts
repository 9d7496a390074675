import { DomainError } from '../../../shared/domain-error';
import { FundCommand, FundEvent, fundDecider } from './fund.decider';

const now = '2026-03-01T10:00:00.000Z';
const open: FundCommand = {
  type: 'OpenFund',
  fundId: 'f1',
  code: 'water-autonomy',
  name: 'Water autonomy',
  currency: 'USD',
  restriction: { class: 'donor-restricted', purpose: 'water autonomy initiatives' },
  now,
};

const given = (events: FundEvent[]) => events.reduce(fundDecider.evolve, fundDecider.initialState());

function codeOf(command: FundCommand, events: FundEvent[] = []): string | undefined {
  try {
    fundDecider.decide(command, given(events));
  } catch (error) {
    return (error as DomainError).code;
  }
  return undefined;
}

describe('fund decider: open', () => {
  it('opens a fund with its restriction and currency', () => {
    expect(fundDecider.decide(open, given([]))).toEqual([
      {
        type: 'FundOpened',
        data: {
          fundId: 'f1',
          code: 'water-autonomy',
          name: 'Water autonomy',
          currency: 'USD',
          restriction: { class: 'donor-restricted', purpose: 'water autonomy initiatives' },
          openedAt: now,
        },
      },
    ]);
  });

  it('refuses to open the same fund twice', () => {
    expect(codeOf(open, fundDecider.decide(open, given([])))).toBe('FUND.ALREADY_EXISTS');
  });

  it('refuses a code, currency or restriction that is not valid', () => {
    expect(codeOf({ ...open, code: 'Water Autonomy' })).toBe('FUND.CODE_INVALID');
    expect(codeOf({ ...open, currency: 'XYZ' })).toBe('FUND.CURRENCY_INVALID');
    expect(codeOf({ ...open, currency: 'usd' })).toBe('FUND.CURRENCY_INVALID');
    expect(codeOf({ ...open, restriction: { class: 'donor-restricted' } })).toBe('FUND.PURPOSE_REQUIRED');
    expect(codeOf({ ...open, restriction: { class: 'unrestricted', restrictedUntil: '2027-01-01' } })).toBe(
      'FUND.TIME_RESTRICTION_NOT_ALLOWED',
    );
  });
});
