import { TestApp, startTestApp } from './support/test-app';

describe('HTTP basics', () => {
  let t: TestApp;
  let steward: string;

  beforeAll(async () => {
    t = await startTestApp();
    steward = (await t.token('steward')).secret;
  });

  afterAll(() => t.close());

  it('answers /health with liveness and readiness including the store and projections', async () => {
    const res = await t.request('GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      live: true,
      status: 'ok',
      checks: { store: { status: 'up' }, projections: { status: 'up', lag: 0 } },
    });
    expect((await t.request('GET', '/health/live')).status).toBe(200);
    expect((await t.request('GET', '/health/ready')).status).toBe(200);
  });

  it('serves the OpenAPI document at /docs-json and the UI at /docs', async () => {
    const json = await t.request('GET', '/docs-json');
    expect(json.status).toBe(200);
    expect(json.body.openapi).toMatch(/^3\./);
    expect(Object.keys(json.body.paths)).toEqual(expect.arrayContaining(['/v1/funds', '/v1/funds/{fundId}', '/health']));
    const ui = await t.request('GET', '/docs');
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger');
  });

  it('answers an unknown route with a problem document', async () => {
    const res = await t.request('GET', '/v1/nothing-here', { token: steward });
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status: 404, code: 'ROUTE.NOT_FOUND', title: 'Not Found', instance: '/v1/nothing-here' });
  });

  it('refuses a body over the limit with 413, malformed JSON with 400 and other media types with 415', async () => {
    const before = await t.store.headPosition();
    const big = await t.request('POST', '/v1/funds', { token: steward, rawBody: JSON.stringify({ name: 'x'.repeat(70_000) }) });
    expect(big.status).toBe(413);
    expect(big.body.code).toBe('REQUEST.BODY_TOO_LARGE');
    const malformed = await t.request('POST', '/v1/funds', { token: steward, rawBody: '{"code": ' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('REQUEST.MALFORMED');
    const text = await t.request('POST', '/v1/funds', { token: steward, headers: { 'content-type': 'text/plain' }, rawBody: 'hello' });
    expect(text.status).toBe(415);
    expect(text.body.code).toBe('REQUEST.UNSUPPORTED_MEDIA_TYPE');
    expect(await t.store.headPosition()).toBe(before);
  });
});

describe('authentication and roles', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });

  afterAll(() => t.close());

  it('answers 401 without a token, with an unknown token, and with a revoked one', async () => {
    const none = await t.request('GET', '/v1/funds');
    expect(none.status).toBe(401);
    expect(none.body.code).toBe('AUTH.UNAUTHENTICATED');
    const unknown = await t.request('GET', '/v1/funds', { token: `mal_${'A'.repeat(43)}` });
    expect(unknown.status).toBe(401);
    const malformed = await t.request('GET', '/v1/funds', { headers: { authorization: 'Basic abc' } });
    expect(malformed.status).toBe(401);

    const { secret, tokenId } = await t.token('auditor');
    expect((await t.request('GET', '/v1/funds', { token: secret })).status).toBe(200);
    await t.revoke(tokenId);
    expect((await t.request('GET', '/v1/funds', { token: secret })).status).toBe(401);
  });

  it('answers 403 to a role a route is not open to', async () => {
    const auditor = (await t.token('auditor')).secret;
    const steward = (await t.token('steward')).secret;
    const person = await t.request('POST', '/v1/sustainers', { token: steward, body: { displayName: 'Ada Example', anonymous: false } });
    const sustainer = (await t.token('sustainer', person.body.sustainerId)).secret;
    const body = { code: 'general', name: 'General', currency: 'USD', restriction: { class: 'unrestricted' } };
    const res = await t.request('POST', '/v1/funds', { token: auditor, body });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('AUTH.FORBIDDEN');
    expect((await t.request('POST', '/v1/funds', { token: sustainer, body })).status).toBe(403);
    expect((await t.request('GET', '/v1/audit/verify', { token: sustainer })).status).toBe(403);
    expect((await t.request('GET', '/v1/audit/verify', { token: auditor })).status).toBe(200);
  });

  it('stores only the hash of a token secret in the log', async () => {
    const { secret } = await t.token('steward');
    const log: string[] = [];
    for await (const e of t.store.readAll()) log.push(JSON.stringify(e));
    expect(log.join('\n')).not.toContain(secret);
  });
});
