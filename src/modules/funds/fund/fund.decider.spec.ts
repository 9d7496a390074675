import { spec } from '../../../shared/testing/decider-specification';
import { FundCommand, fundDecider } from './fund.decider';

const fund = spec(fundDecider);
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
const openUnrestricted: FundCommand = { ...open, restriction: { class: 'unrestricted' } };
const payIn: FundCommand = { type: 'PostEntry', movementId: 'in', deltaMinor: 1_000, effectiveAt: now };

describe('fund decider: open', () => {
  it('opens a fund with its restriction and currency', () => {
    fund.given([]).when(open).then([
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
    fund.given(fund.history([open])).when(open).thenThrows('FUND.ALREADY_EXISTS', 409);
  });

  it('refuses a code, currency or restriction that is not valid', () => {
    fund.given([]).when({ ...open, code: 'Water Autonomy' }).thenThrows('FUND.CODE_INVALID');
    fund.given([]).when({ ...open, currency: 'XYZ' }).thenThrows('FUND.CURRENCY_INVALID');
    fund.given([]).when({ ...open, currency: 'usd' }).thenThrows('FUND.CURRENCY_INVALID');
    fund.given([]).when({ ...open, restriction: { class: 'donor-restricted' } }).thenThrows('FUND.PURPOSE_REQUIRED');
    fund.given([]).when({ ...open, restriction: { class: 'unrestricted', restrictedUntil: '2027-01-01' } }).thenThrows('FUND.TIME_RESTRICTION_NOT_ALLOWED');
  });
});

describe('fund decider: money', () => {
  const opened = fund.history([openUnrestricted]);
  const withMoney = fund.history([payIn], opened);

  it('holds money for a pending outflow and refuses holds beyond what is available', () => {
    const held = fund.given(withMoney).when({ type: 'PlaceHold', movementId: 't1', amountMinor: 600 }).then([
      { type: 'FundHoldPlaced', data: { fundId: 'f1', movementId: 't1', amountMinor: 600 } },
    ]);
    fund.given([...withMoney, ...held]).when({ type: 'PlaceHold', movementId: 't2', amountMinor: 401 }).thenThrows('FUND.INSUFFICIENT_AVAILABLE', 409);
    // A debit may use its own hold but never another's.
    fund.given([...withMoney, ...held]).when({ type: 'PostEntry', movementId: 'x', deltaMinor: -401, effectiveAt: now }).thenThrows('FUND.INSUFFICIENT_AVAILABLE');
    fund.given([...withMoney, ...held]).when({ type: 'PostEntry', movementId: 't1', deltaMinor: -600, effectiveAt: now }).thenMatches([
      { type: 'FundHoldReleased' },
      { type: 'FundEntryPosted' },
    ]);
  });

  it('closes only when empty, and then takes nothing in', () => {
    fund.given(withMoney).when({ type: 'CloseFund', reason: 'x', now }).thenThrows('FUND.NOT_EMPTY');
    const closed = fund.history([{ type: 'CloseFund', reason: 'x', now }], opened);
    fund.given(closed).when({ type: 'PostEntry', movementId: 'in', deltaMinor: 5, effectiveAt: now }).thenThrows('FUND.CLOSED');
    fund.given(closed).when({ type: 'CloseFund', reason: 'x', now }).thenThrows('FUND.CLOSED');
  });
});

describe('fund decider: holds spent a part at a time', () => {
  const allocated = fund.history([openUnrestricted, payIn, { type: 'PlaceHold', movementId: 'improvement-1', amountMinor: 700 }]);
  const pay = (amount: number, fromHold: number): FundCommand => ({
    type: 'PostEntry',
    movementId: `expense-${amount}`,
    deltaMinor: -amount,
    effectiveAt: '2026-02-20T00:00:00.000Z',
    fromHold: { holdId: 'improvement-1', amountMinor: fromHold },
  });

  it('reduces the hold by what the payment took and keeps the rest held', () => {
    const paid = fund.given(allocated).when(pay(300, 300)).then([
      {
        type: 'FundHoldReduced',
        data: { fundId: 'f1', movementId: 'improvement-1', byEntry: 'expense-300', amountMinor: 300, remainingMinor: 400, effectiveAt: '2026-02-20T00:00:00.000Z' },
      },
      { type: 'FundEntryPosted', data: { fundId: 'f1', movementId: 'expense-300', deltaMinor: -300, effectiveAt: '2026-02-20T00:00:00.000Z' } },
    ]);
    const after = fund.state([...allocated, ...paid]);
    expect(after.status === 'open' && [after.postedMinor, [...after.holds.entries()]]).toEqual([700, [['improvement-1', 400]]]);
  });

  it('drops a hold spent to zero, and refuses to take more from a hold than it has', () => {
    const paid = fund.history([pay(700, 700)], allocated);
    const after = fund.state(paid);
    expect(after.status === 'open' && after.holds.size).toBe(0);
    fund.given(paid).when(pay(100, 100)).thenThrows('FUND.HOLD_INSUFFICIENT');
  });

  it('pays the part beyond the hold from what is available, never from other holds', () => {
    // 700 held, 300 free: a 1 000 payment may take 700 from its hold and 300 from the free money.
    fund.given(allocated).when(pay(1_000, 700)).thenMatches([{ type: 'FundHoldReduced' }, { type: 'FundEntryPosted' }]);
    fund.given(allocated).when(pay(1_001, 700)).thenThrows('FUND.INSUFFICIENT_AVAILABLE');
  });

  it('releases what is left of a hold when the work is cancelled', () => {
    const paid = fund.history([pay(200, 200)], allocated);
    fund.given(paid).when({ type: 'ReleaseHold', movementId: 'improvement-1', reason: 'cancelled' }).then([
      { type: 'FundHoldReleased', data: { fundId: 'f1', movementId: 'improvement-1', amountMinor: 500, reason: 'cancelled' } },
    ]);
  });
});

describe('fund decider: a reversed payment restores its hold', () => {
  const spent = fund.history([
    openUnrestricted,
    payIn,
    { type: 'PlaceHold', movementId: 'h', amountMinor: 500 },
    { type: 'PostEntry', movementId: 'x', deltaMinor: -500, effectiveAt: now, fromHold: { holdId: 'h', amountMinor: 500 } },
  ]);

  it('credits the fund and puts the money back into the hold, even one spent to nothing', () => {
    const restored = fund
      .given(spent)
      .when({ type: 'PostEntry', movementId: 'x-reversal', deltaMinor: 200, effectiveAt: now, toHold: { holdId: 'h', amountMinor: 200 } })
      .then([
        { type: 'FundEntryPosted', data: { fundId: 'f1', movementId: 'x-reversal', deltaMinor: 200, effectiveAt: now } },
        { type: 'FundHoldRestored', data: { fundId: 'f1', movementId: 'h', byEntry: 'x-reversal', amountMinor: 200, heldMinor: 200, effectiveAt: now } },
      ]);
    const after = fund.state([...spent, ...restored]);
    expect(after.status === 'open' && [after.postedMinor, [...after.holds.entries()]]).toEqual([700, [['h', 200]]]);
  });
});
