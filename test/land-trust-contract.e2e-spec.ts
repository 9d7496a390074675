import { EventCatalogue } from '../src/event-store/event-catalogue';
import { LAND_TRUST_EVENTS } from '../src/modules/land-trust/land-trust.events';
import { FixedClock } from '../src/shared/clock';
import { useLedger } from './support/api';
import type { TestResponse } from './support/test-app';

/**
 * The land trust's contract as a hostile client meets it: every bad field refused at the edge
 * with `REQUEST.INVALID` naming it (and nothing written), query parameters held to the shared
 * conventions, every dated fact kept out of closed periods, approvals recorded after the fact
 * (with the funds' balances agreeing as of their dates), and the CSV defused.
 */
describe('land trust contract', () => {
  const clock = new FixedClock(new Date('2026-09-01T10:00:00.000Z'));
  const ledger = useLedger({ clock, config: { seedFunds: 'default' } });
  const { funds, post } = ledger;
  let propertyId: string;
  let planned: string;
  let approved: string;
  const unknown = '00000000-0000-4000-8000-000000000000';

  const get = (url: string, token = ledger.auditor, headers: Record<string, string> = {}) => ledger.get(url, token, headers);
  const balance = async (code: string, asOf: string) => (await get(`/v1/funds/${funds[code]}/balance?asOf=${asOf}`)).body;
  const line = (code: string, amountMinor: number) => ({ fundId: funds[code], amountMinor });
  const plan = (body: Record<string, unknown> = {}) =>
    post('/v1/improvements', { propertyId, description: 'Porch', phase: 'repair', estimateMinor: 10_000, currency: 'USD', fundingLines: [line('general', 10_000)], ...body });
  const expense = (id: string, body: Record<string, unknown> = {}) =>
    post(`/v1/improvements/${id}/expenses`, { vendor: 'Acme', amountMinor: 1_000, currency: 'USD', invoiceReference: `INV-${Math.random()}`, effectiveAt: '2026-08-20', ...body });
  const refused = ledger.refused;
  /** A 400 `REQUEST.INVALID` naming `field` in `errors`, nothing written. */
  const invalid = (request: () => Promise<TestResponse>, field: string) => refused(request, 400, 'REQUEST.INVALID', { fields: [field] });

  beforeAll(async () => {
    // The network loads its past: money that arrived early in 2025.
    const income = await post('/v1/income', { fundId: funds.general, source: 'Community Foundation', category: 'grant', amountMinor: 1_000_000, currency: 'USD', effectiveAt: '2025-01-15T12:00:00.000Z' });
    expect(income.status).toBe(201);
    const property = await post('/v1/properties', { address: '7 Birch Road', parcelId: 'APN-100-001', acquiredOn: '2020-06-01', status: 'in-rehab' });
    expect(property.status).toBe(201);
    propertyId = property.body.propertyId;
    expect((await post('/v1/periods/close', { period: '2025-02' })).status).toBe(201);
    planned = (await plan()).body.improvementId;
    approved = (await plan()).body.improvementId;
    expect((await post(`/v1/improvements/${approved}/approve`, undefined, ledger.steward2)).status).toBe(201);
  });

  it('refuses text that would be stored other than it reads: surrounding spaces, control characters, lone surrogates', async () => {
    const property = { address: '9 Ash Way', parcelId: 'APN-100-009', acquiredOn: '2021-01-01', status: 'held' };
    await invalid(() => post('/v1/properties', { ...property, address: ' 9 Ash Way' }), 'address');
    await invalid(() => post('/v1/properties', { ...property, address: '9 Ash\u0000Way' }), 'address');
    await invalid(() => post('/v1/properties', { ...property, address: '9 Ash \uD800Way' }), 'address');
    await invalid(() => post(`/v1/properties/${propertyId}/status`, { status: 'vacant', reason: 'moved out ' }), 'reason');
    await invalid(() => post(`/v1/properties/${propertyId}/ground-lease`, { householdId: ' hh-1234', startsOn: '2026-01-01', termYears: 99 }), 'householdId');
    // A vendor becomes the account `vendor:<name>`: a bad one would fail `ledger verify` for good.
    await invalid(() => expense(approved, { vendor: ' Acme' }), 'vendor');
    await invalid(() => expense(approved, { vendor: 'Acme ' }), 'vendor');
    await invalid(() => expense(approved, { vendor: 'Ac\u0007me' }), 'vendor');
    await invalid(() => expense(approved, { invoiceReference: 'INV\n7' }), 'invoiceReference');
    await invalid(() => plan({ description: 'Roof \uDC00' }), 'description');
    await invalid(() => post(`/v1/improvements/${approved}/cancel`, { reason: ' ' }), 'reason');
    await invalid(() => post(`/v1/improvements/${approved}/expenses/${unknown}/reverse`, { reason: 'x\u001b' }), 'reason');
    await invalid(() => post(`/v1/improvements/${approved}/complete`, { completedOn: '2026-08-30', inspection: 'passed', inspectionNotes: 'ok\u0000' }), 'inspectionNotes');
    // Descriptions and notes may span lines.
    const multiline = await plan({ description: 'Porch\nand steps' });
    expect(multiline.status).toBe(201);
  });

  it('refuses business dates outside the supported range or not on the calendar, in every dated field', async () => {
    const property = { address: '9 Ash Way', parcelId: 'APN-100-009', status: 'held' };
    await invalid(() => post('/v1/properties', { ...property, acquiredOn: '1900-01-01' }), 'acquiredOn');
    await invalid(() => post('/v1/properties', { ...property, acquiredOn: '2025-02-30' }), 'acquiredOn');
    await invalid(() => post(`/v1/properties/${propertyId}/ground-lease`, { householdId: 'hh-1234', startsOn: '9999-12-31', termYears: 99 }), 'startsOn');
    await invalid(() => expense(approved, { effectiveAt: '9999-12-31' }), 'effectiveAt');
    await invalid(() => expense(approved, { effectiveAt: '2026-08-20T25:00:00Z' }), 'effectiveAt');
    await invalid(() => post(`/v1/improvements/${approved}/complete`, { completedOn: '2400-01-01', inspection: 'passed' }), 'completedOn');
    await invalid(() => post(`/v1/improvements/${approved}/expenses/${unknown}/reverse`, { reason: 'x', effectiveAt: '1969-12-31' }), 'effectiveAt');
    await invalid(() => post(`/v1/improvements/${planned}/approve`, { effectiveAt: '1900-01-01' }, ledger.steward2), 'effectiveAt');
    await invalid(() => plan({ effectiveAt: '2026-13-01' }), 'effectiveAt');
  });

  it('refuses amounts beyond the safe range and nested objects that are not what they claim', async () => {
    await invalid(() => plan({ estimateMinor: 2 ** 53 }), 'estimateMinor');
    await invalid(() => plan({ fundingLines: [line('general', 2 ** 53)] }), 'fundingLines.0.amountMinor');
    await invalid(() => plan({ fundingLines: [1] }), 'fundingLines');
    await invalid(() => plan({ fundingLines: 'general' }), 'fundingLines');
    await invalid(() => plan({ fundingLines: Array.from({ length: 21 }, () => line('general', 1)) }), 'fundingLines');
    await invalid(() => plan({ fundingLines: [{ ...line('general', 10_000), note: 'x' }] }), 'fundingLines.0.note');
    await invalid(() => expense(approved, { amountMinor: 1.5 }), 'amountMinor');
    await invalid(() => post(`/v1/improvements/${approved}/resale-credit`, { amountMinor: 2 ** 53, description: 'x' }), 'amountMinor');
    await invalid(() => post(`/v1/properties/${propertyId}/ground-lease`, { householdId: 'hh-1234', startsOn: '2026-01-01', termYears: 200 }), 'termYears');
  });

  it('refuses unknown fields on every body, the approvals\' optional one included, and cancellation without a reason', async () => {
    await invalid(() => post(`/v1/improvements/${planned}/approve`, { approved: true }, ledger.steward2), 'approved');
    await invalid(() => post(`/v1/improvements/${approved}/cancel`, {}), 'reason');
    await invalid(() => post(`/v1/improvements/${approved}/cancel`, { reason: 'no longer needed', force: true }), 'force');
    await invalid(() => post('/v1/properties', { address: '9 Ash Way', parcelId: 'APN-100-009', acquiredOn: '2021-01-01', status: 'held', owner: 'x' }), 'owner');
  });

  it('holds every query route to the shared conventions: minPosition, limit up to 500, cursors, asOf in range, period, no unknown parameters', async () => {
    const head = await ledger.t.store.headPosition();
    for (const url of [
      '/v1/properties',
      `/v1/properties/${propertyId}`,
      '/v1/improvements',
      `/v1/improvements/${approved}`,
      `/v1/properties/${propertyId}/report`,
      '/v1/land-trust/report',
    ]) {
      const sep = url.includes('?') ? '&' : '?';
      expect({ url, status: (await get(`${url}${sep}minPosition=${head}`)).status }).toEqual({ url, status: 200 });
      await invalid(() => get(`${url}${sep}minPosition=-1`), 'minPosition');
      await invalid(() => get(`${url}${sep}colour=blue`), 'colour');
    }
    expect((await get('/v1/properties?limit=500')).status).toBe(200);
    await invalid(() => get('/v1/properties?limit=501'), 'limit');
    await invalid(() => get('/v1/improvements?limit=0'), 'limit');
    await invalid(() => get('/v1/improvements?after=not-an-id'), 'after');
    await invalid(() => get('/v1/properties?status=haunted'), 'status');
    await invalid(() => get(`/v1/properties/${propertyId}/report?asOf=9999-12-31`), 'asOf');
    await invalid(() => get('/v1/land-trust/report?asOf=1900-01-01'), 'asOf');
    await invalid(() => get('/v1/land-trust/report?period=FY1900'), 'period');
    await invalid(() => get('/v1/land-trust/report?period=2026-13'), 'period');
    // A full page says where the next one starts; the last page does not.
    const first = (await get('/v1/improvements?limit=2')).body;
    expect(first.items).toHaveLength(2);
    const rest = (await get(`/v1/improvements?limit=2&after=${first.next}`)).body;
    expect(rest.next).toBeUndefined();
  });

  it('refuses every dated fact inside a closed period', async () => {
    await refused(() => plan({ effectiveAt: '2025-02-10' }), 422, 'PERIOD.CLOSED');
    await refused(() => post(`/v1/improvements/${planned}/approve`, { effectiveAt: '2025-02-20' }, ledger.steward2), 422, 'PERIOD.CLOSED');
    await refused(() => expense(approved, { effectiveAt: '2025-02-20T12:00:00Z' }), 422, 'PERIOD.CLOSED');
    await refused(() => post(`/v1/improvements/${approved}/budget-increases`, { fundingLines: [line('general', 1_000)], reason: 'more', effectiveAt: '2025-02-01' }), 422, 'PERIOD.CLOSED');
    await refused(() => post(`/v1/improvements/${approved}/complete`, { completedOn: '2025-02-15', inspection: 'passed' }), 422, 'PERIOD.CLOSED');
    await refused(() => post(`/v1/improvements/${approved}/expenses/${unknown}/reverse`, { reason: 'x', effectiveAt: '2025-02-10' }), 422, 'PERIOD.CLOSED');
    // A fact dated when it is recorded meets the same rule: a clock behind the close cannot write into it.
    clock.set('2025-02-25T10:00:00.000Z');
    try {
      await refused(() => post(`/v1/properties/${propertyId}/status`, { status: 'vacant' }), 422, 'PERIOD.CLOSED');
      await refused(() => post(`/v1/properties/${propertyId}/ground-lease`, { householdId: 'hh-1234', startsOn: '2025-03-01', termYears: 99 }), 422, 'PERIOD.CLOSED');
      await refused(() => post(`/v1/improvements/${planned}/cancel`, { reason: 'no longer needed' }), 422, 'PERIOD.CLOSED');
      await refused(() => post(`/v1/improvements/${approved}/resale-credit`, { amountMinor: 1, description: 'x' }), 422, 'PERIOD.CLOSED');
    } finally {
      clock.set('2026-09-01T10:00:00.000Z');
    }
  });

  describe('recorded after the fact', () => {
    let x: string;

    it('takes a plan and its approval dated in the past; the holds count from the approval date, for the report and the fund alike', async () => {
      const created = await plan({ description: 'Boiler', phase: 'energy', estimateMinor: 100_000, fundingLines: [line('general', 100_000)], effectiveAt: '2025-03-05' });
      expect(created.status).toBe(201);
      x = created.body.improvementId;
      const url = `/v1/improvements/${x}/approve`;
      await refused(() => post(url, { effectiveAt: '2025-03-03' }, ledger.steward2), 422, 'IMPROVEMENT.APPROVAL_BEFORE_PLAN');
      await refused(() => post(url, { effectiveAt: '2026-09-02' }, ledger.steward2), 422, 'IMPROVEMENT.DATE_IN_FUTURE');
      await refused(() => post(url, { effectiveAt: '2026-09-01T10:00:01Z' }, ledger.steward2), 422, 'IMPROVEMENT.DATE_IN_FUTURE');
      const ok = await post(url, { effectiveAt: '2025-03-10' }, ledger.steward2);
      expect(ok.status).toBe(201);

      const view = (await get(`/v1/improvements/${x}`)).body;
      // Recorded now, by the server's clock; effective on the date given.
      expect(view).toMatchObject({
        status: 'approved',
        plannedAt: '2026-09-01T10:00:00.000Z',
        plannedOn: '2025-03-05',
        approvedAt: '2026-09-01T10:00:00.000Z',
        approvedOn: '2025-03-10',
        allocation: [{ amountMinor: 100_000, approvedOn: '2025-03-10' }],
      });
      const project = async (asOf: string) =>
        ((await get(`/v1/properties/${propertyId}/report?asOf=${asOf}`)).body.projects as { improvementId: string }[]).find((p) => p.improvementId === x);
      expect(await project('2025-03-04')).toBeUndefined();
      expect(await project('2025-03-09')).toMatchObject({ status: 'planned', allocatedMinor: 0 });
      expect(await project('2025-03-10')).toMatchObject({ status: 'approved', allocatedMinor: 100_000, remainingMinor: 100_000 });
      expect(await balance('general', '2025-03-09')).toMatchObject({ postedMinor: 1_000_000, pendingMinor: 0 });
      expect(await balance('general', '2025-03-10')).toMatchObject({ postedMinor: 1_000_000, pendingMinor: 100_000 });
    });

    it('takes expenses dated on or after that approval, not before, and answers instants in UTC', async () => {
      await refused(() => expense(x, { effectiveAt: '2025-03-09T23:00:00Z' }), 422, 'IMPROVEMENT.EXPENSE_BEFORE_APPROVAL');
      const paid = await expense(x, { vendor: 'Heat Co', amountMinor: 40_000, invoiceReference: 'H-1', effectiveAt: '2025-03-12T10:00:00+02:00' });
      expect(paid.status).toBe(201);
      const view = (await get(`/v1/improvements/${x}`)).body;
      expect(view.expenses).toEqual([expect.objectContaining({ invoiceReference: 'H-1', effectiveAt: '2025-03-12T08:00:00.000Z', recordedAt: '2026-09-01T10:00:00.000Z' })]);
      expect(await balance('general', '2025-03-12')).toMatchObject({ postedMinor: 960_000, pendingMinor: 60_000 });
    });

    it('takes a budget increase and its approval dated in the past, each not before what it depends on', async () => {
      const increases = `/v1/improvements/${x}/budget-increases`;
      await refused(() => post(increases, { fundingLines: [line('general', 20_000)], reason: 'bigger unit', effectiveAt: '2025-03-08' }), 422, 'IMPROVEMENT.INCREASE_BEFORE_APPROVAL');
      await refused(() => post(increases, { fundingLines: [line('general', 20_000)], reason: 'bigger unit', effectiveAt: '2027-01-01' }), 422, 'IMPROVEMENT.DATE_IN_FUTURE');
      const requested = await post(increases, { fundingLines: [line('general', 20_000)], reason: 'bigger unit', effectiveAt: '2025-03-20' });
      expect(requested.status).toBe(201);
      const url = `${increases}/${requested.body.increaseId}/approve`;
      await refused(() => post(url, { effectiveAt: '2025-03-19' }, ledger.steward2), 422, 'IMPROVEMENT.APPROVAL_BEFORE_REQUEST');
      await refused(() => post(url, { effectiveAt: '2026-12-01' }, ledger.steward2), 422, 'IMPROVEMENT.DATE_IN_FUTURE');
      await invalid(() => post(url, { effectiveAt: '2025-03-25', note: 'x' }, ledger.steward2), 'note');
      expect((await post(url, { effectiveAt: '2025-03-25' }, ledger.steward2)).status).toBe(201);
      expect(await balance('general', '2025-03-24')).toMatchObject({ pendingMinor: 60_000 });
      expect(await balance('general', '2025-03-25')).toMatchObject({ pendingMinor: 80_000 });
      // The increase pays from its approval date on.
      await refused(() => expense(x, { amountMinor: 70_000, effectiveAt: '2025-03-24' }), 409, 'IMPROVEMENT.OVER_ALLOCATION');
      expect((await expense(x, { amountMinor: 70_000, effectiveAt: '2025-03-25' })).status).toBe(201);
    });
  });

  it('defuses spreadsheet formulas in every CSV cell', async () => {
    const trap = await plan({ description: '@SUM(1+1)*cmd|calc', estimateMinor: 5_000, fundingLines: [line('general', 5_000)] });
    expect((await post(`/v1/improvements/${trap.body.improvementId}/approve`, {}, ledger.steward2)).status).toBe(201);
    expect((await expense(trap.body.improvementId, { vendor: '=HYPERLINK("http://evil.example","pay")', amountMinor: 500, effectiveAt: '2026-09-01' })).status).toBe(201);
    for (const url of [`/v1/properties/${propertyId}/report`, '/v1/land-trust/report']) {
      const csv = await get(url, ledger.auditor, { accept: 'text/csv' });
      expect(csv.status).toBe(200);
      const cells = csv.text.split(/,|\r\n/);
      expect(cells.filter((c) => /^"?[=@+-][A-Za-z]/.test(c))).toEqual([]);
      expect(csv.text).toContain('"\'=HYPERLINK(""http://evil.example"",""pay"")"');
    }
    const property = await get(`/v1/properties/${propertyId}/report`, ledger.auditor, { accept: 'text/csv' });
    expect(property.text).toContain("'@SUM(1+1)*cmd|calc");
  });

  it('documents every land-trust route: summary, path and query parameters, a typed 2xx, problems, and CSV', async () => {
    const doc = (await ledger.t.request('GET', '/docs-json')).body as {
      paths: Record<string, Record<string, { summary?: string; parameters?: { name: string; in: string }[]; responses: Record<string, { content?: Record<string, { schema?: unknown }> }> }>>;
    };
    const routes = Object.entries(doc.paths).filter(([path]) => /^\/v1\/(properties|improvements|land-trust)/.test(path));
    expect(routes.length).toBe(16);
    for (const [path, operations] of routes) {
      for (const [method, op] of Object.entries(operations)) {
        const where = `${method.toUpperCase()} ${path}`;
        expect({ where, summary: Boolean(op.summary) }).toEqual({ where, summary: true });
        const params = (op.parameters ?? []).map((p) => `${p.in}:${p.name}`);
        for (const name of path.match(/\{(\w+)\}/g) ?? []) expect({ where, params }).toEqual({ where, params: expect.arrayContaining([`path:${name.slice(1, -1)}`]) });
        if (method === 'get') expect({ where, params }).toEqual({ where, params: expect.arrayContaining(['query:minPosition']) });
        const ok = op.responses[method === 'get' ? '200' : '201'];
        expect({ where, schema: Boolean(ok?.content?.['application/json']?.schema) }).toEqual({ where, schema: true });
        for (const status of ['400', '401', '403']) expect({ where, status, problem: Boolean(op.responses[status]?.content?.['application/problem+json']) }).toEqual({ where, status, problem: true });
      }
    }
    expect(doc.paths['/v1/properties/{propertyId}/report'].get.responses['200'].content).toHaveProperty('text/csv');
    const approve = doc.paths['/v1/improvements/{improvementId}/approve'].post as unknown as { requestBody?: { required?: boolean; content: Record<string, unknown> } };
    expect(approve.requestBody).toMatchObject({ required: false, content: { 'application/json': expect.anything() } });
    expect(doc.paths['/v1/land-trust/report'].get.parameters?.map((p) => p.name)).toEqual(expect.arrayContaining(['asOf', 'period', 'minPosition']));
    expect(doc.paths['/v1/improvements'].get.parameters?.map((p) => p.name)).toEqual(expect.arrayContaining(['propertyId', 'status', 'limit', 'after', 'minPosition']));
  });

  it('wrote only events its catalogue defines, each valid against its schema', async () => {
    const catalogue = new EventCatalogue(LAND_TRUST_EVENTS);
    const seen = new Set<string>();
    for await (const event of ledger.t.store.readAll()) {
      if (!/^(property|improvement)-/.test(event.streamId)) continue;
      seen.add(event.type);
      expect({ type: event.type, problems: catalogue.problems(event) }).toEqual({ type: event.type, problems: [] });
    }
    expect([...seen].sort()).toEqual(
      ['ImprovementApproved', 'ImprovementBudgetIncreaseApproved', 'ImprovementBudgetIncreaseRequested', 'ImprovementExpensePaid', 'ImprovementPlanned', 'ParcelReserved', 'PropertyRegistered'].sort(),
    );
    expect((await get('/v1/audit/verify')).body).toMatchObject({ ok: true, problems: [] });
  });
});
