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

describe('fund decider: holds spent a part at a time', () => {
  const opened = fundDecider.decide({ ...open, restriction: { class: 'unrestricted' } }, given([]));
  const funded = [...opened, ...fundDecider.decide({ type: 'PostEntry', movementId: 'in', deltaMinor: 1_000, effectiveAt: now }, given(opened))];
  const allocated = [...funded, ...fundDecider.decide({ type: 'PlaceHold', movementId: 'improvement-1', amountMinor: 700 }, given(funded))];
  const pay = (amount: number, fromHold: number): FundCommand => ({
    type: 'PostEntry',
    movementId: `expense-${amount}`,
    deltaMinor: -amount,
    effectiveAt: '2026-02-20T00:00:00.000Z',
    fromHold: { holdId: 'improvement-1', amountMinor: fromHold },
  });

  it('reduces the hold by what the payment took and keeps the rest held', () => {
    const paid = fundDecider.decide(pay(300, 300), given(allocated));
    expect(paid).toEqual([
      {
        type: 'FundHoldReduced',
        data: { fundId: 'f1', movementId: 'improvement-1', byEntry: 'expense-300', amountMinor: 300, remainingMinor: 400, effectiveAt: '2026-02-20T00:00:00.000Z' },
      },
      { type: 'FundEntryPosted', data: { fundId: 'f1', movementId: 'expense-300', deltaMinor: -300, effectiveAt: '2026-02-20T00:00:00.000Z' } },
    ]);
    const after = given([...allocated, ...paid]);
    expect(after.status === 'open' && [after.postedMinor, [...after.holds.entries()]]).toEqual([700, [['improvement-1', 400]]]);
  });

  it('drops a hold spent to zero, and refuses to take more from a hold than it has', () => {
    const paid = fundDecider.decide(pay(700, 700), given(allocated));
    const after = given([...allocated, ...paid]);
    expect(after.status === 'open' && after.holds.size).toBe(0);
    expect(codeOf(pay(100, 100), [...allocated, ...paid])).toBe('FUND.HOLD_INSUFFICIENT');
  });

  it('pays the part beyond the hold from what is available, never from other holds', () => {
    // 700 held, 300 free: a 1 000 payment may take 700 from its hold and 300 from the free money.
    expect(fundDecider.decide(pay(1_000, 700), given(allocated)).map((e) => e.type)).toEqual(['FundHoldReduced', 'FundEntryPosted']);
    expect(codeOf(pay(1_001, 700), allocated)).toBe('FUND.INSUFFICIENT_AVAILABLE');
  });

  it('releases what is left of a hold when the work is cancelled', () => {
    const paid = [...allocated, ...fundDecider.decide(pay(200, 200), given(allocated))];
    expect(fundDecider.decide({ type: 'ReleaseHold', movementId: 'improvement-1', reason: 'cancelled' }, given(paid))).toEqual([
      { type: 'FundHoldReleased', data: { fundId: 'f1', movementId: 'improvement-1', amountMinor: 500, reason: 'cancelled' } },
    ]);
  });
});

describe('fund decider: a reversed payment restores its hold', () => {
  const opened = fundDecider.decide({ ...open, restriction: { class: 'unrestricted' } }, given([]));
  const funded = [...opened, ...fundDecider.decide({ type: 'PostEntry', movementId: 'in', deltaMinor: 1_000, effectiveAt: now }, given(opened))];
  const held = [...funded, ...fundDecider.decide({ type: 'PlaceHold', movementId: 'h', amountMinor: 500 }, given(funded))];
  const spent = [
    ...held,
    ...fundDecider.decide({ type: 'PostEntry', movementId: 'x', deltaMinor: -500, effectiveAt: now, fromHold: { holdId: 'h', amountMinor: 500 } }, given(held)),
  ];

  it('credits the fund and puts the money back into the hold, even one spent to nothing', () => {
    const restored = fundDecider.decide({ type: 'PostEntry', movementId: 'x-reversal', deltaMinor: 200, effectiveAt: now, toHold: { holdId: 'h', amountMinor: 200 } }, given(spent));
    expect(restored).toEqual([
      { type: 'FundEntryPosted', data: { fundId: 'f1', movementId: 'x-reversal', deltaMinor: 200, effectiveAt: now } },
      { type: 'FundHoldRestored', data: { fundId: 'f1', movementId: 'h', byEntry: 'x-reversal', amountMinor: 200, heldMinor: 200, effectiveAt: now } },
    ]);
    const after = given([...spent, ...restored]);
    expect(after.status === 'open' && [after.postedMinor, [...after.holds.entries()]]).toEqual([700, [['h', 200]]]);
  });
});
