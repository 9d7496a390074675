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

describe('fund decider: money', () => {
  const opened = fundDecider.decide({ ...open, restriction: { class: 'unrestricted' } }, given([]));
  const withMoney = [...opened, ...fundDecider.decide({ type: 'PostEntry', movementId: 'in', deltaMinor: 1_000, effectiveAt: now }, given(opened))];

  it('holds money for a pending outflow and refuses holds beyond what is available', () => {
    const held = fundDecider.decide({ type: 'PlaceHold', movementId: 't1', amountMinor: 600 }, given(withMoney));
    expect(held).toEqual([{ type: 'FundHoldPlaced', data: { fundId: 'f1', movementId: 't1', amountMinor: 600 } }]);
    expect(codeOf({ type: 'PlaceHold', movementId: 't2', amountMinor: 401 }, [...withMoney, ...held])).toBe('FUND.INSUFFICIENT_AVAILABLE');
    // A debit may use its own hold but never another's.
    expect(codeOf({ type: 'PostEntry', movementId: 'x', deltaMinor: -401, effectiveAt: now }, [...withMoney, ...held])).toBe('FUND.INSUFFICIENT_AVAILABLE');
    const posted = fundDecider.decide({ type: 'PostEntry', movementId: 't1', deltaMinor: -600, effectiveAt: now }, given([...withMoney, ...held]));
    expect(posted.map((e) => e.type)).toEqual(['FundHoldReleased', 'FundEntryPosted']);
  });

  it('closes only when empty, and then takes nothing in', () => {
    expect(codeOf({ type: 'CloseFund', reason: 'x', now }, withMoney)).toBe('FUND.NOT_EMPTY');
    const closed = [...opened, ...fundDecider.decide({ type: 'CloseFund', reason: 'x', now }, given(opened))];
    expect(codeOf({ type: 'PostEntry', movementId: 'in', deltaMinor: 5, effectiveAt: now }, closed)).toBe('FUND.CLOSED');
    expect(codeOf({ type: 'CloseFund', reason: 'x', now }, closed)).toBe('FUND.CLOSED');
  });
});
