import { spec } from '../../../shared/testing/decider-specification';
import { FundFacts, ImprovementCommand, Project, improvementDecider, splitPayment } from './improvement.decider';

const improvement = spec(improvementDecider);

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

const approve: ImprovementCommand = { type: 'ApproveImprovement', by: 'steward-2', now };
const approved = () => improvement.history([plan, approve]);

describe('improvement decider: plan and approval', () => {
  it('refuses funding that does not cover the estimate, other currencies, restricted money of another purpose, and non-positive amounts', () => {
    improvement.given([]).when({ ...plan, estimateMinor: 1_001 }).thenThrows('IMPROVEMENT.FUNDING_SHORT');
    improvement.given([]).when({ ...plan, fundingLines: [{ fund: fund('eur', { currency: 'EUR' }), amountMinor: 1_000 }] }).thenThrows('IMPROVEMENT.CURRENCY_MISMATCH');
    improvement.given([]).when({ ...plan, fundingLines: [{ fund: fund('w', { restriction: { class: 'donor-restricted', purpose: 'water autonomy initiatives' } }), amountMinor: 1_000 }] }).thenThrows(
      'IMPROVEMENT.PURPOSE_MISMATCH',
    );
    improvement.given([]).when({ ...plan, estimateMinor: -1 }).thenThrows('IMPROVEMENT.AMOUNT_INVALID');
    improvement.given([]).when({ ...plan, fundingLines: [{ fund: general, amountMinor: 0 }, { fund: lti, amountMinor: 1_000 }] }).thenThrows('IMPROVEMENT.AMOUNT_INVALID');
    improvement.given([]).when({ ...plan, fundingLines: [{ fund: general, amountMinor: 500 }, { fund: general, amountMinor: 500 }] }).thenThrows('IMPROVEMENT.DUPLICATE_FUND');
    improvement.given([]).when({ ...plan, property: { propertyId: 'p1', status: 'sold' } }).thenThrows('PROPERTY.SOLD');
    improvement.given([]).when({ ...plan, property: { propertyId: 'p1', status: 'none' } }).thenThrows('PROPERTY.NOT_FOUND');
  });

  it('is approved by another steward only, once, allocating one hold per funding line', () => {
    const planned = improvement.history([plan]);
    improvement.given(planned).when({ ...approve, by: 'steward-1' }).thenThrows('IMPROVEMENT.SELF_APPROVAL');
    const events = improvement.given(planned).when(approve).then([
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
    improvement.given([...planned, ...events]).when(approve).thenThrows('IMPROVEMENT.ALREADY_DECIDED');
  });
});

describe('improvement decider: recorded after the fact', () => {
  const backPlan: ImprovementCommand = { ...plan, effectiveAt: '2025-03-05T00:00:00.000Z' } as ImprovementCommand;
  const backApprove = (effectiveAt: string): ImprovementCommand => ({ type: 'ApproveImprovement', effectiveAt, by: 'steward-2', now });

  it('dates the allocation on the approval\'s business date and keeps the recording time', () => {
    const [event] = improvement.given(improvement.history([backPlan])).when(backApprove('2025-03-10T00:00:00.000Z')).thenAccepts();
    expect(event).toMatchObject({ type: 'ImprovementApproved', data: { approvedAt: now, effectiveAt: '2025-03-10T00:00:00.000Z' } });
    expect(event.type === 'ImprovementApproved' && event.data.lines.map((l) => l.approvedOn)).toEqual(['2025-03-10', '2025-03-10']);
  });

  it('refuses an approval before its plan or in the future, and an increase or its approval before what it depends on', () => {
    const planned = improvement.history([backPlan]);
    improvement.given(planned).when(backApprove('2025-03-04T23:59:59.999Z')).thenThrows('IMPROVEMENT.APPROVAL_BEFORE_PLAN');
    improvement.given(planned).when(backApprove('2026-09-01T10:00:00.001Z')).thenThrows('IMPROVEMENT.DATE_IN_FUTURE');
    improvement.given([]).when({ ...plan, effectiveAt: '2026-09-02T00:00:00.000Z' } as ImprovementCommand).thenThrows('IMPROVEMENT.DATE_IN_FUTURE');
    const history = improvement.history([backPlan, backApprove('2025-03-10T00:00:00.000Z')]);
    const increase = (effectiveAt: string): ImprovementCommand => ({
      type: 'RequestBudgetIncrease',
      increaseId: 'inc1',
      fundingLines: [{ fund: general, amountMinor: 100 }],
      reason: 'more',
      effectiveAt,
      by: 'steward-1',
      now,
    });
    improvement.given(history).when(increase('2025-03-09T00:00:00.000Z')).thenThrows('IMPROVEMENT.INCREASE_BEFORE_APPROVAL');
    const requested = improvement.history([increase('2025-03-20T00:00:00.000Z')], history);
    const approveIncrease = (effectiveAt: string): ImprovementCommand => ({ type: 'ApproveBudgetIncrease', increaseId: 'inc1', effectiveAt, by: 'steward-2', now });
    improvement.given(requested).when(approveIncrease('2025-03-19T00:00:00.000Z')).thenThrows('IMPROVEMENT.APPROVAL_BEFORE_REQUEST');
    improvement.given(requested).when(approveIncrease('2026-10-01T00:00:00.000Z')).thenThrows('IMPROVEMENT.DATE_IN_FUTURE');
    improvement.given(requested).when(approveIncrease('2025-03-20T00:00:00.000Z')).thenAccepts();
  });
});

describe('improvement decider: expenses', () => {
  it('refuses expenses before approval', () => {
    improvement.given(improvement.history([plan])).when(pay(100)).thenThrows('IMPROVEMENT.NOT_APPROVED');
  });

  it('draws on the funding lines in order, with balanced postings to the vendor and the restriction it releases', () => {
    const [paid] = improvement.given(approved()).when(pay(700)).thenAccepts();
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
    const history = improvement.history([pay(900)], approved());
    improvement.given(history).when(pay(101)).thenThrows('IMPROVEMENT.OVER_ALLOCATION');
    const increase: ImprovementCommand = { type: 'RequestBudgetIncrease', increaseId: 'b1', fundingLines: [{ fund: general, amountMinor: 200 }], reason: 'more', by: 'steward-1', now: '2026-09-08T10:00:00.000Z' };
    const requested = improvement.history([increase], history);
    improvement.given(requested).when(pay(101)).thenThrows('IMPROVEMENT.OVER_ALLOCATION');
    const approveIncrease: ImprovementCommand = { type: 'ApproveBudgetIncrease', increaseId: 'b1', by: 'steward-1', now: '2026-09-08T10:00:00.000Z' };
    improvement.given(requested).when(approveIncrease).thenThrows('IMPROVEMENT.SELF_APPROVAL');
    const increased = improvement.history([{ ...approveIncrease, by: 'steward-2' }], requested);
    improvement.given(increased).when({ ...approveIncrease, by: 'steward-2' }).thenThrows('IMPROVEMENT.ALREADY_DECIDED');
    improvement.given(increased).when(pay(101, '2026-09-07T12:00:00.000Z')).thenThrows('IMPROVEMENT.OVER_ALLOCATION');
    improvement.given(increased).when(pay(101, '2026-09-08T12:00:00.000Z')).thenAccepts();
    expect(splitPayment(improvement.state(increased) as Project, 300, '2026-09-08')).toEqual([
      { holdId: 'improvement-i1-gen', fundId: 'gen', fundCode: 'general', amountMinor: 100 },
      { holdId: 'improvement-increase-b1-gen', fundId: 'gen', fundCode: 'general', amountMinor: 200 },
    ]);
  });

  it('refuses a payment dated before approval or in the future, a paid invoice again, and another currency', () => {
    const history = approved();
    improvement.given(history).when(pay(100, '2026-08-31T23:59:59.000Z')).thenThrows('IMPROVEMENT.EXPENSE_BEFORE_APPROVAL');
    improvement.given(history).when(pay(100, '2026-09-11T00:00:00.000Z')).thenThrows('IMPROVEMENT.EXPENSE_IN_FUTURE');
    improvement.given(history).when({ ...pay(100), currency: 'EUR' } as ImprovementCommand).thenThrows('IMPROVEMENT.CURRENCY_MISMATCH');
    const paid = improvement.history([pay(100)], history);
    improvement.given(paid).when(pay(100)).thenThrows('IMPROVEMENT.DUPLICATE_INVOICE');
    improvement.given(history).when(pay(-5)).thenThrows('IMPROVEMENT.AMOUNT_INVALID');
  });

  it('keeps time-restricted money until its date', () => {
    const later = new Map(funds);
    later.set('lti', { ...lti, restriction: { ...lti.restriction, restrictedUntil: '2026-10-01' } });
    improvement.given(approved()).when({ ...pay(100), funds: later } as ImprovementCommand).thenThrows('IMPROVEMENT.TIME_RESTRICTED');
  });
});

describe('improvement decider: completion, resale credit, cancellation', () => {
  const complete: ImprovementCommand = { type: 'CompleteImprovement', completedOn: '2026-09-09', inspection: 'passed', now: '2026-09-10T10:00:00.000Z' };

  it('completes once, releasing what was allocated and not spent', () => {
    const history = improvement.history([pay(700)], approved());
    const [completed] = improvement.given(history).when(complete).thenAccepts();
    expect(completed.type === 'ImprovementCompleted' && completed.data.released).toEqual([
      { holdId: 'improvement-i1-gen', fundId: 'gen', fundCode: 'general', amountMinor: 300 },
    ]);
    const done = [...history, completed];
    improvement.given(done).when(complete).thenThrows('IMPROVEMENT.ALREADY_COMPLETED');
    improvement.given(done).when(pay(1, '2026-09-06T00:00:00.000Z', 'late')).thenThrows('IMPROVEMENT.COMPLETED');
    improvement.given(done).when({ type: 'CancelImprovement', reason: 'x', now }).thenThrows('IMPROVEMENT.COMPLETED');
    improvement.given(done).when({ type: 'RecordResaleCredit', amountMinor: 701, description: 'roof', now }).thenThrows('IMPROVEMENT.CREDIT_EXCEEDS_COST');
    const credited = improvement.history([{ type: 'RecordResaleCredit', amountMinor: 500, description: 'roof', now }], done);
    improvement.given(credited).when({ type: 'RecordResaleCredit', amountMinor: 1, description: 'again', now }).thenThrows('IMPROVEMENT.RESALE_CREDIT_EXISTS');
  });

  it('refuses completion before approval or in the future, and a resale credit before completion', () => {
    improvement.given(improvement.history([plan])).when(complete).thenThrows('IMPROVEMENT.NOT_APPROVED');
    improvement.given(approved()).when({ ...complete, completedOn: '2026-09-11' }).thenThrows('IMPROVEMENT.COMPLETED_IN_FUTURE');
    improvement.given(approved()).when({ type: 'RecordResaleCredit', amountMinor: 1, description: 'x', now }).thenThrows('IMPROVEMENT.NOT_COMPLETED');
  });

  it('cancels a planned or approved project once, releasing what is unspent', () => {
    const history = improvement.history([pay(200)], approved());
    const [cancelled] = improvement.given(history).when({ type: 'CancelImprovement', reason: 'no longer needed', now }).thenAccepts();
    expect(cancelled.type === 'ImprovementCancelled' && cancelled.data.released).toEqual([
      { holdId: 'improvement-i1-lti', fundId: 'lti', fundCode: 'land-trust-improvements', amountMinor: 400 },
      { holdId: 'improvement-i1-gen', fundId: 'gen', fundCode: 'general', amountMinor: 400 },
    ]);
    improvement.given([...history, cancelled]).when({ type: 'CancelImprovement', reason: 'x', now }).thenThrows('IMPROVEMENT.CANCELLED');
    improvement.given([...history, cancelled]).when(pay(1, '2026-09-06T00:00:00.000Z', 'late')).thenThrows('IMPROVEMENT.CANCELLED');
    const plannedOnly = improvement.history([plan, { type: 'CancelImprovement', reason: 'x', now }]);
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
  const paid = () => improvement.history([pay(700)], approved());

  it('reverses the postings, restores the holds while the work goes on, and frees the allocation again', () => {
    const [reversed] = improvement.given(paid()).when(reverse('x-INV-700')).thenAccepts();
    expect(reversed.type === 'ImprovementExpenseReversed' && reversed.data).toMatchObject({
      restoredToHolds: true,
      postings: [
        { from: 'vendor:Acme', to: 'fund:land-trust-improvements', amountMinor: 600, asset: 'USD' },
        { from: 'vendor:Acme', to: 'fund:general', amountMinor: 100, asset: 'USD' },
      ],
    });
    const after = [...paid(), reversed];
    improvement.given(after).when(pay(1_000, '2026-09-07T00:00:00.000Z', 'again')).thenAccepts();
    improvement.given(after).when(reverse('x-INV-700')).thenThrows('IMPROVEMENT.EXPENSE_ALREADY_REVERSED');
  });

  it('refuses an unknown expense, a date before the expense or in the future, and releases instead once the work has ended', () => {
    improvement.given(paid()).when(reverse('nope')).thenThrows('IMPROVEMENT.EXPENSE_NOT_FOUND', 404);
    improvement.given(paid()).when(reverse('x-INV-700', '2026-09-04T23:00:00.000Z')).thenThrows('IMPROVEMENT.REVERSAL_BEFORE_EXPENSE');
    improvement.given(paid()).when(reverse('x-INV-700', '2026-09-11T00:00:00.000Z')).thenThrows('IMPROVEMENT.EXPENSE_IN_FUTURE');
    const cancelled = improvement.history([{ type: 'CancelImprovement', reason: 'x', now }], paid());
    const [reversed] = improvement.given(cancelled).when(reverse('x-INV-700')).thenAccepts();
    expect(reversed.type === 'ImprovementExpenseReversed' && reversed.data.restoredToHolds).toBe(false);
  });
});
