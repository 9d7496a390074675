import { EventCatalogue } from '../../event-store/event-catalogue';
import { LENDING_EVENTS } from './lending.events';
import { moneyLoanDecider } from './money-loan/money-loan.decider';

const catalogue = new EventCatalogue(LENDING_EVENTS);
const problems = (type: string, data: unknown) => catalogue.problems({ type, schemaVersion: 1, data }).map((p) => p.field);

const coop = '01a23161-a556-7106-ab13-4b4f8ebdaf0e';
const fund = '01a23161-a5b8-751d-a8ea-4d6fecbb6caa';
const loan = '01a23161-a5c0-7000-8000-000000000001';

/** A fund loan as logs written before second-steward approvals hold it: disbursed directly, no `requestedBy`. */
const directFromFund = {
  loanId: loan,
  movementId: loan,
  kind: 'loan-disbursement',
  lender: { kind: 'fund', fundId: fund, fundCode: 'revolving-loan-fund' },
  lenderAccount: 'fund:revolving-loan-fund',
  borrowerId: coop,
  amountMinor: 600_000,
  currency: 'USD',
  interestRateBasisPoints: 0,
  purpose: 'new oven',
  disbursedOn: '2026-10-01',
  effectiveAt: '2026-10-01T00:00:00.000Z',
  schedule: [{ dueOn: '2026-11-01', amountMinor: 600_000 }],
  postings: [{ from: 'fund:revolving-loan-fund', to: `loan:${loan}`, amountMinor: 600_000, asset: 'USD' }],
  disbursedBy: 'token:s1',
  recordedAt: '2026-10-01T10:00:00.000Z',
};

describe('lending event catalogue', () => {
  it('accepts well-formed events, including fund loans disbursed directly in older logs', () => {
    expect(problems('CooperativeRegistered', { cooperativeId: coop, name: 'Riverside Bakery', sector: 'food', contact: 'a@b.coop', registeredAt: '2026-10-01T10:00:00.000Z' })).toEqual([]);
    expect(problems('MoneyLoanDisbursed', directFromFund)).toEqual([]);
    expect(problems('MoneyLoanDisbursed', { ...directFromFund, requestedBy: 'token:s0' })).toEqual([]);
    expect(problems('ThingCheckedOut', { resourceId: fund, loanId: loan, on: '2027-03-11', by: 'token:c' })).toEqual([]);
  });

  it('refuses what would break verify or a projection: lone surrogates, surrounding spaces, dates out of range, unsafe amounts, unknown fields', () => {
    const registered = { cooperativeId: coop, name: 'Riverside', sector: 'food', contact: 'a@b.coop', registeredAt: '2026-10-01T10:00:00.000Z' };
    expect(problems('CooperativeRegistered', { ...registered, name: 'Lone \ud800' })).toEqual(['data.name']);
    expect(problems('CooperativeRegistered', { ...registered, name: ' Riverside' })).toEqual(['data.name']);
    expect(problems('CooperativeNameReserved', { name: 'x', cooperativeId: 'not-a-uuid' })).toEqual(['data.cooperativeId']);
    expect(problems('MoneyLoanDisbursed', { ...directFromFund, disbursedOn: '1900-01-01' })).toEqual(['data.disbursedOn']);
    expect(problems('MoneyLoanDisbursed', { ...directFromFund, amountMinor: 2 ** 53 })).toEqual(['data.amountMinor']);
    expect(problems('MoneyLoanDisbursed', { ...directFromFund, lenderAccount: 'fund: revolving' })).toEqual(['data.lenderAccount']);
    expect(problems('MoneyLoanDisbursed', { ...directFromFund, extra: 1 })).toEqual(['data.extra']);
    expect(problems('LabourHoursProposed', { exchangeId: loan, workerId: coop, receiverId: fund, minutes: 0, workedOn: '2027-01-10', description: 'x', proposedBy: 't', proposedFor: coop, proposedAt: '2027-01-10T00:00:00.000Z' })).toEqual(['data.minutes']);
  });

  it('defines every event type once', () => {
    const types = LENDING_EVENTS.map((d) => d.type);
    expect(new Set(types).size).toBe(types.length);
  });

  it('replays a fund loan disbursed directly and takes repayments on it', () => {
    const state = moneyLoanDecider.evolve(moneyLoanDecider.initialState(), { type: 'MoneyLoanDisbursed', data: directFromFund as never });
    expect(state).toMatchObject({ status: 'active', outstandingMinor: 600_000 });
    const [repaid] = moneyLoanDecider.decide(
      { type: 'RepayMoneyLoan', repaymentId: loan, amountMinor: 100, currency: 'USD', paidOn: '2026-10-02', by: 'token:c', now: '2026-10-02T10:00:00.000Z' },
      state,
    );
    expect(repaid.type).toBe('MoneyLoanRepaid');
  });

  it('reads a loan request recorded at version 1 (`installments`) as version 2 (`instalments`), and verify checks it as written', () => {
    const requested = {
      loanId: loan,
      lender: { kind: 'fund', fundId: fund, fundCode: 'revolving-loan-fund' },
      lenderAccount: 'fund:revolving-loan-fund',
      borrowerId: coop,
      amountMinor: 600_000,
      currency: 'USD',
      disbursedOn: '2026-10-01',
      requestedBy: 'token:s1',
      recordedAt: '2026-10-01T10:00:00.000Z',
    };
    const v1 = { type: 'MoneyLoanRequested', schemaVersion: 1, data: { ...requested, repayment: { interval: 'monthly', installments: 3, firstDueOn: '2026-11-01' } } };
    const v2 = { type: 'MoneyLoanRequested', schemaVersion: 2, data: { ...requested, repayment: { interval: 'monthly', instalments: 3, firstDueOn: '2026-11-01' } } };
    expect(catalogue.upcast(v1)).toEqual(v2);
    expect(catalogue.problems(v1, { recorded: true })).toEqual([]);
    expect(catalogue.problems(v2)).toEqual([]);
    // Writers write version 2 only: the old spelling, or the old version, is refused on the way in.
    expect(catalogue.problems(v1).map((p) => p.field)).toEqual(['schemaVersion', 'data.repayment', 'data.repayment.installments']);
    expect(catalogue.problems({ ...v1, schemaVersion: 2 }).map((p) => p.field)).toEqual(['data.repayment', 'data.repayment.installments']);
  });
});
