import { spec } from '../../../shared/testing/decider-specification';
import { MoneyLoanCommand, MoneyLoanEvent, moneyLoanDecider, repaymentSchedule } from './money-loan.decider';

const loan = spec(moneyLoanDecider);

const lender = { kind: 'fund' as const, fundId: 'f1', fundCode: 'revolving-loan-fund' };
const disburse: MoneyLoanCommand = {
  type: 'DisburseMoneyLoan',
  loanId: 'l1',
  lender,
  lenderCurrency: 'USD',
  borrowerId: 'c1',
  amountMinor: 1000,
  currency: 'USD',
  disbursedOn: '2027-01-15',
  repayment: { interval: 'monthly', instalments: 3, firstDueOn: '2027-01-31' },
  by: 'token:s',
  now: '2027-01-15T10:00:00.000Z',
};

const postings = (event: MoneyLoanEvent) => (event.data as { postings: unknown }).postings;

describe('money loan decider', () => {
  it('splits the amount into equal instalments, month-end aware, the last taking the remainder', () => {
    expect(repaymentSchedule(1000, 'monthly', 3, '2027-01-31')).toEqual([
      { dueOn: '2027-01-31', amountMinor: 333 },
      { dueOn: '2027-02-28', amountMinor: 333 },
      { dueOn: '2027-03-31', amountMinor: 334 },
    ]);
  });

  it('posts lender → loan, loan → lender, loan → forgiveness; each balanced', () => {
    const [disbursed] = loan.given([]).when(disburse).thenAccepts();
    expect(postings(disbursed)).toEqual([{ from: 'fund:revolving-loan-fund', to: 'loan:l1', amountMinor: 1000, asset: 'USD' }]);
    const history = loan.history([disburse]);
    const [repaid] = loan.given(history).when({ type: 'RepayMoneyLoan', repaymentId: 'r1', amountMinor: 400, currency: 'USD', paidOn: '2027-01-15', by: 'b', now: disburse.now }).thenAccepts();
    expect(postings(repaid)).toEqual([{ from: 'loan:l1', to: 'fund:revolving-loan-fund', amountMinor: 400, asset: 'USD' }]);
    const after = [...history, repaid];
    const [forgiven] = loan.given(after).when({ type: 'ForgiveMoneyLoan', reason: 'x', forgivenOn: '2027-01-15', by: 'b', now: disburse.now }).thenAccepts();
    expect(postings(forgiven)).toEqual([{ from: 'loan:l1', to: 'expense:loan-forgiveness', amountMinor: 600, asset: 'USD' }]);
    expect(loan.state([...after, forgiven])).toMatchObject({ status: 'forgiven', outstandingMinor: 0 });
  });

  it('refuses repaying more than is owed and any decision on a closed loan', () => {
    const repay = (amountMinor: number): MoneyLoanCommand => ({ type: 'RepayMoneyLoan', repaymentId: 'r', amountMinor, currency: 'USD', paidOn: '2027-01-15', by: 'b', now: disburse.now });
    loan.given(loan.history([disburse])).when(repay(1001)).thenThrows('LOAN.OVERPAYMENT');
    const repaid = loan.history([disburse, repay(1000)]);
    expect(loan.state(repaid)).toMatchObject({ status: 'repaid' });
    loan.given(repaid).when(repay(1)).thenThrows('LOAN.CLOSED');
  });

  it('a loan from a fund is requested by one steward and disbursed by another, on the day asked for or later', () => {
    const request: MoneyLoanCommand = { ...(disburse as Extract<MoneyLoanCommand, { type: 'DisburseMoneyLoan' }>), type: 'RequestMoneyLoan' };
    const pending = loan.history([request]);
    expect(loan.state(pending)).toMatchObject({ status: 'pending' });
    const approve = (by: string, disbursedOn?: string, today = '2027-01-20'): MoneyLoanCommand => ({ type: 'ApproveMoneyLoan', disbursedOn, by, now: `${today}T10:00:00.000Z` });
    loan.given(pending).when(approve('token:s')).thenThrows('LOAN.SELF_APPROVAL');
    loan.given(pending).when(approve('token:t', '2027-01-14')).thenThrows('LOAN.BEFORE_REQUEST');
    loan.given(pending).when(approve('token:t', '2027-01-21')).thenThrows('LOAN.DATE_IN_FUTURE');
    loan.given(pending).when(approve('token:t', '2027-01-31', '2027-02-01')).thenThrows('LOAN.DUE_BEFORE_START');
    loan.given(pending).when({ type: 'RepayMoneyLoan', repaymentId: 'r', amountMinor: 1, currency: 'USD', paidOn: '2027-01-15', by: 'b', now: disburse.now }).thenThrows('LOAN.PENDING');
    const disbursed = loan.given(pending).when(approve('token:t', '2027-01-16')).thenMatches([
      { type: 'MoneyLoanDisbursed', data: { disbursedOn: '2027-01-16', disbursedBy: 'token:t', requestedBy: 'token:s', effectiveAt: '2027-01-16T00:00:00.000Z' } },
    ]);
    const active = [...pending, ...disbursed];
    expect(loan.state(active)).toMatchObject({ status: 'active', outstandingMinor: 1000 });
    loan.given(active).when(approve('token:t')).thenThrows('LOAN.ALREADY_DECIDED');
    const [rejected] = loan.given(pending).when({ type: 'RejectMoneyLoan', reason: 'no', by: 'token:s', now: disburse.now }).thenAccepts();
    loan.given([...pending, rejected]).when(approve('token:t')).thenThrows('LOAN.ALREADY_DECIDED');
  });
});
