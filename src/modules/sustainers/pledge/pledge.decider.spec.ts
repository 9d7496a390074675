import { spec } from '../../../shared/testing/decider-specification';
import type { FundFacts } from '../../funds/funds.domain';
import type { SustainerState } from '../sustainer/sustainer.decider';
import { PledgeCommand, PledgeEvent, pledgeDecider } from './pledge.decider';
import { pledgeStanding } from './pledge-standing';

const pledge = spec(pledgeDecider);
const now = '2028-01-10T10:00:00.000Z';
const active: SustainerState = { status: 'active', sustainerId: 's1', anonymous: false };
const erased: SustainerState = { ...active, status: 'erased' };
const water: FundFacts = { fundId: 'f1', code: 'water', currency: 'USD', status: 'open', restriction: { class: 'unrestricted' } };
const make: Extract<PledgeCommand, { type: 'MakePledge' }> = {
  type: 'MakePledge',
  pledgeId: 'p1',
  sustainer: active,
  sustainerId: 's1',
  fund: water,
  amountMinor: 2_500,
  currency: 'USD',
  interval: 'monthly',
  startDate: '2028-01-31',
  by: 'steward',
  now,
};

const made = pledge.history([make]);
const live = (events: PledgeEvent[]) => {
  const state = pledge.state(events);
  if (state.status === 'none') throw new Error('no pledge');
  return state;
};

describe('pledge decider', () => {
  it('makes a pledge to an open fund in its currency', () => {
    pledge.given([]).when(make).then([
      { type: 'PledgeMade', data: expect.objectContaining({ pledgeId: 'p1', fundCode: 'water', interval: 'monthly', startDate: '2028-01-31' }) },
    ]);
  });

  it.each([
    ['an unknown sustainer', { sustainer: { status: 'none' } as SustainerState }, 'SUSTAINER.NOT_FOUND'],
    ['an erased sustainer', { sustainer: erased }, 'SUSTAINER.ERASED'],
    ['a closed fund', { fund: { ...water, status: 'closed' as const } }, 'FUND.CLOSED'],
    ['an interval not in the list', { interval: 'weekly' }, 'PLEDGE.INTERVAL_INVALID'],
    ['another currency than the fund', { currency: 'EUR' }, 'PLEDGE.CURRENCY_MISMATCH'],
    ['a start after the end', { endDate: '2028-01-30' }, 'PLEDGE.START_AFTER_END'],
    ['an end date and a count', { endDate: '2028-12-31', instalments: 3 }, 'PLEDGE.END_AMBIGUOUS'],
    ['zero instalments', { instalments: 0 }, 'PLEDGE.INSTALMENTS_INVALID'],
    ['a zero amount', { amountMinor: 0 }, 'PLEDGE.AMOUNT_INVALID'],
  ])('refuses %s', (_, change, code) => {
    pledge.given([]).when({ ...make, ...change } as PledgeCommand).thenThrows(code);
  });

  it('refuses a taken id', () => {
    pledge.given(made).when(make).thenThrows('PLEDGE.ALREADY_EXISTS', 409);
  });

  it('amends, pauses, resumes, and refuses changes out of order or on an ended pledge', () => {
    const by = 'steward';
    const amend: PledgeCommand = { type: 'AmendPledge', sustainer: active, from: '2028-04-30', amountMinor: 3_000, interval: 'monthly', by };
    const amended = [...made, ...pledge.given(made).when(amend).thenMatches([{ type: 'PledgeAmended', data: { from: '2028-04-30', amountMinor: 3_000 } }])];
    pledge.given(amended).when({ ...amend, from: '2028-03-01' }).thenThrows('PLEDGE.DATE_BEFORE_LAST_CHANGE');
    pledge.given(amended).when({ ...amend, interval: 'fortnightly' }).thenThrows('PLEDGE.INTERVAL_INVALID');
    pledge.given(amended).when({ type: 'ResumePledge', sustainer: active, from: '2028-05-01', by }).thenThrows('PLEDGE.NOT_PAUSED');
    const paused = pledge.history([{ type: 'PausePledge', sustainer: active, from: '2028-06-01', by }], amended);
    pledge.given(paused).when({ type: 'PausePledge', sustainer: active, from: '2028-06-02', by }).thenThrows('PLEDGE.ALREADY_PAUSED');
    pledge.given(paused).when({ type: 'ResumePledge', sustainer: active, from: '2028-05-01', by }).thenThrows('PLEDGE.DATE_BEFORE_LAST_CHANGE');
    const resumed = pledge.history([{ type: 'ResumePledge', sustainer: active, from: '2028-08-01', by }], paused);
    expect(pledge.state(resumed)).toMatchObject({ status: 'active', pauses: [{ from: '2028-06-01', until: '2028-08-01' }] });
    pledge.given(resumed).when({ type: 'PausePledge', sustainer: erased, from: '2028-09-01', by }).thenThrows('SUSTAINER.ERASED');

    const cancelled = pledge.history([{ type: 'CancelPledge', sustainer: active, from: '2028-10-01', reason: 'moved away', by }], resumed);
    pledge.given(cancelled).when(amend).thenThrows('PLEDGE.CANCELLED');
    pledge.given(cancelled).when({ type: 'WriteOffPledge', sustainer: active, from: '2028-10-02', reason: 'x', by }).thenThrows('PLEDGE.CANCELLED');
    const writtenOff = pledge.history([{ type: 'WriteOffPledge', sustainer: active, from: '2028-10-01', reason: 'uncollectable', by }], resumed);
    pledge.given(writtenOff).when({ type: 'CancelPledge', sustainer: active, from: '2028-10-02', reason: 'x', by }).thenThrows('PLEDGE.WRITTEN_OFF');
    pledge.given([]).when({ type: 'PausePledge', sustainer: active, from: '2028-10-02', by }).thenThrows('PLEDGE.NOT_FOUND');
  });
});

