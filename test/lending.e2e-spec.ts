import { FixedClock } from '../src/shared/clock';
import { TestApp, startTestApp } from './support/test-app';

/**
 * Lending between cooperatives over HTTP with tokens for two cooperatives, a steward and an
 * auditor: cooperatives registered and read, each cooperative token acting only for its own.
 */
describe('lending between cooperatives over HTTP', () => {
  const clock = new FixedClock(new Date('2026-10-01T10:00:00.000Z'));
  let t: TestApp;
  let steward: string;
  let auditor: string;
  let coopA: string;
  let coopB: string;
  let tokenA: string;
  let tokenB: string;

  const post = (url: string, body: unknown, token = steward) => t.request('POST', url, { token, body });
  const get = (url: string, token = steward) => t.request('GET', url, { token });
  /** Asserts a refusal: its status and code, and that nothing was appended. */
  const refused = async (request: () => Promise<{ status: number; body: { code: string } }>, status: number, code: string) => {
    const before = await t.store.headPosition();
    const response = await request();
    expect({ status: response.status, code: response.body.code }).toEqual({ status, code });
    expect(await t.store.headPosition()).toBe(before);
    return response.body;
  };

  beforeAll(async () => {
    t = await startTestApp({ clock, config: { seedFunds: 'default' } });
    steward = (await t.token('steward')).secret;
    auditor = (await t.token('auditor')).secret;
  });

  afterAll(() => t.close());

  describe('cooperatives', () => {
    it('registers cooperatives and refuses a taken name, bad input and non-stewards', async () => {
      const a = await post('/v1/cooperatives', { name: 'Riverside Bakery', sector: 'food', contact: 'hello@riverside.coop' });
      expect(a.status).toBe(201);
      coopA = a.body.cooperativeId;
      const b = await post('/v1/cooperatives', { name: 'Hilltop Builders', sector: 'construction', contact: 'office@hilltop.coop' });
      expect(b.status).toBe(201);
      coopB = b.body.cooperativeId;
      tokenA = (await t.token('cooperative', coopA)).secret;
      tokenB = (await t.token('cooperative', coopB)).secret;
      await refused(() => post('/v1/cooperatives', { name: 'Riverside Bakery', sector: 'food', contact: 'x' }), 409, 'COOPERATIVE.NAME_TAKEN');
      await refused(() => post('/v1/cooperatives', { name: '', sector: 'food', contact: 'x' }), 400, 'REQUEST.INVALID');
      await refused(() => post('/v1/cooperatives', { name: 'Sneaky', sector: 'food', contact: 'x', extra: 1 }), 400, 'REQUEST.INVALID');
      const byCoop = await refused(() => post('/v1/cooperatives', { name: 'Third', sector: 'food', contact: 'x' }, tokenA), 403, 'AUTH.FORBIDDEN');
      expect(byCoop.code).toBe('AUTH.FORBIDDEN');
    });

    it('lists and shows cooperatives; a cooperative token sees only its own', async () => {
      const all = (await get('/v1/cooperatives', auditor)).body.items;
      expect(all.map((c: { name: string }) => c.name)).toEqual(['Hilltop Builders', 'Riverside Bakery']);
      expect((await get(`/v1/cooperatives/${coopA}`, auditor)).body).toMatchObject({
        cooperativeId: coopA,
        name: 'Riverside Bakery',
        sector: 'food',
        contact: 'hello@riverside.coop',
        registeredAt: '2026-10-01T10:00:00.000Z',
      });
      expect((await get('/v1/cooperatives', tokenA)).body.items.map((c: { cooperativeId: string }) => c.cooperativeId)).toEqual([coopA]);
      expect((await get(`/v1/cooperatives/${coopA}`, tokenA)).status).toBe(200);
      await refused(() => get(`/v1/cooperatives/${coopA}`, tokenB), 403, 'COOPERATIVE.ACTING_FOR_ANOTHER');
      await refused(() => get('/v1/cooperatives/4b8e2f44-8a59-4f53-9a0b-0d1b7a4c9e11'), 404, 'COOPERATIVE.NOT_FOUND');
      await refused(() => get('/v1/cooperatives/not-a-uuid'), 400, 'REQUEST.INVALID');
    });
  });
});
