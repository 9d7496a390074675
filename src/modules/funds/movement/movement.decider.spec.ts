import { spec } from '../../../shared/testing/decider-specification';
import { FundFacts, MovementCommand, movementDecider } from './movement.decider';

const movement = spec(movementDecider);
const now = '2026-05-01T10:00:00.000Z';
const fund = (code: string, extra: Partial<FundFacts> = {}): FundFacts => ({
  fundId: `id-${code}`,
  code,
  currency: 'USD',
  status: 'open',
  restriction: { class: 'unrestricted' },
  ...extra,
});
const water = fund('water', { restriction: { class: 'donor-restricted', purpose: 'water', restrictedUntil: '2026-06-01' } });
const transfer: MovementCommand = {
  type: 'RequestTransfer',
  movementId: 'm1',
  from: fund('general'),
  to: fund('training'),
  amountMinor: 500,
  currency: 'USD',
  effectiveAt: now,
  by: 'alice',
  now,
  expiresAt: '2026-05-04T10:00:00.000Z',
};

describe('movement decider', () => {
  const requested = movement.history([transfer]);

  it('requests a transfer with balanced postings and the effect on each fund', () => {
    movement.given([]).when(transfer).thenMatches([
      {
        data: {
          kind: 'transfer',
          postings: [{ from: 'fund:general', to: 'fund:training', amountMinor: 500, asset: 'USD' }],
          effects: [
            { fundId: 'id-general', deltaMinor: -500 },
            { fundId: 'id-training', deltaMinor: 500 },
          ],
        },
      },
    ]);
  });

  it('refuses bad amounts, one fund twice, other currencies, closed funds and restricted money leaving its purpose', () => {
    movement.given([]).when({ ...transfer, amountMinor: 0 }).thenThrows('MOVEMENT.AMOUNT_INVALID', 400);
    movement.given([]).when({ ...transfer, amountMinor: 1.5 }).thenThrows('MOVEMENT.AMOUNT_INVALID', 400);
    movement.given([]).when({ ...transfer, to: fund('general') }).thenThrows('TRANSFER.SAME_FUND');
    movement.given([]).when({ ...transfer, currency: 'EUR' }).thenThrows('MOVEMENT.CURRENCY_MISMATCH');
    movement.given([]).when({ ...transfer, to: fund('training', { status: 'closed' }) }).thenThrows('FUND.CLOSED', 409);
    movement.given([]).when({ ...transfer, from: water }).thenThrows('TRANSFER.PURPOSE_MISMATCH');
    movement.given([]).when({ ...transfer, from: water, to: fund('wells', { restriction: { class: 'donor-restricted', purpose: 'water' } }) }).thenAccepts();
    movement.given(requested).when(transfer).thenThrows('MOVEMENT.ALREADY_EXISTS', 409);
  });

  it('posts on approval by someone else before expiry, once', () => {
    movement.given(requested).when({ type: 'ApproveMovement', by: 'alice', effectiveAt: now, now }).thenThrows('MOVEMENT.SELF_APPROVAL');
    movement.given(requested).when({ type: 'ApproveMovement', by: 'bob', effectiveAt: now, now: '2026-05-04T10:00:00.000Z' }).thenThrows('MOVEMENT.EXPIRED');
    const posted = movement.given(requested).when({ type: 'ApproveMovement', by: 'bob', effectiveAt: now, now }).then([
      { type: 'MovementPosted', data: { movementId: 'm1', kind: 'transfer', postings: [{ from: 'fund:general', to: 'fund:training', amountMinor: 500, asset: 'USD' }], effectiveAt: now, approvedBy: 'bob' } },
    ]);
    movement.given([...requested, ...posted]).when({ type: 'ApproveMovement', by: 'bob', effectiveAt: now, now }).thenThrows('MOVEMENT.ALREADY_DECIDED', 409);
    movement.given([...requested, ...posted]).when({ type: 'RejectMovement', by: 'bob', reason: 'x', effectiveAt: now, now }).thenThrows('MOVEMENT.ALREADY_DECIDED', 409);
  });

  it('expires only after the window, and reverses a posted movement once', () => {
    movement.given(requested).when({ type: 'ExpireMovement', now }).thenThrows('MOVEMENT.NOT_EXPIRED');
    movement.given(requested).when({ type: 'ExpireMovement', now: '2026-05-04T10:00:00.000Z' }).thenAccepts();
    movement.given(requested).when({ type: 'ReverseMovement', by: 'carol', reason: 'x', effectiveAt: now, now }).thenThrows('MOVEMENT.NOT_POSTED');
    const posted = movement.history([{ type: 'ApproveMovement', by: 'bob', effectiveAt: now, now }], requested);
    const [reversal] = movement.given(posted).when({ type: 'ReverseMovement', by: 'carol', reason: 'typo', effectiveAt: now, now }).thenAccepts();
    expect(reversal.data).toMatchObject({ reversalOf: 'm1', postings: [{ from: 'fund:training', to: 'fund:general', amountMinor: 500 }] });
    movement.given([...posted, reversal]).when({ type: 'ReverseMovement', by: 'carol', reason: 'again', effectiveAt: now, now }).thenThrows('MOVEMENT.ALREADY_REVERSED');
  });

  it('spends restricted money only on its purpose and after its date, recording the release', () => {
    const spend: MovementCommand = {
      type: 'RequestDisbursement', movementId: 'd1', fund: water, payee: 'Acme', category: 'pipes', invoiceReference: 'I-1',
      purpose: 'water', amountMinor: 100, currency: 'USD', effectiveAt: '2026-06-01T00:00:00.000Z', by: 'alice', now,
    };
    movement.given([]).when({ ...spend, purpose: 'chairs' }).thenThrows('DISBURSEMENT.PURPOSE_MISMATCH');
    movement.given([]).when({ ...spend, effectiveAt: '2026-05-31T23:00:00.000Z' }).thenThrows('DISBURSEMENT.TIME_RESTRICTED');
    const [posted] = movement.given(movement.history([spend])).when({ type: 'ApproveMovement', by: 'bob', effectiveAt: now, now }).thenAccepts();
    expect(posted.data).toMatchObject({ restrictionRelease: { fundId: 'id-water', purpose: 'water', amountMinor: 100 } });
  });
});