describe('pledge decider: gifts', () => {
  const gift: PledgeCommand = { type: 'ReceiveGift', sustainer: active, sustainerId: 's1', donationId: 'd1', amountMinor: 2_500, currency: 'USD', receivedOn: '2028-02-29' };

  it('records a gift on the pledge, so a racing cancellation meets it on the same stream', () => {
    const received = pledge.given(made).when(gift).then([
      { type: 'PledgeGiftReceived', data: { pledgeId: 'p1', donationId: 'd1', amountMinor: 2_500, receivedOn: '2028-02-29' } },
    ]);
    expect(pledge.state([...made, ...received])).toEqual(pledge.state(made));
  });

  it('refuses a gift to an unknown, cancelled or written-off pledge, from another sustainer, an erased one, or in another currency', () => {
    const cancelled: PledgeEvent = { type: 'PledgeCancelled', data: { pledgeId: 'p1', from: '2028-03-01', reason: 'x', by: 's' } };
    const writtenOff: PledgeEvent = { type: 'PledgeWrittenOff', data: { pledgeId: 'p1', from: '2028-03-01', reason: 'x', by: 's' } };
    pledge.given([]).when(gift).thenThrows('PLEDGE.NOT_FOUND');
    pledge.given([...made, cancelled]).when(gift).thenThrows('PLEDGE.CANCELLED');
    pledge.given([...made, writtenOff]).when(gift).thenThrows('PLEDGE.WRITTEN_OFF');
    pledge.given(made).when({ ...gift, sustainerId: 's2' }).thenThrows('DONATION.PLEDGE_OF_ANOTHER_SUSTAINER');
    pledge.given(made).when({ ...gift, sustainer: erased }).thenThrows('SUSTAINER.ERASED');
    pledge.given(made).when({ ...gift, currency: 'EUR' }).thenThrows('DONATION.CURRENCY_MISMATCH');
  });
});

describe('pledge standing', () => {
  const events = [
    ...made,
    { type: 'PledgeAmended', data: { pledgeId: 'p1', from: '2028-04-30', amountMinor: 3_000, interval: 'monthly', by: 's' } },
    { type: 'PledgePaused', data: { pledgeId: 'p1', from: '2028-06-01', by: 's' } },
    { type: 'PledgeResumed', data: { pledgeId: 'p1', from: '2028-08-01', by: 's' } },
  ] as PledgeEvent[];

  it('falls due on month ends (29 February in a leap year), at the amended amount, not while paused', () => {
    const standing = pledgeStanding(live(events), [], '2028-09-30', 3);
    expect(standing.schedule.map((i) => `${i.dueOn}:${i.amountMinor}`)).toEqual([
      '2028-01-31:2500', '2028-02-29:2500', '2028-03-31:2500', '2028-04-30:3000', '2028-05-30:3000', '2028-08-30:3000', '2028-09-30:3000',
      '2028-10-30:3000',
    ]);
    expect(standing).toMatchObject({ expectedMinor: 19_500, receivedMinor: 0, arrearsMinor: 19_500, status: 'lapsed', nextDue: { dueOn: '2028-10-30', amountMinor: 3_000 } });
  });

  it('is on track when paid, behind when short, paused in a pause, and counts refunds from their day', () => {
    const gifts = [
      { receivedOn: '2028-01-31', amountMinor: 2_500 },
      { receivedOn: '2028-02-29', amountMinor: 2_500 },
      { receivedOn: '2028-03-31', amountMinor: 2_500, refundedOn: '2028-04-15' },
    ];
    expect(pledgeStanding(live(events), gifts, '2028-03-31', 3)).toMatchObject({ status: 'on-track', arrearsMinor: 0, receivedMinor: 7_500 });
    expect(pledgeStanding(live(events), gifts, '2028-04-15', 3)).toMatchObject({ status: 'behind', arrearsMinor: 2_500, receivedMinor: 5_000 });
    expect(pledgeStanding(live(events), gifts, '2028-07-01', 3).status).toBe('paused');
  });

  it('completes a pledge with a count once every instalment is received, and reports a write-off', () => {
    const yearly = pledge.state(pledge.history([{ ...make, interval: 'yearly', startDate: '2028-02-29', instalments: 2 }]));
    if (yearly.status === 'none') throw new Error('no pledge');
    const paid = [{ receivedOn: '2028-02-29', amountMinor: 2_500 }, { receivedOn: '2029-02-28', amountMinor: 2_500 }];
    expect(pledgeStanding(yearly, paid, '2029-03-01', 3)).toMatchObject({ status: 'completed', totalPromisedMinor: 5_000, nextDue: null });
    const off = [...made, { type: 'PledgeWrittenOff', data: { pledgeId: 'p1', from: '2028-03-15', reason: 'x', by: 's' } }] as PledgeEvent[];
    expect(pledgeStanding(live(off), [], '2028-12-31', 3)).toMatchObject({ status: 'written-off', writtenOffMinor: 5_000, expectedMinor: 5_000, nextDue: null });
  });
});
