import { MoneyLoanCommand, MoneyLoanState, moneyLoanDecider, repaymentSchedule } from './money-loan.decider';

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
  repayment: { interval: 'monthly', installments: 3, firstDueOn: '2027-01-31' },
  by: 'token:s',
  now: '2027-01-15T10:00:00.000Z',
};

function fold(commands: MoneyLoanCommand[]): MoneyLoanState {
  let state = moneyLoanDecider.initialState();
  for (const c of commands) state = moneyLoanDecider.decide(c, state).reduce(moneyLoanDecider.evolve, state);
  return state;
}

describe('money loan decider', () => {
  it('splits the amount into equal instalments, month-end aware, the last taking the remainder', () => {
    expect(repaymentSchedule(1000, 'monthly', 3, '2027-01-31')).toEqual([
      { dueOn: '2027-01-31', amountMinor: 333 },
      { dueOn: '2027-02-28', amountMinor: 333 },
      { dueOn: '2027-03-31', amountMinor: 334 },
    ]);
  });

  it('posts lender → loan, loan → lender, loan → forgiveness; each balanced', () => {
    const [disbursed] = moneyLoanDecider.decide(disburse, moneyLoanDecider.initialState());
    expect((disbursed.data as { postings: unknown }).postings).toEqual([{ from: 'fund:revolving-loan-fund', to: 'loan:l1', amountMinor: 1000, asset: 'USD' }]);
    const state = fold([disburse]);
    const [repaid] = moneyLoanDecider.decide({ type: 'RepayMoneyLoan', repaymentId: 'r1', amountMinor: 400, currency: 'USD', paidOn: '2027-01-15', by: 'b', now: disburse.now }, state);
    expect((repaid.data as { postings: unknown }).postings).toEqual([{ from: 'loan:l1', to: 'fund:revolving-loan-fund', amountMinor: 400, asset: 'USD' }]);
    const after = moneyLoanDecider.evolve(state, repaid);
    const [forgiven] = moneyLoanDecider.decide({ type: 'ForgiveMoneyLoan', reason: 'x', forgivenOn: '2027-01-15', by: 'b', now: disburse.now }, after);
    expect((forgiven.data as { postings: unknown }).postings).toEqual([{ from: 'loan:l1', to: 'expense:loan-forgiveness', amountMinor: 600, asset: 'USD' }]);
    expect(moneyLoanDecider.evolve(after, forgiven)).toMatchObject({ status: 'forgiven', outstandingMinor: 0 });
  });

  it('refuses repaying more than is owed and any decision on a closed loan', () => {
    const state = fold([disburse]);
    const repay = (amountMinor: number): MoneyLoanCommand => ({ type: 'RepayMoneyLoan', repaymentId: 'r', amountMinor, currency: 'USD', paidOn: '2027-01-15', by: 'b', now: disburse.now });
    expect(() => moneyLoanDecider.decide(repay(1001), state)).toThrow(expect.objectContaining({ code: 'LOAN.OVERPAYMENT' }));
    const repaid = fold([disburse, repay(1000)]);
    expect(repaid).toMatchObject({ status: 'repaid' });
    expect(() => moneyLoanDecider.decide(repay(1), repaid)).toThrow(expect.objectContaining({ code: 'LOAN.CLOSED' }));
  });
});
