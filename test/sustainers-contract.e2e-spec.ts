import { FixedClock } from '../src/shared/clock';
import { seeded, useLedger } from './support/api';

/**
 * The sustainers routes held to their contract: every bad input refused with `REQUEST.INVALID`
 * naming the field and nothing appended; every query taking `minPosition` and refusing unknown
 * parameters; the list conventions; dated facts refused in a closed period; a one-off gift in
 * the wrong currency; the sustainer's own pledge list; and one rule for anonymous sustainers on
 * every route where a sustainer appears.
 */
describe('sustainers routes against their contract', () => {
  const clock = new FixedClock(new Date('2029-01-10T10:00:00.000Z'));
  const ledger = useLedger({ clock, config: { seedFunds: 'default' } });
  const { funds, post, get } = ledger;
  const ids: Record<string, string> = {};
  const tokens: Record<string, string> = {};
  const pledges: Record<string, string> = {};
  const gifts: string[] = [];
  let januaryGift: string;
  const unknown = '0190aaaa-0000-7000-8000-000000000000';

  const created = (url: string, body: unknown) => seeded(url, post(url, body));

  /** A refusal: the status and code asserted (with the url), a problem document, the field named, and the log head unchanged. */
  const refused = (url: string, body: unknown, status: number, code: string, field?: string) =>
    ledger.refused(() => post(url, body), status, code, { label: url, fields: field ? [field] : undefined });

  async function badQuery(url: string, field: string, token = ledger.steward) {
    const response = await get(url, token);
    expect({ url, status: response.status, code: response.body?.code }).toEqual({ url, status: 400, code: 'REQUEST.INVALID' });
    expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  }

  beforeAll(async () => {
    ids.ada = (await created('/v1/sustainers', { displayName: 'Ada Open', email: 'ada@example.org', anonymous: false })).sustainerId;
    ids.bea = (await created('/v1/sustainers', { displayName: 'Bea Hidden', email: 'bea@example.org', anonymous: true })).sustainerId;
    for (const name of ['ada', 'bea']) tokens[name] = (await ledger.t.token('sustainer', ids[name])).secret;

    pledges.ada = (await created('/v1/pledges', { sustainerId: ids.ada, fundId: funds.general, amountMinor: 1_000, currency: 'USD', interval: 'monthly', startDate: '2027-12-31' })).pledgeId;
    pledges.bea = (await created('/v1/pledges', { sustainerId: ids.bea, fundId: funds.general, amountMinor: 2_000, currency: 'USD', interval: 'monthly', startDate: '2027-12-31' })).pledgeId;
    // Paused before the period that will be closed, so that resuming inside it can be tried.
    pledges.paused = (await created('/v1/pledges', { sustainerId: ids.ada, fundId: funds.general, amountMinor: 500, currency: 'USD', interval: 'monthly', startDate: '2027-11-30' })).pledgeId;
    await created(`/v1/pledges/${pledges.paused}/pause`, { from: '2027-12-01' });
    for (const day of ['2028-02-10', '2028-03-10', '2028-04-10']) {
      gifts.push((await created('/v1/donations', { sustainerId: ids.ada, pledgeId: pledges.ada, amountMinor: 1_000, currency: 'USD', method: 'card', effectiveAt: day })).donationId);
    }
    gifts.push((await created('/v1/donations', { sustainerId: ids.bea, fundId: funds.general, amountMinor: 4_000, currency: 'USD', method: 'cash', effectiveAt: '2028-02-20' })).donationId);
    // Received in the month that will be closed, so that refunding it there can be tried.
    januaryGift = (await created('/v1/donations', { sustainerId: ids.bea, fundId: funds.general, amountMinor: 1_000, currency: 'USD', method: 'cash', effectiveAt: '2028-01-15' })).donationId;
  });

  it('refuses malformed text, out-of-range dates and unsafe amounts at the edge, naming the field', async () => {
    const person = { displayName: 'Cy', anonymous: false };
    await refused('/v1/sustainers', { ...person, email: 'cy\ud800@example.org' }, 400, 'REQUEST.INVALID', 'email');
    await refused('/v1/sustainers', { ...person, displayName: ' Cy' }, 400, 'REQUEST.INVALID', 'displayName');
    await refused('/v1/sustainers', { ...person, displayName: 'C\ud83dy' }, 400, 'REQUEST.INVALID', 'displayName');
    await refused('/v1/sustainers', { ...person, postalAddress: 'a\u0000b' }, 400, 'REQUEST.INVALID', 'postalAddress');
    await refused('/v1/sustainers', { ...person, extra: 1 }, 400, 'REQUEST.INVALID');

    const pledge = { sustainerId: ids.ada, fundId: funds.general, amountMinor: 1_000, currency: 'USD', interval: 'monthly', startDate: '2029-01-31' };
    await refused('/v1/pledges', { ...pledge, startDate: '1900-01-01' }, 400, 'REQUEST.INVALID', 'startDate');
    await refused('/v1/pledges', { ...pledge, endDate: '9999-12-31' }, 400, 'REQUEST.INVALID', 'endDate');
    await refused('/v1/pledges', { ...pledge, amountMinor: 2 ** 53 }, 400, 'REQUEST.INVALID', 'amountMinor');
    await refused('/v1/pledges', { ...pledge, interval: 'weekly' }, 400, 'REQUEST.INVALID', 'interval');
    await refused('/v1/pledges', { ...pledge, endDate: '2029-12-31', instalments: 3 }, 400, 'REQUEST.INVALID', 'instalments');

    const gift = { sustainerId: ids.ada, fundId: funds.general, amountMinor: 1_000, currency: 'USD', method: 'cash', effectiveAt: '2029-01-05' };
    await refused('/v1/donations', { ...gift, effectiveAt: '9999-12-31' }, 400, 'REQUEST.INVALID', 'effectiveAt');
    await refused('/v1/donations', { ...gift, effectiveAt: '2029-01-05T10:00' }, 400, 'REQUEST.INVALID', 'effectiveAt');
    await refused('/v1/donations', { ...gift, amountMinor: 1e300 }, 400, 'REQUEST.INVALID', 'amountMinor');
    await refused('/v1/donations', { ...gift, goodsServicesMinor: -1 }, 400, 'REQUEST.INVALID', 'goodsServicesMinor');
    await refused('/v1/donations', { ...gift, fundId: undefined }, 400, 'REQUEST.INVALID', 'fundId');
    await refused(`/v1/donations/${gifts[0]}/refund`, { reason: 'x', effectiveAt: '2029-02-30' }, 400, 'REQUEST.INVALID', 'effectiveAt');
    await refused(`/v1/donations/${gifts[0]}/refund`, { reason: ' x' }, 400, 'REQUEST.INVALID', 'reason');
    await refused(`/v1/donations/${gifts[0]}/refund`, { reason: 'too early', effectiveAt: '2028-02-09' }, 422, 'DONATION.REFUND_BEFORE_GIFT', 'effectiveAt');

    await refused(`/v1/pledges/${pledges.ada}/pause`, { from: '2300-01-01' }, 400, 'REQUEST.INVALID', 'from');
    await refused(`/v1/pledges/${pledges.ada}/pause`, { from: '2029-02-01', reason: 'a\u0007' }, 400, 'REQUEST.INVALID', 'reason');
    await refused(`/v1/pledges/${pledges.paused}/resume`, { from: '2029-02-01', reason: 'dropped silently before' }, 400, 'REQUEST.INVALID');
    await refused(`/v1/pledges/${pledges.ada}/amend`, { from: '2029-02-01', amountMinor: 10, interval: 'hourly' }, 400, 'REQUEST.INVALID', 'interval');
  });

  it('needs a reason to cancel or write off a pledge', async () => {
    for (const action of ['cancel', 'write-off']) {
      await refused(`/v1/pledges/${pledges.ada}/${action}`, { from: '2029-02-01' }, 400, 'REQUEST.INVALID', 'reason');
      await refused(`/v1/pledges/${pledges.ada}/${action}`, { from: '2029-02-01', reason: '' }, 400, 'REQUEST.INVALID', 'reason');
    }
  });

  it('answers a one-off gift in another currency than its fund DONATION.CURRENCY_MISMATCH, like a gift against a pledge', async () => {
    const gift = { sustainerId: ids.ada, amountMinor: 1_000, method: 'cash', effectiveAt: '2029-01-05' };
    await refused('/v1/donations', { ...gift, fundId: funds.general, currency: 'EUR' }, 422, 'DONATION.CURRENCY_MISMATCH', 'currency');
    await refused('/v1/donations', { ...gift, pledgeId: pledges.ada, currency: 'EUR' }, 422, 'DONATION.CURRENCY_MISMATCH', 'currency');
    // The giver is still answered for first.
    await refused('/v1/donations', { ...gift, sustainerId: unknown, fundId: funds.general, currency: 'EUR' }, 404, 'SUSTAINER.NOT_FOUND');
  });

  it('lets a sustainer list its own pledges, and answers any other sustainer id as unknown (404)', async () => {
    const own = await get(`/v1/pledges?sustainerId=${ids.ada}&asOf=2028-12-31`, tokens.ada);
    expect(own.status).toBe(200);
    expect(own.body.items.map((p: { pledgeId: string }) => p.pledgeId).sort()).toEqual([pledges.ada, pledges.paused].sort());
    for (const other of [ids.bea, unknown]) {
      const response = await get(`/v1/pledges?sustainerId=${other}`, tokens.ada);
      expect({ status: response.status, code: response.body.code }).toEqual({ status: 404, code: 'SUSTAINER.NOT_FOUND' });
    }
    const bea = await get(`/v1/pledges?sustainerId=${ids.bea}`, tokens.bea);
    expect(bea.body.items.map((p: { pledgeId: string; sustainerId: string }) => [p.pledgeId, p.sustainerId])).toEqual([[pledges.bea, ids.bea]]);
  });

  it('takes minPosition on every query route, refuses unknown and out-of-range parameters, and never answers 5xx', async () => {
    const head = await ledger.t.store.headPosition();
    const routes: Array<[string, string]> = [
      ['/v1/sustainers?', ledger.steward],
      [`/v1/sustainers/${ids.ada}?`, ledger.steward],
      [`/v1/sustainers/${ids.ada}/statement?year=2028&`, ledger.steward],
      ['/v1/pledges?sustainerId=' + ids.ada + '&', ledger.steward],
      [`/v1/pledges/${pledges.ada}?`, ledger.steward],
      ['/v1/donations?', ledger.steward],
      [`/v1/donations/${gifts[0]}?`, ledger.steward],
      ['/v1/fund-totals?year=2028&', ledger.steward],
      ['/v1/me?', tokens.ada],
      ['/v1/me/pledges?', tokens.ada],
      [`/v1/me/pledges/${pledges.ada}?`, tokens.ada],
      ['/v1/me/donations?', tokens.ada],
      ['/v1/me/statement?year=2028&', tokens.ada],
    ];
    for (const [url, token] of routes) {
      const ok = await get(`${url}minPosition=${head}`, token);
      expect({ url, status: ok.status }).toEqual({ url, status: 200 });
      await badQuery(`${url}minPosition=-1`, 'minPosition', token);
      await badQuery(`${url}colour=blue`, 'colour', token);
    }
    for (const url of [`/v1/pledges/${pledges.ada}?asOf=9999-12-31`, `/v1/pledges/${pledges.ada}?asOf=1969-12-31`, `/v1/me/pledges?asOf=2027-02-29`]) {
      await badQuery(url, 'asOf', url.startsWith('/v1/me') ? tokens.ada : ledger.steward);
    }
    // The ends of the supported range are answered, not failed.
    for (const url of [`/v1/pledges/${pledges.ada}?asOf=2299-12-31`, `/v1/pledges/${pledges.ada}?asOf=1970-01-01`, '/v1/fund-totals?year=2299', '/v1/fund-totals?year=1970&by=quarter', `/v1/sustainers/${ids.ada}/statement?year=2299`]) {
      expect({ url, status: (await get(url)).status }).toEqual({ url, status: 200 });
    }
    await badQuery('/v1/fund-totals?year=2028&year=2029', 'year');
    await badQuery(`/v1/sustainers/${ids.ada}/statement`, 'year');
    await badQuery(`/v1/sustainers/${ids.ada}/statement?year=2300`, 'year');
    await badQuery('/v1/fund-totals?year=1e3', 'year');
    await badQuery('/v1/fund-totals?year=2028&by=week', 'by');
    await badQuery('/v1/donations?year=99999', 'year');
    await badQuery('/v1/sustainers?limit=501', 'limit');
    await badQuery('/v1/sustainers?limit=0', 'limit');
    await badQuery('/v1/donations?after=not-a-cursor', 'after');
  });

  it('pages every listing the same way: limit, after and next', async () => {
    const walk = async (base: string, token = ledger.steward) => {
      const seen: string[] = [];
      let after: string | undefined;
      for (let i = 0; i < 20; i++) {
        const response = await get(`${base}${base.includes('?') ? '&' : '?'}limit=1${after ? `&after=${after}` : ''}`, token);
        expect(response.status).toBe(200);
        expect(response.body.items.length).toBeLessThanOrEqual(1);
        seen.push(...response.body.items.map((item: Record<string, string>) => item.donationId ?? item.pledgeId ?? item.sustainerId));
        if (!response.body.next) return seen;
        after = response.body.next;
      }
      throw new Error('no last page');
    };
    const all = (await get('/v1/donations')).body;
    expect(all.next).toBeUndefined();
    expect(await walk('/v1/donations')).toEqual(all.items.map((d: { donationId: string }) => d.donationId));
    expect(await walk('/v1/me/donations', tokens.ada)).toEqual(gifts.slice(0, 3));
    expect(await walk('/v1/sustainers')).toEqual([ids.ada, ids.bea].sort());
    expect((await walk(`/v1/pledges?sustainerId=${ids.ada}`)).sort()).toEqual([pledges.ada, pledges.paused].sort());
    expect((await walk('/v1/me/pledges', tokens.ada)).sort()).toEqual([pledges.ada, pledges.paused].sort());
    // A cursor naming someone else's donation tells a sustainer nothing: its listing is empty after it.
    expect((await get(`/v1/me/donations?after=${gifts[3]}`, tokens.ada)).body.items).toEqual([]);
  });

  it('shows an anonymous sustainer by one rule on every route: the name to a steward and to themselves only', async () => {
    const name = (body: { displayName: string | null }) => body.displayName;
    const giver = (items: Array<{ sustainerId: string; sustainerName: string | null }>, id: string) => items.find((d) => d.sustainerId === id)?.sustainerName;
    const listed = async (token: string) => (await get('/v1/sustainers', token)).body.items.find((s: { sustainerId: string }) => s.sustainerId === ids.bea);

    // An auditor: no name, no contacts, anywhere; the amounts still count.
    expect(await listed(ledger.auditor)).toMatchObject({ anonymous: true, displayName: null, email: null });
    expect(name((await get(`/v1/sustainers/${ids.bea}`, ledger.auditor)).body)).toBeNull();
    expect(giver((await get('/v1/donations', ledger.auditor)).body.items, ids.bea)).toBeNull();
    expect((await get(`/v1/donations/${gifts[3]}`, ledger.auditor)).body).toMatchObject({ sustainerName: null, amountMinor: 4_000 });
    const audited = (await get(`/v1/sustainers/${ids.bea}/statement?year=2028`, ledger.auditor)).body;
    expect(audited.sustainer).toMatchObject({ displayName: null, email: null });
    expect(audited.totals).toEqual([expect.objectContaining({ receivedMinor: 5_000 })]);
    // A sustainer who is not anonymous is named to the auditor, without contacts.
    expect(giver((await get('/v1/donations', ledger.auditor)).body.items, ids.ada)).toBe('Ada Open');
    expect((await get(`/v1/sustainers/${ids.ada}`, ledger.auditor)).body).toMatchObject({ displayName: 'Ada Open', email: null });

    // A steward: the name and contacts on every route.
    expect(await listed(ledger.steward)).toMatchObject({ displayName: 'Bea Hidden', email: 'bea@example.org' });
    expect(giver((await get('/v1/donations', ledger.steward)).body.items, ids.bea)).toBe('Bea Hidden');
    expect(name((await get(`/v1/sustainers/${ids.bea}/statement?year=2028`)).body.sustainer)).toBe('Bea Hidden');

    // The sustainer itself: its own name everywhere it is shown.
    expect((await get('/v1/me', tokens.bea)).body).toMatchObject({ displayName: 'Bea Hidden', email: 'bea@example.org' });
    expect(giver((await get('/v1/me/donations', tokens.bea)).body.items, ids.bea)).toBe('Bea Hidden');
    expect(name((await get('/v1/me/statement?year=2028', tokens.bea)).body.sustainer)).toBe('Bea Hidden');
    expect(name((await get(`/v1/sustainers/${ids.bea}`, tokens.bea)).body)).toBe('Bea Hidden');
  });

  it('refuses every dated fact of a pledge inside a closed period, and the gifts and refunds dated there', async () => {
    expect((await post('/v1/periods/close', { period: '2028-01' })).status).toBe(201);
    await refused('/v1/pledges', { sustainerId: ids.ada, fundId: funds.general, amountMinor: 1_000, currency: 'USD', interval: 'monthly', startDate: '2028-01-31' }, 422, 'PERIOD.CLOSED', 'startDate');
    await refused(`/v1/pledges/${pledges.ada}/amend`, { from: '2028-01-15', amountMinor: 1_500 }, 422, 'PERIOD.CLOSED', 'from');
    await refused(`/v1/pledges/${pledges.ada}/pause`, { from: '2028-01-15' }, 422, 'PERIOD.CLOSED');
    await refused(`/v1/pledges/${pledges.paused}/resume`, { from: '2028-01-15' }, 422, 'PERIOD.CLOSED');
    await refused(`/v1/pledges/${pledges.ada}/cancel`, { from: '2028-01-15', reason: 'late' }, 422, 'PERIOD.CLOSED');
    await refused(`/v1/pledges/${pledges.ada}/write-off`, { from: '2028-01-31', reason: 'late' }, 422, 'PERIOD.CLOSED');
    await refused('/v1/donations', { sustainerId: ids.ada, pledgeId: pledges.ada, amountMinor: 1_000, currency: 'USD', method: 'card', effectiveAt: '2028-02-01T00:30:00+01:00' }, 422, 'PERIOD.CLOSED');
    await refused(`/v1/donations/${januaryGift}/refund`, { reason: 'late', effectiveAt: '2028-01-20T12:00:00Z' }, 422, 'PERIOD.CLOSED');
    // The day after the closed month is open.
    expect((await post(`/v1/pledges/${pledges.paused}/resume`, { from: '2028-02-01' })).status).toBe(201);
    const refund = await post(`/v1/donations/${gifts[0]}/refund`, { reason: 'charged back', effectiveAt: '2028-02-12T09:30:00+02:00' });
    expect(refund.status).toBe(201);
    expect((await get(`/v1/donations/${gifts[0]}`)).body.refundedOn).toBe('2028-02-12');
  });

  it('documents every sustainers route with its summary, parameters, answers and problems', async () => {
    const doc = (await ledger.t.request('GET', '/docs-json')).body;
    const routes = Object.entries(doc.paths as Record<string, Record<string, Record<string, unknown>>>).filter(
      // The attribution routes under these paths are the accountability module's (test/accountability.e2e-spec.ts).
      ([path]) => /^\/v1\/(sustainers|pledges|donations|fund-totals|me)\b/.test(path) && !path.endsWith('/attribution'),
    );
    // 20, and the sustainer's proof of their own gift (issue 12).
    expect(routes.length).toBe(21);
    const names = (op: Record<string, unknown>, where: string) => ((op.parameters ?? []) as Array<{ name: string; in: string }>).filter((p) => p.in === where).map((p) => p.name);
    for (const [path, methods] of routes) {
      for (const [method, op] of Object.entries(methods)) {
        const responses = op.responses as Record<string, { content?: Record<string, unknown> }>;
        expect({ path, method, summary: typeof op.summary }).toEqual({ path, method, summary: 'string' });
        for (const param of path.match(/\{(\w+)\}/g) ?? []) expect(names(op, 'path')).toContain(param.slice(1, -1));
        if (method === 'get') expect({ path, query: names(op, 'query') }).toEqual({ path, query: expect.arrayContaining(['minPosition']) });
        const ok = responses[method === 'get' ? '200' : '201'];
        expect({ path, method, schema: Boolean(ok?.content?.['application/json']) }).toEqual({ path, method, schema: true });
        for (const status of ['400', '401', '403']) expect({ path, method, status, problem: Boolean(responses[status]?.content?.['application/problem+json']) }).toEqual({ path, method, status, problem: true });
      }
    }
    for (const path of ['/v1/sustainers/{sustainerId}/statement', '/v1/me/statement']) {
      expect(names(doc.paths[path].get, 'query')).toEqual(expect.arrayContaining(['year', 'minPosition']));
      expect(Object.keys(doc.paths[path].get.responses['200'].content)).toEqual(expect.arrayContaining(['application/json', 'text/csv']));
    }
    expect(names(doc.paths['/v1/donations'].get, 'query')).toEqual(expect.arrayContaining(['sustainerId', 'fundId', 'year', 'limit', 'after']));
    expect(names(doc.paths['/v1/pledges'].get, 'query')).toEqual(expect.arrayContaining(['sustainerId', 'asOf', 'limit', 'after']));
  });
});
