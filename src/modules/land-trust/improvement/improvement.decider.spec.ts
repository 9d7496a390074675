import { DomainError } from '../../../shared/domain-error';
import { FundFacts, ImprovementCommand, ImprovementEvent, Project, improvementDecider, splitPayment } from './improvement.decider';

const now = '2026-09-01T10:00:00.000Z';
const fund = (fundId: string, over: Partial<FundFacts> = {}): FundFacts => ({
  fundId,
  code: `code-${fundId}`,
  currency: 'USD',
  restriction: { class: 'unrestricted' },
  status: 'open',
  ...over,
});
const lti = fund('lti', { code: 'land-trust-improvements', restriction: { class: 'donor-restricted', purpose: 'land trust property improvements' } });
const general = fund('gen', { code: 'general' });
const funds = new Map([lti, general].map((f) => [f.fundId, f]));

const plan: ImprovementCommand = {
  type: 'PlanImprovement',
  improvementId: 'i1',
  property: { propertyId: 'p1', status: 'leased' },
  description: 'Roof',
  phase: 'repair',
  estimateMinor: 1_000,
  currency: 'USD',
  fundingLines: [{ fund: lti, amountMinor: 600 }, { fund: general, amountMinor: 400 }],
  by: 'steward-1',
  now,
};
const pay = (amountMinor: number, effectiveAt = '2026-09-05T00:00:00.000Z', invoiceReference = `INV-${amountMinor}`): ImprovementCommand => ({
  type: 'PayExpense',
  expenseId: `x-${invoiceReference}`,
  vendor: 'Acme',
  invoiceReference,
  amountMinor,
  currency: 'USD',
  effectiveAt,
  funds,
  by: 'steward-1',
  now: '2026-09-10T10:00:00.000Z',
});

const given = (events: ImprovementEvent[]) => events.reduce(improvementDecider.evolve, improvementDecider.initialState());
function run(commands: ImprovementCommand[]): ImprovementEvent[] {
  const events: ImprovementEvent[] = [];
  for (const c of commands) events.push(...improvementDecider.decide(c, given(events)));
  return events;
}
function codeOf(command: ImprovementCommand, history: ImprovementEvent[] = []): string | undefined {
  try {
    improvementDecider.decide(command, given(history));
  } catch (error) {
    return (error as DomainError).code;
  }
  return undefined;
}
const approve: ImprovementCommand = { type: 'ApproveImprovement', by: 'steward-2', now };
const approved = () => run([plan, approve]);

describe('improvement decider: plan and approval', () => {
  it('refuses funding that does not cover the estimate, other currencies, restricted money of another purpose, and non-positive amounts', () => {
    expect(codeOf({ ...plan, estimateMinor: 1_001 })).toBe('IMPROVEMENT.FUNDING_SHORT');
    expect(codeOf({ ...plan, fundingLines: [{ fund: fund('eur', { currency: 'EUR' }), amountMinor: 1_000 }] })).toBe('IMPROVEMENT.CURRENCY_MISMATCH');
    expect(codeOf({ ...plan, fundingLines: [{ fund: fund('w', { restriction: { class: 'donor-restricted', purpose: 'water autonomy initiatives' } }), amountMinor: 1_000 }] })).toBe(
      'IMPROVEMENT.PURPOSE_MISMATCH',
    );
    expect(codeOf({ ...plan, estimateMinor: -1 })).toBe('IMPROVEMENT.AMOUNT_INVALID');
    expect(codeOf({ ...plan, fundingLines: [{ fund: general, amountMinor: 0 }, { fund: lti, amountMinor: 1_000 }] })).toBe('IMPROVEMENT.AMOUNT_INVALID');
    expect(codeOf({ ...plan, fundingLines: [{ fund: general, amountMinor: 500 }, { fund: general, amountMinor: 500 }] })).toBe('IMPROVEMENT.DUPLICATE_FUND');
    expect(codeOf({ ...plan, property: { propertyId: 'p1', status: 'sold' } })).toBe('PROPERTY.SOLD');
    expect(codeOf({ ...plan, property: { propertyId: 'p1', status: 'none' } })).toBe('PROPERTY.NOT_FOUND');
  });

  it('is approved by another steward only, once, allocating one hold per funding line', () => {
    const planned = run([plan]);
    expect(codeOf({ ...approve, by: 'steward-1' }, planned)).toBe('IMPROVEMENT.SELF_APPROVAL');
    const events = improvementDecider.decide(approve, given(planned));
    expect(events).toEqual([
      {
        type: 'ImprovementApproved',
        data: {
          improvementId: 'i1',
          propertyId: 'p1',
          lines: [
            { holdId: 'improvement-i1-lti', fundId: 'lti', fundCode: 'land-trust-improvements', amountMinor: 600, approvedOn: '2026-09-01' },
            { holdId: 'improvement-i1-gen', fundId: 'gen', fundCode: 'general', amountMinor: 400, approvedOn: '2026-09-01' },
          ],
          approvedBy: 'steward-2',
          approvedAt: now,
        },
      },
    ]);
    expect(codeOf(approve, [...planned, ...events])).toBe('IMPROVEMENT.ALREADY_DECIDED');
  });
});

