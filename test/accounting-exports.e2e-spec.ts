import { FixedClock } from '../src/shared/clock';
import { CHART_HEADERS, GL_HEADERS } from '../src/modules/accounting/accounting-csv';
import { ledgerCli } from './support/processes';
import { TestApp, startTestApp } from './support/test-app';

jest.setTimeout(60_000);

/** RFC 4180 as toCsv writes it (CRLF, double-quoted fields): enough to read the exports back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

/** Decimal text back to minor units, by string arithmetic. */
const minor = (text: string, digits = 2): number => {
  if (text === '') return 0;
  const [int, frac = ''] = text.split('.');
  expect(frac.length).toBe(digits);
  return Number(int) * 10 ** digits + Number(frac || 0);
};

describe('accountant exports: a general ledger that balances, on a fixed chart of accounts', () => {
  let t: TestApp;
  let steward: string;
  let steward2: string;
  let auditor: string;
  let funds: Record<string, string>;
  let jpyFund: string;

  const post = async (url: string, body: unknown, token = steward) => {
    const r = await t.request('POST', url, { token, body });
    if (r.status !== 201) throw new Error(`${url}: ${r.status} ${r.text}`);
    return r.body;
  };
  const get = (url: string, token = auditor, headers: Record<string, string> = {}) => t.request('GET', url, { token, headers });

  beforeAll(async () => {
    t = await startTestApp({ clock: new FixedClock(new Date('2026-10-01T10:00:00.000Z')), config: { seedFunds: 'default', webhookDelivery: false } });
    steward = (await t.token('steward')).secret;
    steward2 = (await t.token('steward')).secret;
    auditor = (await t.token('auditor')).secret;
    const list = await t.request('GET', `/v1/funds?minPosition=${await t.store.headPosition()}`, { token: steward });
    funds = Object.fromEntries((list.body.items as { fundId: string; code: string }[]).map((f) => [f.code, f.fundId]));
    const income = (fund: string, source: string, category: string, amountMinor: number, effectiveAt = '2026-03-05') =>
      post('/v1/income', { fundId: funds[fund], source, category, amountMinor, currency: 'USD', effectiveAt });
    await income('general', 'Opening', 'opening-balance', 500_000, '2026-01-01');
    await income('revolving-loan-fund', 'Solidarity Foundation', 'grant', 300_000, '2026-01-02');
    // Seventeen typed income sources: seventeen ledger accounts, one account in the books.
    for (let n = 1; n <= 17; n++) await income('general', `sale ${n}`, 'sales', 1_000 + n, '2026-03-10');
    await income('general', '=HYPERLINK("x")', 'other', 77, '2026-03-11');
    const spend = async (payee: string, category: string, amountMinor: number) => {
      const d = await post('/v1/disbursements', { fundId: funds.general, payee, category, invoiceReference: `INV-${payee}`, amountMinor, currency: 'USD', effectiveAt: '2026-03-15' });
      await post(`/v1/disbursements/${d.movementId}/approve`, {}, steward2);
      return d.movementId as string;
    };
    await spend('Acme Plumbing', 'repairs', 12_345);
    await spend('Safe Insurance', 'insurance', 4_000);
    await spend('Post Office', 'appeal mailing', 999);
    const odd = await spend('Mystery Ltd', 'misc', 1_001);
    await post(`/v1/movements/${odd}/reverse`, { reason: 'duplicate', effectiveAt: '2026-03-20' });
    const tr = await post('/v1/transfers', { fromFundId: funds.general, toFundId: funds['internal-capacity'], amountMinor: 50_000, currency: 'USD', effectiveAt: '2026-03-16' });
    await post(`/v1/transfers/${tr.movementId}/approve`, {}, steward2);
    const s = await post('/v1/sustainers', { displayName: 'Sam', anonymous: false });
    await post('/v1/donations', { sustainerId: s.sustainerId, fundId: funds.general, amountMinor: 2_500, currency: 'USD', method: 'card', effectiveAt: '2026-03-18' });
    const p = await post('/v1/properties', { address: '1 Elm Street', parcelId: 'APN-1', acquiredOn: '2024-05-01', status: 'held' });
    const i = await post('/v1/improvements', { propertyId: p.propertyId, description: 'Roof', phase: 'rehab', estimateMinor: 20_000, currency: 'USD', fundingLines: [{ fundId: funds.general, amountMinor: 20_000 }], effectiveAt: '2026-03-01' });
    await post(`/v1/improvements/${i.improvementId}/approve`, { effectiveAt: '2026-03-02' }, steward2);
    await post(`/v1/improvements/${i.improvementId}/expenses`, { vendor: 'Acme Roofing', amountMinor: 7_000, currency: 'USD', invoiceReference: 'R-1', effectiveAt: '2026-03-21' });
    const coop = async (name: string) => (await post('/v1/cooperatives', { name, sector: 'food', contact: `hi@${name}.coop` })).cooperativeId as string;
    const a = await coop('alpha');
    const b = await coop('bravo');
    const plan = { interval: 'monthly', instalments: 2, firstDueOn: '2026-04-01' };
    const loan = await post('/v1/money-loans', { fromFundId: funds['revolving-loan-fund'], borrowerId: a, amountMinor: 60_000, currency: 'USD', disbursedOn: '2026-03-22', repayment: plan });
    await t.request('POST', `/v1/money-loans/${loan.loanId}/approve`, { token: steward2, body: {} });
    await post(`/v1/money-loans/${loan.loanId}/repayments`, { amountMinor: 20_000, currency: 'USD', paidOn: '2026-03-25' });
    await post(`/v1/money-loans/${loan.loanId}/forgive`, { reason: 'hard year', forgivenOn: '2026-03-28' });
    // Between two cooperatives: not the network's money, not in its books.
    const tokenB = (await t.token('cooperative', b)).secret;
    await post('/v1/money-loans', { fromCooperativeId: b, borrowerId: a, amountMinor: 5_000, currency: 'USD', disbursedOn: '2026-03-22', repayment: plan }, tokenB);
    // A currency without minor units.
    jpyFund = (await post('/v1/funds', { code: 'tokyo', name: 'Tokyo partners', currency: 'JPY', restriction: { class: 'unrestricted' } })).fundId;
    await post('/v1/income', { fundId: jpyFund, source: 'Partner', category: 'grant', amountMinor: 1_500, currency: 'JPY', effectiveAt: '2026-03-30' });
    // Outside the period asked for below.
    await income('general', 'April donor', 'grant', 111, '2026-04-02');
    await t.request('GET', `/v1/funds?minPosition=${await t.store.headPosition()}`, { token: steward });
  });

  afterAll(() => t?.close());

  const march = '/v1/exports/general-ledger?from=2026-03-01&to=2026-03-31';

  it('balances: debits equal credits per currency, and within every journal entry', async () => {
    const r = await get(march);
    expect(r.status).toBe(200);
    const { lines, totals } = r.body;
    expect(totals.USD.debitMinor).toBe(totals.USD.creditMinor);
    expect(totals.JPY).toEqual({ debitMinor: 1_500, creditMinor: 1_500 });
    const byJournal = new Map<number, number>();
    for (const l of lines) {
      expect(l.debitMinor === 0) .not.toBe(l.creditMinor === 0);
      byJournal.set(l.journal, (byJournal.get(l.journal) ?? 0) + l.debitMinor - l.creditMinor);
      expect(l.date >= '2026-03-01' && l.date <= '2026-03-31').toBe(true);
    }
    expect([...byJournal.values()].every((v) => v === 0)).toBe(true);
    // Nothing of April, nothing between cooperatives.
    expect(lines.some((l: { counterparty: string }) => l.counterparty === 'April donor')).toBe(false);
    expect(lines.filter((l: { account: string }) => l.account === 'Assets:Loans receivable').map((l: { debitMinor: number; creditMinor: number }) => l.debitMinor - l.creditMinor)).toEqual([60_000, -20_000, -40_000]);
  });

  it('puts seventeen typed income sources on one account, each its counterparty, without changing the trial balance', async () => {
    const { lines } = (await get(march)).body;
    const sales = lines.filter((l: { account: string }) => l.account === 'Income:Sales');
    expect(sales).toHaveLength(17);
    expect(new Set(sales.map((l: { counterparty: string }) => l.counterparty))).toEqual(new Set(Array.from({ length: 17 }, (_, n) => `sale ${n + 1}`)));
    const accounts = new Set(lines.map((l: { account: string }) => l.account));
    const chart = (await get('/v1/exports/chart-of-accounts')).body.accounts as Array<{ name: string; placeholder: boolean }>;
    const names = new Set(chart.filter((a) => !a.placeholder).map((a) => a.name));
    expect([...accounts].filter((a) => !names.has(a as string))).toEqual([]);
    expect(accounts).toEqual(
      new Set([
        'Assets:Funds:general', 'Assets:Funds:internal-capacity', 'Assets:Funds:revolving-loan-fund', 'Assets:Funds:tokyo', 'Assets:Loans receivable',
        'Income:Sales', 'Income:Other income', 'Income:Contributions', 'Income:Grants',
        'Expenses:Program services', 'Expenses:Management and general', 'Expenses:Fundraising', 'Expenses:Unclassified',
        'Expenses:Property improvements', 'Expenses:Loan forgiveness',
      ]),
    );
    const unclassified = lines.filter((l: { account: string }) => l.account === 'Expenses:Unclassified');
    expect(unclassified.map((l: { debitMinor: number; creditMinor: number; memo: string }) => [l.debitMinor, l.creditMinor, l.memo.split(' · ')[0]])).toEqual([
      [1_001, 0, 'disbursement'],
      [0, 1_001, 'reversal'],
    ]);
    // The ledger's own accounts are as they were: every typed source still its own account there.
    const trial = (await get('/v1/ledger/trial-balance')).body.accounts.map((a: { account: string }) => a.account);
    for (let n = 1; n <= 17; n++) expect(trial).toContain(`income:sale ${n}`);
  });

  it('agrees with the trial balance for every fund from the first day', async () => {
    const all = (await get('/v1/exports/general-ledger?from=1970-01-01&to=2299-12-31')).body.lines as Array<{ account: string; debitMinor: number; creditMinor: number; currency: string }>;
    const trial = (await get('/v1/ledger/trial-balance')).body.accounts as Array<{ account: string; asset: string; balanceMinor: number }>;
    for (const a of trial.filter((x) => x.account.startsWith('fund:'))) {
      const gl = all.filter((l) => l.account === `Assets:Funds:${a.account.slice(5)}` && l.currency === a.asset).reduce((s, l) => s + l.debitMinor - l.creditMinor, 0);
      expect([a.account, gl]).toEqual([a.account, a.balanceMinor]);
    }
  });

  it.each(['generic', 'gnucash', 'quickbooks'] as const)('serves the %s layout: its columns, decimal amounts, a balanced file', async (layout) => {
    const r = await get(`${march}&layout=${layout}`, auditor, { accept: 'text/csv' });
    expect(r.status).toBe(200);
    expect(String(r.headers['content-type'])).toMatch(/^text\/csv/);
    expect(String(r.headers['content-disposition'])).toContain(`general-ledger-2026-03-01-2026-03-31-${layout}.csv`);
    const [header, ...rows] = parseCsv(r.text);
    expect(header).toEqual(GL_HEADERS[layout]);
    const col = (name: string) => header.indexOf(name);
    const [debit, credit] = layout === 'gnucash' ? [col('Deposit'), col('Withdrawal')] : layout === 'quickbooks' ? [col('Debits'), col('Credits')] : [col('Debit'), col('Credit')];
    const currency = layout === 'quickbooks' ? col('Currency Code') : col('Currency');
    const group = layout === 'gnucash' ? col('Transaction ID') : layout === 'quickbooks' ? col('Journal No.') : col('Journal');
    const sums = new Map<string, number>();
    const perCurrency = new Map<string, [number, number]>();
    for (const row of rows) {
      expect(row).toHaveLength(header.length);
      const digits = row[currency] === 'JPY' ? 0 : 2;
      const amountPattern = digits === 0 ? /^(\d+)?$/ : /^(\d+\.\d{2})?$/;
      expect(row[debit]).toMatch(amountPattern);
      expect(row[credit]).toMatch(amountPattern);
      expect((row[debit] === '') !== (row[credit] === '')).toBe(true);
      const d = minor(row[debit], digits);
      const c = minor(row[credit], digits);
      sums.set(row[group], (sums.get(row[group]) ?? 0) + d - c);
      const p = perCurrency.get(row[currency]) ?? [0, 0];
      perCurrency.set(row[currency], [p[0] + d, p[1] + c]);
    }
    expect([...sums.values()].every((v) => v === 0)).toBe(true);
    for (const [, [d, c]] of perCurrency) expect(d).toBe(c);
    expect(perCurrency.get('JPY')).toEqual([1_500, 1_500]);
    if (layout === 'quickbooks') {
      expect(rows.every((row) => /^\d{2}\/\d{2}\/\d{4}$/.test(row[col('Journal Date')]))).toBe(true);
      expect(rows.every((row) => !row[col('Account Name')].includes(':'))).toBe(true);
      expect(rows.map((row) => row[col('Account Name')])).toContain('Income - Sales');
    } else {
      expect(rows.every((row) => /^2026-03-\d{2}$/.test(row[0]))).toBe(true);
    }
    // A formula typed as an income source is defused, as everywhere the ledger writes CSV: no cell starts a formula.
    expect(rows.flat().filter((cell) => /^[=+@\t\r-]/.test(cell))).toEqual([]);
    expect(r.text).toContain(layout === 'quickbooks' ? 'other · =HYPERLINK' : `'=HYPERLINK`);
  });

  it.each(['generic', 'gnucash', 'quickbooks'] as const)('serves the chart of accounts in the %s layout', async (layout) => {
    const r = await get(`/v1/exports/chart-of-accounts?layout=${layout}`, steward, { accept: 'text/csv' });
    expect(r.status).toBe(200);
    const [header, ...rows] = parseCsv(r.text);
    expect(header).toEqual(CHART_HEADERS[layout]);
    for (const row of rows) expect(row).toHaveLength(header.length);
    const names = rows.map((row) => row[layout === 'quickbooks' ? 0 : 1]);
    expect(names).toContain(layout === 'quickbooks' ? 'Assets - Funds - tokyo' : 'Assets:Funds:tokyo');
    if (layout === 'gnucash') {
      expect(new Set(rows.map((row) => row[0]))).toEqual(new Set(['ASSET', 'EQUITY', 'INCOME', 'EXPENSE']));
      expect(rows.find((row) => row[1] === 'Assets:Funds:tokyo')![7]).toBe('JPY');
      // Parents come before their children, as GnuCash's account import needs.
      const seen = new Set<string>();
      for (const row of rows) {
        const parent = row[1].split(':').slice(0, -1).join(':');
        if (parent) expect(seen.has(parent)).toBe(true);
        seen.add(row[1]);
      }
    }
  });

  it('refuses bad periods and layouts, and the roles it is not open to', async () => {
    const cases: Array<[string, number, string]> = [
      ['/v1/exports/general-ledger?from=2026-03-31&to=2026-03-01', 400, 'EXPORT.PERIOD_INVALID'],
      ['/v1/exports/general-ledger?from=2026-03-01', 400, 'REQUEST.INVALID'],
      ['/v1/exports/general-ledger?from=2026-02-30&to=2026-03-31', 400, 'REQUEST.INVALID'],
      [`${march}&layout=xero`, 400, 'REQUEST.INVALID'],
      [`${march}&currency=USD`, 400, 'REQUEST.INVALID'],
      ['/v1/exports/chart-of-accounts?layout=sage', 400, 'REQUEST.INVALID'],
    ];
    for (const [url, status, code] of cases) {
      const r = await get(url);
      expect([url, r.status, r.body.code]).toEqual([url, status, code]);
    }
    expect((await get(march, steward)).status).toBe(200);
    const s = await post('/v1/sustainers', { displayName: 'Ana', anonymous: true });
    const sustainer = (await t.token('sustainer', s.sustainerId)).secret;
    expect((await get(march, sustainer)).body.code).toBe('AUTH.FORBIDDEN');
    expect((await get('/v1/exports/chart-of-accounts', sustainer)).body.code).toBe('AUTH.FORBIDDEN');
  });

  it('answers the same files from the command line, and refuses there what the route refuses', async () => {
    for (const layout of ['generic', 'gnucash', 'quickbooks']) {
      const cli = ledgerCli(t.dataDir, ['books', 'general-ledger', '--from', '2026-03-01', '--to', '2026-03-31', '--layout', layout]);
      expect([cli.status, cli.stderr]).toEqual([0, '']);
      expect(cli.stdout).toBe((await get(`${march}&layout=${layout}`, auditor, { accept: 'text/csv' })).text);
      const chart = ledgerCli(t.dataDir, ['books', 'chart-of-accounts', '--layout', layout]);
      expect(chart.stdout).toBe((await get(`/v1/exports/chart-of-accounts?layout=${layout}`, auditor, { accept: 'text/csv' })).text);
    }
    const backwards = ledgerCli(t.dataDir, ['books', 'general-ledger', '--from', '2026-03-31', '--to', '2026-03-01']);
    expect([backwards.status, backwards.stdout]).toEqual([1, '']);
    expect(backwards.stderr).toContain('EXPORT.PERIOD_INVALID');
    const bad = ledgerCli(t.dataDir, ['books', 'general-ledger', '--from', '2026-02-30', '--to', '2026-03-01']);
    expect([bad.status, bad.stderr]).toEqual([1, expect.stringContaining('REQUEST.INVALID')]);
    expect(ledgerCli(t.dataDir, ['books', 'general-ledger', '--from', '2026-03-01', '--to', '2026-03-31', '--layout', 'xero']).status).not.toBe(0);
  });
});