describe('movement decider: donations', () => {
  const donation: MovementCommand = {
    type: 'RecordDonation',
    movementId: 'd1',
    fund: water,
    sustainer: { sustainerId: 's1', status: 'active' },
    pledge: { pledgeId: 'p1', sustainerId: 's1', fundId: 'id-water', currency: 'USD', status: 'active' },
    method: 'card',
    goodsServicesMinor: 0,
    amountMinor: 30_000,
    currency: 'USD',
    effectiveAt: '2028-02-29T00:00:00.000Z',
    by: 'alice',
    now,
  };

  it('posts at once from the sustainer to the fund, carrying the fund restriction', () => {
    const events = movement.given([]).when(donation).thenMatches([
      {
        type: 'MovementRequested',
        data: {
          kind: 'donation',
          sustainerId: 's1',
          pledgeId: 'p1',
          method: 'card',
          restriction: { class: 'donor-restricted', purpose: 'water' },
          postings: [{ from: 'sustainer:s1', to: 'fund:water', amountMinor: 30_000, asset: 'USD' }],
        },
      },
      { type: 'MovementPosted' },
    ]);
    const [reversed] = movement
      .given(events)
      .when({ type: 'ReverseMovement', by: 'alice', reason: 'refund', effectiveAt: '2028-03-01T00:00:00.000Z', now: '2028-03-01T00:00:00.000Z' })
      .thenAccepts();
    expect(reversed.data).toMatchObject({ kind: 'donation', postings: [{ from: 'fund:water', to: 'sustainer:s1', amountMinor: 30_000 }] });
  });

  it.each([
    ['an unknown sustainer', { sustainer: { sustainerId: 's1', status: 'none' } }, 'SUSTAINER.NOT_FOUND'],
    ['an erased sustainer', { sustainer: { sustainerId: 's1', status: 'erased' } }, 'SUSTAINER.ERASED'],
    ['an unknown pledge', { pledge: { ...(donation as { pledge: object }).pledge, status: 'none' } }, 'PLEDGE.NOT_FOUND'],
    ['a cancelled pledge', { pledge: { ...(donation as { pledge: object }).pledge, status: 'cancelled' } }, 'PLEDGE.CANCELLED'],
    ['a written-off pledge', { pledge: { ...(donation as { pledge: object }).pledge, status: 'written-off' } }, 'PLEDGE.WRITTEN_OFF'],
    ["another sustainer's pledge", { pledge: { ...(donation as { pledge: object }).pledge, sustainerId: 's2' } }, 'DONATION.PLEDGE_OF_ANOTHER_SUSTAINER'],
    ['another currency than its pledge', { currency: 'EUR', fund: { ...water, currency: 'EUR' } }, 'DONATION.CURRENCY_MISMATCH'],
    ['goods worth more than the gift', { goodsServicesMinor: 30_001 }, 'DONATION.GOODS_VALUE_INVALID'],
    ['a closed fund', { fund: { ...water, status: 'closed' } }, 'FUND.CLOSED'],
    ['an unknown method', { method: 'barter' }, 'DONATION.METHOD_INVALID'],
  ])('refuses %s', (_, change, code) => {
    movement.given([]).when({ ...donation, ...change } as MovementCommand).thenThrows(code);
  });

  it('dates decisions after the fact: not in the future, not before the movement', () => {
    const backDated = movement.history([{ ...transfer, effectiveAt: '2024-03-01T00:00:00.000Z' }]);
    const approve = (effectiveAt: string) => ({ type: 'ApproveMovement' as const, by: 'bob', effectiveAt, now });
    movement.given(backDated).when(approve('2024-03-02T00:00:00.000Z')).thenAccepts();
    movement.given(backDated).when(approve('2024-03-01T00:00:00.000Z')).thenAccepts();
    movement.given(backDated).when(approve('2024-02-29T23:59:59.999Z')).thenThrows('MOVEMENT.DATE_BEFORE_REQUEST');
    // A payment scheduled for later can be approved before its date, not before it was asked for.
    const scheduled = movement.history([{ ...transfer, effectiveAt: '2026-06-01T00:00:00.000Z' }]);
    movement.given(scheduled).when(approve(now)).thenAccepts();
    movement.given(scheduled).when(approve('2026-04-30T00:00:00.000Z')).thenThrows('MOVEMENT.DATE_BEFORE_REQUEST');
    movement.given(backDated).when(approve('2026-05-01T10:00:00.001Z')).thenThrows('MOVEMENT.DATE_IN_FUTURE');
    const reject = { type: 'RejectMovement' as const, by: 'bob', reason: 'no', effectiveAt: '2024-01-01T00:00:00.000Z', now };
    movement.given(backDated).when(reject).thenThrows('MOVEMENT.DATE_BEFORE_REQUEST');
    const posted = movement.history([approve('2024-03-02T00:00:00.000Z')], backDated);
    const reverse = (effectiveAt: string) => ({ type: 'ReverseMovement' as const, by: 'carol', reason: 'typo', effectiveAt, now });
    movement.given(posted).when(reverse('2024-02-01T00:00:00.000Z')).thenThrows('MOVEMENT.REVERSAL_BEFORE_ORIGINAL');
    movement.given(posted).when(reverse('2027-01-01T00:00:00.000Z')).thenThrows('MOVEMENT.DATE_IN_FUTURE');
    movement.given(posted).when(reverse('2025-01-01T00:00:00.000Z')).thenAccepts();
  });
});