describe('improvement decider: recorded after the fact', () => {
  const backPlan: ImprovementCommand = { ...plan, effectiveAt: '2025-03-05T00:00:00.000Z' } as ImprovementCommand;
  const backApprove = (effectiveAt: string): ImprovementCommand => ({ type: 'ApproveImprovement', effectiveAt, by: 'steward-2', now });

  it('dates the allocation on the approval\'s business date and keeps the recording time', () => {
    const [event] = improvementDecider.decide(backApprove('2025-03-10T00:00:00.000Z'), given(run([backPlan])));
    expect(event).toMatchObject({ type: 'ImprovementApproved', data: { approvedAt: now, effectiveAt: '2025-03-10T00:00:00.000Z' } });
    expect(event.type === 'ImprovementApproved' && event.data.lines.map((l) => l.approvedOn)).toEqual(['2025-03-10', '2025-03-10']);
  });

  it('refuses an approval before its plan or in the future, and an increase or its approval before what it depends on', () => {
    const planned = run([backPlan]);
    expect(codeOf(backApprove('2025-03-04T23:59:59.999Z'), planned)).toBe('IMPROVEMENT.APPROVAL_BEFORE_PLAN');
    expect(codeOf(backApprove('2026-09-01T10:00:00.001Z'), planned)).toBe('IMPROVEMENT.DATE_IN_FUTURE');
    expect(codeOf({ ...plan, effectiveAt: '2026-09-02T00:00:00.000Z' } as ImprovementCommand)).toBe('IMPROVEMENT.DATE_IN_FUTURE');
    const history = run([backPlan, backApprove('2025-03-10T00:00:00.000Z')]);
    const increase = (effectiveAt: string): ImprovementCommand => ({
      type: 'RequestBudgetIncrease',
      increaseId: 'inc1',
      fundingLines: [{ fund: general, amountMinor: 100 }],
      reason: 'more',
      effectiveAt,
      by: 'steward-1',
      now,
    });
    expect(codeOf(increase('2025-03-09T00:00:00.000Z'), history)).toBe('IMPROVEMENT.INCREASE_BEFORE_APPROVAL');
    const requested = [...history, ...improvementDecider.decide(increase('2025-03-20T00:00:00.000Z'), given(history))];
    const approveIncrease = (effectiveAt: string): ImprovementCommand => ({ type: 'ApproveBudgetIncrease', increaseId: 'inc1', effectiveAt, by: 'steward-2', now });
    expect(codeOf(approveIncrease('2025-03-19T00:00:00.000Z'), requested)).toBe('IMPROVEMENT.APPROVAL_BEFORE_REQUEST');
    expect(codeOf(approveIncrease('2026-10-01T00:00:00.000Z'), requested)).toBe('IMPROVEMENT.DATE_IN_FUTURE');
    expect(codeOf(approveIncrease('2025-03-20T00:00:00.000Z'), requested)).toBeUndefined();
  });
});

