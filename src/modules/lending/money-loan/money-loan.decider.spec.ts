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

  it('a loan from a fund is requested by one steward and disbursed by another, on the day asked for or later', () => {
    const request: MoneyLoanCommand = { ...(disburse as Extract<MoneyLoanCommand, { type: 'DisburseMoneyLoan' }>), type: 'RequestMoneyLoan' };
    const pending = fold([request]);
    expect(pending).toMatchObject({ status: 'pending' });
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as { code: string }).code;
      }
      return 'none';
    };
    const approve = (by: string, disbursedOn?: string, today = '2027-01-20'): MoneyLoanCommand => ({ type: 'ApproveMoneyLoan', disbursedOn, by, now: `${today}T10:00:00.000Z` });
    expect(code(() => moneyLoanDecider.decide(approve('token:s'), pending))).toBe('LOAN.SELF_APPROVAL');
    expect(code(() => moneyLoanDecider.decide(approve('token:t', '2027-01-14'), pending))).toBe('LOAN.BEFORE_REQUEST');
    expect(code(() => moneyLoanDecider.decide(approve('token:t', '2027-01-21'), pending))).toBe('LOAN.DATE_IN_FUTURE');
    expect(code(() => moneyLoanDecider.decide(approve('token:t', '2027-01-31', '2027-02-01'), pending))).toBe('LOAN.DUE_BEFORE_START');
    expect(code(() => moneyLoanDecider.decide({ type: 'RepayMoneyLoan', repaymentId: 'r', amountMinor: 1, currency: 'USD', paidOn: '2027-01-15', by: 'b', now: disburse.now }, pending))).toBe('LOAN.PENDING');
    const [disbursed] = moneyLoanDecider.decide(approve('token:t', '2027-01-16'), pending);
    expect(disbursed).toMatchObject({ type: 'MoneyLoanDisbursed', data: { disbursedOn: '2027-01-16', disbursedBy: 'token:t', requestedBy: 'token:s', effectiveAt: '2027-01-16T00:00:00.000Z' } });
    const active = moneyLoanDecider.evolve(pending, disbursed);
    expect(active).toMatchObject({ status: 'active', outstandingMinor: 1000 });
    expect(code(() => moneyLoanDecider.decide(approve('token:t'), active))).toBe('LOAN.ALREADY_DECIDED');
    const [rejected] = moneyLoanDecider.decide({ type: 'RejectMoneyLoan', reason: 'no', by: 'token:s', now: disburse.now }, pending);
    expect(code(() => moneyLoanDecider.decide(approve('token:t'), moneyLoanDecider.evolve(pending, rejected)))).toBe('LOAN.ALREADY_DECIDED');
  });
});
