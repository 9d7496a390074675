import Database from 'better-sqlite3';
import type { ReadModelDatabase } from '../../projections/read-model-database';
import { GL, decimal, expenseAccountFor, glAccountFor, inNetworkBooks, minorDigits } from './chart-of-accounts';
import { generalLedgerProjection } from './general-ledger/general-ledger.projection';
import { MAX_EXPORT_LINES, ReadGeneralLedgerHandler } from './read-general-ledger/read-general-ledger.handler';

describe('chart of accounts', () => {
  it('writes minor units as decimals in the currency\'s precision, by string arithmetic', () => {
    expect([minorDigits('USD'), minorDigits('JPY'), minorDigits('BHD')]).toEqual([2, 0, 3]);
    expect(decimal(1, 'USD')).toBe('0.01');
    expect(decimal(123_456, 'USD')).toBe('1234.56');
    expect(decimal(-5, 'USD')).toBe('-0.05');
    expect(decimal(1_500, 'JPY')).toBe('1500');
    expect(decimal(1_500, 'BHD')).toBe('1.500');
    expect(decimal(Number.MAX_SAFE_INTEGER, 'USD')).toBe('90071992547409.91');
  });

  it('classifies a disbursement by its category by the documented rules, else Unclassified', () => {
    expect(expenseAccountFor('Roof repairs')).toBe(GL.program);
    expect(expenseAccountFor('insurance')).toBe(GL.management);
    expect(expenseAccountFor('Spring appeal mailing')).toBe(GL.fundraising);
    expect(expenseAccountFor('misc')).toBe(GL.unclassified);
    expect(expenseAccountFor(undefined)).toBe(GL.unclassified);
  });

  it('maps every ledger address onto the fixed chart; the typed source or payee becomes the counterparty', () => {
    const name = () => 'General';
    expect(glAccountFor('income:sale 17', { category: 'sales' }, name, 'MovementPosted')).toEqual({ account: GL.sales, counterparty: 'sale 17' });
    expect(glAccountFor('income:Bank', { category: 'opening-balance' }, name, 'MovementPosted').account).toBe(GL.opening);
    expect(glAccountFor('vendor:Acme', { category: 'repairs' }, name, 'MovementPosted')).toEqual({ account: GL.program, counterparty: 'Acme' });
    expect(glAccountFor('vendor:Acme', {}, name, 'ImprovementExpensePaid').account).toBe(GL.improvements);
    expect(glAccountFor('fund:general', {}, name, 'MovementPosted').account).toMatchObject({ code: '1100-general', name: 'Assets:Funds:general', description: 'General' });
    expect(glAccountFor('expense:loan-forgiveness', {}, name, 'MoneyLoanForgiven').account).toBe(GL.forgiveness);
    expect(glAccountFor('mystery:x', {}, name, 'X').account).toBe(GL.suspense);
  });

  it('keeps out what is not the network\'s money', () => {
    const fundLoan = (id: string) => id === 'L1';
    expect(inNetworkBooks({ from: 'fund:a', to: 'loan:L1', amountMinor: 1, asset: 'USD' }, fundLoan)).toBe(true);
    expect(inNetworkBooks({ from: 'loan:L1', to: 'expense:loan-forgiveness', amountMinor: 1, asset: 'USD' }, fundLoan)).toBe(true);
    expect(inNetworkBooks({ from: 'loan:L2', to: 'expense:loan-forgiveness', amountMinor: 1, asset: 'USD' }, fundLoan)).toBe(false);
    expect(inNetworkBooks({ from: 'coop:a', to: 'loan:L2', amountMinor: 1, asset: 'USD' }, fundLoan)).toBe(false);
    expect(inNetworkBooks({ from: 'coop:a', to: 'coop:b', amountMinor: 60, asset: 'labour-minutes' }, fundLoan)).toBe(false);
    expect(inNetworkBooks({ from: 'coop:a', to: 'deposit:x', amountMinor: 1, asset: 'USD' }, fundLoan)).toBe(false);
  });
});

describe('general ledger export', () => {
  it(`refuses a period of more than ${MAX_EXPORT_LINES} lines (EXPORT.TOO_LARGE) and one that ends before it starts`, async () => {
    const db = new Database(':memory:');
    generalLedgerProjection.setup(db);
    const insert = db.prepare(`INSERT INTO gl_lines VALUES (?, 0, 'e', 'MovementPosted', 'm', '2026-03-01', '1100-a', 'Assets:Funds:a', 1, 0, 'USD', '', '')`);
    db.transaction(() => {
      for (let i = 1; i <= MAX_EXPORT_LINES + 1; i++) insert.run(i);
    })();
    const handler = new ReadGeneralLedgerHandler({ db } as ReadModelDatabase);
    await expect(handler.execute({ from: '2026-03-01', to: '2026-03-31' })).rejects.toMatchObject({ code: 'EXPORT.TOO_LARGE', status: 422 });
    expect((await handler.execute({ from: '2026-04-01', to: '2026-04-30' })).lines).toEqual([]);
    await expect(handler.execute({ from: '2026-04-30', to: '2026-04-01' })).rejects.toMatchObject({ code: 'EXPORT.PERIOD_INVALID', status: 400 });
    db.close();
  });
});