describe('improvement decider: expenses', () => {
  it('refuses expenses before approval', () => {
    expect(codeOf(pay(100), run([plan]))).toBe('IMPROVEMENT.NOT_APPROVED');
  });

  it('draws on the funding lines in order, with balanced postings to the vendor and the restriction it releases', () => {
    const [paid] = improvementDecider.decide(pay(700), given(approved()));
    expect(paid.type === 'ImprovementExpensePaid' && paid.data).toMatchObject({
      charges: [
        { holdId: 'improvement-i1-lti', fundId: 'lti', amountMinor: 600 },
        { holdId: 'improvement-i1-gen', fundId: 'gen', amountMinor: 100 },
      ],
      postings: [
        { from: 'fund:land-trust-improvements', to: 'vendor:Acme', amountMinor: 600, asset: 'USD' },
        { from: 'fund:general', to: 'vendor:Acme', amountMinor: 100, asset: 'USD' },
      ],
      restrictionReleases: [{ fundId: 'lti', purpose: 'land trust property improvements', amountMinor: 600 }],
    });
  });

  it('refuses spending beyond the allocation until a budget increase is approved, and the increase pays only from its approval day', () => {
    const history = [...approved(), ...improvementDecider.decide(pay(900), given(approved()))];
    expect(codeOf(pay(101), history)).toBe('IMPROVEMENT.OVER_ALLOCATION');
    const increase: ImprovementCommand = { type: 'RequestBudgetIncrease', increaseId: 'b1', fundingLines: [{ fund: general, amountMinor: 200 }], reason: 'more', by: 'steward-1', now: '2026-09-08T10:00:00.000Z' };
    const requested = [...history, ...improvementDecider.decide(increase, given(history))];
    expect(codeOf(pay(101), requested)).toBe('IMPROVEMENT.OVER_ALLOCATION');
    const approveIncrease: ImprovementCommand = { type: 'ApproveBudgetIncrease', increaseId: 'b1', by: 'steward-1', now: '2026-09-08T10:00:00.000Z' };
    expect(codeOf(approveIncrease, requested)).toBe('IMPROVEMENT.SELF_APPROVAL');
    const increased = [...requested, ...improvementDecider.decide({ ...approveIncrease, by: 'steward-2' }, given(requested))];
    expect(codeOf({ ...approveIncrease, by: 'steward-2' }, increased)).toBe('IMPROVEMENT.ALREADY_DECIDED');
    expect(codeOf(pay(101, '2026-09-07T12:00:00.000Z'), increased)).toBe('IMPROVEMENT.OVER_ALLOCATION');
    expect(codeOf(pay(101, '2026-09-08T12:00:00.000Z'), increased)).toBeUndefined();
    expect(splitPayment(given(increased) as Project, 300, '2026-09-08')).toEqual([
      { holdId: 'improvement-i1-gen', fundId: 'gen', fundCode: 'general', amountMinor: 100 },
      { holdId: 'improvement-increase-b1-gen', fundId: 'gen', fundCode: 'general', amountMinor: 200 },
    ]);
  });

  it('refuses a payment dated before approval or in the future, a paid invoice again, and another currency', () => {
    const history = approved();
    expect(codeOf(pay(100, '2026-08-31T23:59:59.000Z'), history)).toBe('IMPROVEMENT.EXPENSE_BEFORE_APPROVAL');
    expect(codeOf(pay(100, '2026-09-11T00:00:00.000Z'), history)).toBe('IMPROVEMENT.EXPENSE_IN_FUTURE');
    expect(codeOf({ ...pay(100), currency: 'EUR' } as ImprovementCommand, history)).toBe('IMPROVEMENT.CURRENCY_MISMATCH');
    const paid = [...history, ...improvementDecider.decide(pay(100), given(history))];
    expect(codeOf(pay(100), paid)).toBe('IMPROVEMENT.DUPLICATE_INVOICE');
    expect(codeOf(pay(-5), history)).toBe('IMPROVEMENT.AMOUNT_INVALID');
  });

  it('keeps time-restricted money until its date', () => {
    const later = new Map(funds);
    later.set('lti', { ...lti, restriction: { ...lti.restriction, restrictedUntil: '2026-10-01' } });
    expect(codeOf({ ...pay(100), funds: later } as ImprovementCommand, approved())).toBe('IMPROVEMENT.TIME_RESTRICTED');
  });
});

