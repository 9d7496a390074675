import { projectionSpec } from '../shared/feed-projection.spec-helper';
import { moneyLoansProjection } from './money-loans.projection';
import { findMoneyLoan, findMoneyLoanRequest, listMoneyLoanRequests, listMoneyLoans, moneyLoanParties } from './money-loans.queries';

const FUND = '11111111-1111-4111-8111-111111111111';
const BORROWER = '22222222-2222-4222-8222-222222222222';
const LOAN = '33333333-3333-4333-8333-333333333333';
const steward = 'steward:a';
const lender = { kind: 'fund', fundId: FUND, fundCode: 'revolving' };
const requested = {
  loanId: LOAN, lender, lenderAccount: 'fund:revolving', borrowerId: BORROWER, amountMinor: 30000, currency: 'USD', disbursedOn: '2026-03-01',
  repayment: { interval: 'monthly', instalments: 3, firstDueOn: '2026-04-01' }, requestedBy: steward, recordedAt: '2026-03-01T10:00:00.000Z',
};
const disbursed = {
  loanId: LOAN, movementId: '44444444-4444-4444-8444-444444444444', kind: 'loan-disbursement', lender, lenderAccount: 'fund:revolving', borrowerId: BORROWER,
  amountMinor: 30000, currency: 'USD', interestRateBasisPoints: 0, disbursedOn: '2026-03-01', effectiveAt: '2026-03-01T00:00:00.000Z',
  schedule: [{ dueOn: '2026-04-01', amountMinor: 10000 }, { dueOn: '2026-05-01', amountMinor: 10000 }, { dueOn: '2026-06-01', amountMinor: 10000 }],
  postings: [], disbursedBy: 'steward:b', requestedBy: steward, recordedAt: '2026-03-01T11:00:00.000Z',
};
const repaid = (repaymentId: string, amountMinor: number, paidOn: string) => ({
  type: 'MoneyLoanRepaid',
  data: { loanId: LOAN, movementId: repaymentId, kind: 'loan-repayment', repaymentId, amountMinor, paidOn, effectiveAt: `${paidOn}T00:00:00.000Z`, outstandingMinor: 0, postings: [], recordedBy: steward, recordedAt: '2026-06-01T00:00:00.000Z' },
});

describe('money loans projection', () => {
  it('keeps a request pending, then disbursed with its loan row', () => {
    const { feed, rows } = projectionSpec(moneyLoansProjection);
    feed({ type: 'MoneyLoanRequested', data: requested });
    expect(rows('SELECT loan_id, lender_id, borrower_id, amount, status, decided_by FROM money_loan_requests')).toEqual([
      { loan_id: LOAN, lender_id: FUND, borrower_id: BORROWER, amount: 30000, status: 'pending', decided_by: null },
    ]);
    feed({ type: 'MoneyLoanDisbursed', data: disbursed });
    expect(rows('SELECT status FROM money_loan_requests')).toEqual([{ status: 'disbursed' }]);
    expect(rows('SELECT loan_id, lender_kind, lender_id, borrower_id, amount, currency, disbursed_on FROM money_loans')).toEqual([
      { loan_id: LOAN, lender_kind: 'fund', lender_id: FUND, borrower_id: BORROWER, amount: 30000, currency: 'USD', disbursed_on: '2026-03-01' },
    ]);
  });

  it('a rejected request stays readable with who refused and why', () => {
    const { db, feed } = projectionSpec(moneyLoansProjection);
    feed({ type: 'MoneyLoanRequested', data: requested }, { type: 'MoneyLoanRejected', data: { loanId: LOAN, reason: 'no quorum', rejectedBy: steward, recordedAt: '2026-03-02T00:00:00.000Z' } });
    expect(findMoneyLoanRequest(db, LOAN)).toEqual(expect.objectContaining({ status: 'rejected', rejection: { rejectedBy: 'steward:a', reason: 'no quorum' } }));
    expect(listMoneyLoanRequests(db, { status: 'pending' })).toEqual([]);
    expect(listMoneyLoanRequests(db, { status: 'rejected', cooperativeId: BORROWER })).toHaveLength(1);
    expect(moneyLoanParties(db, LOAN)).toEqual({ lenderId: FUND, borrowerId: BORROWER });
  });

  it('dates repayments and forgiveness, so the standing as of any day is a sum of rows', () => {
    const { db, feed, rows } = projectionSpec(moneyLoansProjection);
    feed({ type: 'MoneyLoanRequested', data: requested }, { type: 'MoneyLoanDisbursed', data: disbursed });
    feed(repaid('55555555-5555-4555-8555-555555555555', 10000, '2026-04-01'));
    feed({ type: 'MoneyLoanForgiven', data: { loanId: LOAN, movementId: LOAN, kind: 'loan-forgiveness', amountMinor: 20000, reason: 'flood', forgivenOn: '2026-05-15', effectiveAt: '2026-05-15T00:00:00.000Z', postings: [], forgivenBy: steward, recordedAt: '2026-05-15T00:00:00.000Z' } });
    expect(rows('SELECT kind, amount, day, reason, position FROM money_loan_entries ORDER BY position')).toEqual([
      { kind: 'repayment', amount: 10000, day: '2026-04-01', reason: null, position: 3 },
      { kind: 'forgiveness', amount: 20000, day: '2026-05-15', reason: 'flood', position: 4 },
    ]);
    expect(findMoneyLoan(db, LOAN, '2026-02-28')).toBeUndefined();
    expect(findMoneyLoan(db, LOAN, '2026-05-02')?.standing).toEqual({ status: 'behind', paidMinor: 10000, forgivenMinor: 0, outstandingMinor: 20000, dueMinor: 20000, behindMinor: 10000, nextDueOn: '2026-06-01' });
    expect(findMoneyLoan(db, LOAN, '2026-06-02')?.standing).toEqual({ status: 'forgiven', paidMinor: 10000, forgivenMinor: 20000, outstandingMinor: 0, dueMinor: 30000, behindMinor: 0 });
    expect(listMoneyLoans(db, { asOf: '2026-06-02', cooperativeId: BORROWER, status: 'forgiven' }).map((l) => l.loanId)).toEqual([LOAN]);
    expect(findMoneyLoanRequest(db, LOAN)).toBeUndefined();
  });
});
