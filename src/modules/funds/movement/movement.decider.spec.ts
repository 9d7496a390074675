import { DomainError } from '../../../shared/domain-error';
import { FundFacts, MovementCommand, MovementEvent, movementDecider } from './movement.decider';

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

const given = (events: MovementEvent[]) => events.reduce(movementDecider.evolve, movementDecider.initialState());
function codeOf(command: MovementCommand, events: MovementEvent[] = []): string | undefined {
  try {
    movementDecider.decide(command, given(events));
  } catch (error) {
    return (error as DomainError).code;
  }
  return undefined;
}

describe('movement decider', () => {
  const requested = movementDecider.decide(transfer, given([]));

  it('requests a transfer with balanced postings and the effect on each fund', () => {
    expect(requested[0].data).toMatchObject({
      kind: 'transfer',
      postings: [{ from: 'fund:general', to: 'fund:training', amountMinor: 500, asset: 'USD' }],
      effects: [
        { fundId: 'id-general', deltaMinor: -500 },
        { fundId: 'id-training', deltaMinor: 500 },
      ],
    });
  });

  it('refuses bad amounts, one fund twice, other currencies, closed funds and restricted money leaving its purpose', () => {
    expect(codeOf({ ...transfer, amountMinor: 0 })).toBe('MOVEMENT.AMOUNT_INVALID');
    expect(codeOf({ ...transfer, amountMinor: 1.5 })).toBe('MOVEMENT.AMOUNT_INVALID');
    expect(codeOf({ ...transfer, to: fund('general') })).toBe('TRANSFER.SAME_FUND');
    expect(codeOf({ ...transfer, currency: 'EUR' })).toBe('MOVEMENT.CURRENCY_MISMATCH');
    expect(codeOf({ ...transfer, to: fund('training', { status: 'closed' }) })).toBe('FUND.CLOSED');
    expect(codeOf({ ...transfer, from: water })).toBe('TRANSFER.PURPOSE_MISMATCH');
    expect(codeOf({ ...transfer, from: water, to: fund('wells', { restriction: { class: 'donor-restricted', purpose: 'water' } }) })).toBeUndefined();
    expect(codeOf(transfer, requested)).toBe('MOVEMENT.ALREADY_EXISTS');
  });

  it('posts on approval by someone else before expiry, once', () => {
    expect(codeOf({ type: 'ApproveMovement', by: 'alice', effectiveAt: now, now }, requested)).toBe('MOVEMENT.SELF_APPROVAL');
    expect(codeOf({ type: 'ApproveMovement', by: 'bob', effectiveAt: now, now: '2026-05-04T10:00:00.000Z' }, requested)).toBe('MOVEMENT.EXPIRED');
    const posted = movementDecider.decide({ type: 'ApproveMovement', by: 'bob', effectiveAt: now, now }, given(requested));
    expect(posted).toEqual([
      { type: 'MovementPosted', data: { movementId: 'm1', kind: 'transfer', postings: [{ from: 'fund:general', to: 'fund:training', amountMinor: 500, asset: 'USD' }], effectiveAt: now, approvedBy: 'bob' } },
    ]);
    expect(codeOf({ type: 'ApproveMovement', by: 'bob', effectiveAt: now, now }, [...requested, ...posted])).toBe('MOVEMENT.ALREADY_DECIDED');
    expect(codeOf({ type: 'RejectMovement', by: 'bob', reason: 'x', effectiveAt: now, now }, [...requested, ...posted])).toBe('MOVEMENT.ALREADY_DECIDED');
  });

  it('expires only after the window, and reverses a posted movement once', () => {
    expect(codeOf({ type: 'ExpireMovement', now }, requested)).toBe('MOVEMENT.NOT_EXPIRED');
    expect(codeOf({ type: 'ExpireMovement', now: '2026-05-04T10:00:00.000Z' }, requested)).toBeUndefined();
    expect(codeOf({ type: 'ReverseMovement', by: 'carol', reason: 'x', effectiveAt: now, now }, requested)).toBe('MOVEMENT.NOT_POSTED');
    const posted = [...requested, ...movementDecider.decide({ type: 'ApproveMovement', by: 'bob', effectiveAt: now, now }, given(requested))];
    const [reversal] = movementDecider.decide({ type: 'ReverseMovement', by: 'carol', reason: 'typo', effectiveAt: now, now }, given(posted));
    expect(reversal.data).toMatchObject({ reversalOf: 'm1', postings: [{ from: 'fund:training', to: 'fund:general', amountMinor: 500 }] });
    expect(codeOf({ type: 'ReverseMovement', by: 'carol', reason: 'again', effectiveAt: now, now }, [...posted, reversal])).toBe('MOVEMENT.ALREADY_REVERSED');
  });

  it('spends restricted money only on its purpose and after its date, recording the release', () => {
    const spend: MovementCommand = {
      type: 'RequestDisbursement', movementId: 'd1', fund: water, payee: 'Acme', category: 'pipes', invoiceReference: 'I-1',
      purpose: 'water', amountMinor: 100, currency: 'USD', effectiveAt: '2026-06-01T00:00:00.000Z', by: 'alice', now,
    };
    expect(codeOf({ ...spend, purpose: 'chairs' })).toBe('DISBURSEMENT.PURPOSE_MISMATCH');
    expect(codeOf({ ...spend, effectiveAt: '2026-05-31T23:00:00.000Z' })).toBe('DISBURSEMENT.TIME_RESTRICTED');
    const requestedSpend = movementDecider.decide(spend, given([]));
    const [posted] = movementDecider.decide({ type: 'ApproveMovement', by: 'bob', effectiveAt: now, now }, given(requestedSpend));
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
  const given = (events: MovementEvent[]) => events.reduce(movementDecider.evolve, movementDecider.initialState());
  const codeOf = (command: MovementCommand, events: MovementEvent[] = []) => {
    try {
      movementDecider.decide(command, given(events));
    } catch (error) {
      return (error as DomainError).code;
    }
    return undefined;
  };

  it('posts at once from the sustainer to the fund, carrying the fund restriction', () => {
    const events = movementDecider.decide(donation, given([]));
    expect(events.map((e) => e.type)).toEqual(['MovementRequested', 'MovementPosted']);
    expect(events[0].data).toMatchObject({
      kind: 'donation',
      sustainerId: 's1',
      pledgeId: 'p1',
      method: 'card',
      restriction: { class: 'donor-restricted', purpose: 'water' },
      postings: [{ from: 'sustainer:s1', to: 'fund:water', amountMinor: 30_000, asset: 'USD' }],
    });
    const reversed = movementDecider.decide({ type: 'ReverseMovement', by: 'alice', reason: 'refund', effectiveAt: '2028-03-01T00:00:00.000Z', now: '2028-03-01T00:00:00.000Z' }, given(events));
    expect(reversed[0].data).toMatchObject({ kind: 'donation', postings: [{ from: 'fund:water', to: 'sustainer:s1', amountMinor: 30_000 }] });
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
    expect(codeOf({ ...donation, ...change } as MovementCommand)).toBe(code);
  });

  it('dates decisions after the fact: not in the future, not before the movement', () => {
    const backDated = movementDecider.decide({ ...transfer, effectiveAt: '2024-03-01T00:00:00.000Z' }, given([]));
    const approve = (effectiveAt: string) => ({ type: 'ApproveMovement' as const, by: 'bob', effectiveAt, now });
    expect(codeOf(approve('2024-03-02T00:00:00.000Z'), backDated)).toBeUndefined();
    expect(codeOf(approve('2024-03-01T00:00:00.000Z'), backDated)).toBeUndefined();
    expect(codeOf(approve('2024-02-29T23:59:59.999Z'), backDated)).toBe('MOVEMENT.DATE_BEFORE_REQUEST');
    // A payment scheduled for later can be approved before its date, not before it was asked for.
    const scheduled = movementDecider.decide({ ...transfer, effectiveAt: '2026-06-01T00:00:00.000Z' }, given([]));
    expect(codeOf(approve(now), scheduled)).toBeUndefined();
    expect(codeOf(approve('2026-04-30T00:00:00.000Z'), scheduled)).toBe('MOVEMENT.DATE_BEFORE_REQUEST');
    expect(codeOf(approve('2026-05-01T10:00:00.001Z'), backDated)).toBe('MOVEMENT.DATE_IN_FUTURE');
    const reject = { type: 'RejectMovement' as const, by: 'bob', reason: 'no', effectiveAt: '2024-01-01T00:00:00.000Z', now };
    expect(codeOf(reject, backDated)).toBe('MOVEMENT.DATE_BEFORE_REQUEST');
    const posted = [...backDated, ...movementDecider.decide(approve('2024-03-02T00:00:00.000Z'), given(backDated))];
    const reverse = (effectiveAt: string) => ({ type: 'ReverseMovement' as const, by: 'carol', reason: 'typo', effectiveAt, now });
    expect(codeOf(reverse('2024-02-01T00:00:00.000Z'), posted)).toBe('MOVEMENT.REVERSAL_BEFORE_ORIGINAL');
    expect(codeOf(reverse('2027-01-01T00:00:00.000Z'), posted)).toBe('MOVEMENT.DATE_IN_FUTURE');
    expect(codeOf(reverse('2025-01-01T00:00:00.000Z'), posted)).toBeUndefined();
  });
});