describe('improvement decider: completion, resale credit, cancellation', () => {
  const complete: ImprovementCommand = { type: 'CompleteImprovement', completedOn: '2026-09-09', inspection: 'passed', now: '2026-09-10T10:00:00.000Z' };

  it('completes once, releasing what was allocated and not spent', () => {
    const history = [...approved(), ...improvementDecider.decide(pay(700), given(approved()))];
    const [completed] = improvementDecider.decide(complete, given(history));
    expect(completed.type === 'ImprovementCompleted' && completed.data.released).toEqual([
      { holdId: 'improvement-i1-gen', fundId: 'gen', fundCode: 'general', amountMinor: 300 },
    ]);
    const done = [...history, completed];
    expect(codeOf(complete, done)).toBe('IMPROVEMENT.ALREADY_COMPLETED');
    expect(codeOf(pay(1, '2026-09-06T00:00:00.000Z', 'late'), done)).toBe('IMPROVEMENT.COMPLETED');
    expect(codeOf({ type: 'CancelImprovement', reason: 'x', now }, done)).toBe('IMPROVEMENT.COMPLETED');
    expect(codeOf({ type: 'RecordResaleCredit', amountMinor: 701, description: 'roof', now }, done)).toBe('IMPROVEMENT.CREDIT_EXCEEDS_COST');
    const credited = [...done, ...improvementDecider.decide({ type: 'RecordResaleCredit', amountMinor: 500, description: 'roof', now }, given(done))];
    expect(codeOf({ type: 'RecordResaleCredit', amountMinor: 1, description: 'again', now }, credited)).toBe('IMPROVEMENT.RESALE_CREDIT_EXISTS');
  });

  it('refuses completion before approval or in the future, and a resale credit before completion', () => {
    expect(codeOf(complete, run([plan]))).toBe('IMPROVEMENT.NOT_APPROVED');
    expect(codeOf({ ...complete, completedOn: '2026-09-11' }, approved())).toBe('IMPROVEMENT.COMPLETED_IN_FUTURE');
    expect(codeOf({ type: 'RecordResaleCredit', amountMinor: 1, description: 'x', now }, approved())).toBe('IMPROVEMENT.NOT_COMPLETED');
  });

  it('cancels a planned or approved project once, releasing what is unspent', () => {
    const history = [...approved(), ...improvementDecider.decide(pay(200), given(approved()))];
    const [cancelled] = improvementDecider.decide({ type: 'CancelImprovement', reason: 'no longer needed', now }, given(history));
    expect(cancelled.type === 'ImprovementCancelled' && cancelled.data.released).toEqual([
      { holdId: 'improvement-i1-lti', fundId: 'lti', fundCode: 'land-trust-improvements', amountMinor: 400 },
      { holdId: 'improvement-i1-gen', fundId: 'gen', fundCode: 'general', amountMinor: 400 },
    ]);
    expect(codeOf({ type: 'CancelImprovement', reason: 'x', now }, [...history, cancelled])).toBe('IMPROVEMENT.CANCELLED');
    expect(codeOf(pay(1, '2026-09-06T00:00:00.000Z', 'late'), [...history, cancelled])).toBe('IMPROVEMENT.CANCELLED');
    const plannedOnly = run([plan, { type: 'CancelImprovement', reason: 'x', now }]);
    expect(plannedOnly[1].type === 'ImprovementCancelled' && plannedOnly[1].data.released).toEqual([]);
  });
});

describe('improvement decider: reversing an expense', () => {
  const reverse = (expenseId: string, effectiveAt = '2026-09-06T00:00:00.000Z'): ImprovementCommand => ({
    type: 'ReverseExpense',
    expenseId,
    reason: 'wrong invoice',
    effectiveAt,
    by: 'steward-2',
    now: '2026-09-10T10:00:00.000Z',
  });
  const paid = () => [...approved(), ...improvementDecider.decide(pay(700), given(approved()))];

  it('reverses the postings, restores the holds while the work goes on, and frees the allocation again', () => {
    const [reversed] = improvementDecider.decide(reverse('x-INV-700'), given(paid()));
    expect(reversed.type === 'ImprovementExpenseReversed' && reversed.data).toMatchObject({
      restoredToHolds: true,
      postings: [
        { from: 'vendor:Acme', to: 'fund:land-trust-improvements', amountMinor: 600, asset: 'USD' },
        { from: 'vendor:Acme', to: 'fund:general', amountMinor: 100, asset: 'USD' },
      ],
    });
    const after = [...paid(), reversed];
    expect(codeOf(pay(1_000, '2026-09-07T00:00:00.000Z', 'again'), after)).toBeUndefined();
    expect(codeOf(reverse('x-INV-700'), after)).toBe('IMPROVEMENT.EXPENSE_ALREADY_REVERSED');
  });

  it('refuses an unknown expense, a date before the expense or in the future, and releases instead once the work has ended', () => {
    expect(codeOf(reverse('nope'), paid())).toBe('IMPROVEMENT.EXPENSE_NOT_FOUND');
    expect(codeOf(reverse('x-INV-700', '2026-09-04T23:00:00.000Z'), paid())).toBe('IMPROVEMENT.REVERSAL_BEFORE_EXPENSE');
    expect(codeOf(reverse('x-INV-700', '2026-09-11T00:00:00.000Z'), paid())).toBe('IMPROVEMENT.EXPENSE_IN_FUTURE');
    const cancelled = [...paid(), ...improvementDecider.decide({ type: 'CancelImprovement', reason: 'x', now }, given(paid()))];
    const [reversed] = improvementDecider.decide(reverse('x-INV-700'), given(cancelled));
    expect(reversed.type === 'ImprovementExpenseReversed' && reversed.data.restoredToHolds).toBe(false);
  });
});
