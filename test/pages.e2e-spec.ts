import { SealService } from '../src/audit/seals/seal.service';
import { formatMoney } from '../src/modules/pages/format';
import { FixedClock } from '../src/shared/clock';
import { World, seedWorld } from './support/fixtures';
import { Visitor, hiddenField, signIn } from './support/pages';
import { pdfText } from './support/pdf-text';
import { startTestApp } from './support/test-app';

jest.setTimeout(60_000);

const ORG = { LEDGER_ORG: 'Mutual Aid Network Inc.', ADDRESS: '1 Main Street, Springfield', TAX_ID: '12-3456789' };

describe('the pages people open (HTTP)', () => {
  let world: World;
  const link = async (role: 'sustainer' | 'cooperative', subjectId: string, token = world.tokens.steward) =>
    world.t.request('POST', '/v1/sign-in-links', { token, body: { role, subjectId } });

  beforeAll(async () => {
    world = await seedWorld({ orgName: ORG.LEDGER_ORG, orgAddress: ORG.ADDRESS, orgTaxId: ORG.TAX_ID });
  });
  afterAll(() => world?.t.close());

  describe('the public transparency page', () => {
    it('shows this year\'s figures at / without sign-in, formatted, as HTML without script', async () => {
      const r = await new Visitor(world.t.app).get('/');
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toMatch(/^text\/html/);
      expect(String(r.headers['content-security-policy'])).toContain("default-src 'none'");
      // Three grants of $10,000 and two gifts of $20 (from two sustainers) arrived in 2026; two $10 roof expenses were paid.
      expect(r.text).toContain('This year, 2026');
      expect(r.text).toContain('$30,000.00');
      // Two sustainers are fewer than five: their gifts are not shown, nor a total that would reveal them.
      expect(r.text).toContain('not shown: fewer than 5 sustainers gave');
      expect(r.text).not.toContain('$40.00');
      expect(r.text).not.toContain('$30,040.00');
      expect(r.text).toContain('$20.00');
      expect(r.text).toContain('Lent to member cooperatives');
      expect(r.text).toContain('$700.00');
      expect(r.text).toMatch(/<svg [^>]*role="img"/);
      expect(r.text).toContain('Improvement projects');
      expect(r.text).not.toContain('<script');
      // No giver, cooperative or donation is named.
      for (const secret of ['Sam', 'Tess', world.ids.sustainerId.own, world.ids.donationId.own, world.ids.cooperativeId.own, 'Alpha']) expect(r.text).not.toContain(secret);
    });

    it('shows the latest signed seal with how to verify it, once there is one', async () => {
      await world.t.app.get(SealService).tick(true);
      const latest = await world.t.app.get(SealService).sealer.latestSeal();
      const r = await new Visitor(world.t.app).get('/');
      expect(r.text).toContain('id="seal"');
      expect(r.text).toContain(latest!.data.rootHash);
      expect(r.text).toContain(latest!.data.signature);
      expect(r.text).toContain('BEGIN PUBLIC KEY');
      expect(r.text).toContain('GET /v1/seals/public-key');
    });

    it('refuses a query it does not take, as an HTML page', async () => {
      const r = await new Visitor(world.t.app).get('/?x=1');
      expect(r.status).toBe(400);
      expect(r.text).toContain('REQUEST.INVALID');
    });
  });

  describe('sign-in links over the API', () => {
    it('are issued by a steward only, for a subject that exists', async () => {
      const ok = await link('sustainer', world.ids.sustainerId.own);
      expect(ok.status).toBe(201);
      expect(ok.body).toMatchObject({ role: 'sustainer', subjectId: world.ids.sustainerId.own, url: expect.stringMatching(/^http:\/\/localhost:0\/sign-in\?token=msl_[A-Za-z0-9_-]{43}$/) });
      expect(ok.headers['cache-control']).toBe('no-store');
      expect((await link('sustainer', world.ids.sustainerId.own, world.tokens.auditor)).status).toBe(403);
      expect((await link('sustainer', world.ids.sustainerId.own, world.tokens.sustainerOwn)).status).toBe(403);
      expect((await world.t.request('POST', '/v1/sign-in-links', { body: { role: 'sustainer', subjectId: world.ids.sustainerId.own } })).status).toBe(401);
      expect((await link('sustainer', '4b8e2f44-8a59-4f53-9a0b-0d1b7a4c9e11')).body.code).toBe('SUSTAINER.NOT_FOUND');
      expect((await link('cooperative', world.ids.sustainerId.own)).body.code).toBe('COOPERATIVE.NOT_FOUND');
      for (const body of [{ role: 'steward', subjectId: world.ids.sustainerId.own }, { role: 'sustainer', subjectId: 'x' }, { role: 'sustainer', subjectId: world.ids.sustainerId.own, extra: 1 }, { role: 'sustainer', subjectId: world.ids.sustainerId.own, expiresInMinutes: 1 }]) {
        const r = await world.t.request('POST', '/v1/sign-in-links', { token: world.tokens.steward, body });
        expect([r.status, r.body.code]).toEqual([400, 'REQUEST.INVALID']);
      }
    });

    it('keeps only the hash of the secret in the log, even with an idempotency key', async () => {
      const first = await world.t.request('POST', '/v1/sign-in-links', { token: world.tokens.steward, body: { role: 'cooperative', subjectId: world.ids.cooperativeId.own }, headers: { 'idempotency-key': 'link-1' } });
      const again = await world.t.request('POST', '/v1/sign-in-links', { token: world.tokens.steward, body: { role: 'cooperative', subjectId: world.ids.cooperativeId.own }, headers: { 'idempotency-key': 'link-1' } });
      expect(again.body).toMatchObject({ linkId: first.body.linkId, url: null });
      const secret = new URL(first.body.url).searchParams.get('token')!;
      const log: string[] = [];
      for await (const e of world.t.store.readAll()) log.push(JSON.stringify(e));
      expect(log.join('\n')).not.toContain(secret);
      expect(log.join('\n')).not.toContain(secret.slice(4));
    });
  });

  describe('signing in through a link', () => {
    it('opens with a button, sets an HttpOnly SameSite session cookie, and works once', async () => {
      const { url } = (await link('sustainer', world.ids.sustainerId.own)).body;
      const visitor = new Visitor(world.t.app);
      const path = url.replace('http://localhost:0', '');
      const opened = await visitor.get(path);
      expect(opened.status).toBe(200);
      expect(opened.headers['referrer-policy']).toBe('no-referrer');
      expect(opened.text).toContain('Sign in to my page');
      // Without the form's CSRF value (double submit), nothing happens.
      const forged = await new Visitor(world.t.app).post('/sign-in', { token: hiddenField(opened.text, 'token'), _csrf: 'forged' });
      expect(forged.status).toBe(403);
      const signedIn = await visitor.post('/sign-in', { token: hiddenField(opened.text, 'token'), _csrf: hiddenField(opened.text, '_csrf') });
      expect(signedIn.status).toBe(303);
      expect(signedIn.headers.location).toBe('/my');
      const cookies = [signedIn.headers['set-cookie']].flat().map(String);
      // One cookie each: the session, and the sign-in form's CSRF cookie cleared.
      expect(cookies.map((c) => c.split('=')[0]).sort()).toEqual(['mal_session', 'mal_signin']);
      expect(cookies.find((c) => c.startsWith('mal_signin='))).toMatch(/^mal_signin=; .*Max-Age=0/);
      const cookie = cookies.find((c) => c.startsWith('mal_session='))!;
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Lax/);
      expect(cookie).not.toMatch(/Secure/);
      const mine = await visitor.get('/my');
      expect(mine.status).toBe(200);
      expect(mine.text).toContain('Your giving, Sam');
      // The same link again, in another browser: refused, in words.
      const reused = await signIn(new Visitor(world.t.app), url);
      expect(reused.status).toBe(404);
      expect(reused.text).toContain('SIGN_IN.LINK_INVALID');
      expect((await new Visitor(world.t.app).get('/sign-in?token=msl_nonsense')).status).toBe(404);
    });

    it('makes cookies Secure and __Host- prefixed behind an https origin', async () => {
      const { seedWorld: seed } = await import('./support/fixtures');
      const secure = await seed({ publicOrigin: 'https://ledger.example.org' });
      try {
        const r = await secure.t.request('POST', '/v1/sign-in-links', { token: secure.tokens.steward, body: { role: 'sustainer', subjectId: secure.ids.sustainerId.own } });
        expect(r.body.url).toMatch(/^https:\/\/ledger\.example\.org\/sign-in\?token=/);
        const visitor = new Visitor(secure.t.app);
        const done = await signIn(visitor, r.body.url);
        const cookie = [done.headers['set-cookie']].flat().map(String).find((c) => c.startsWith('__Host-mal_session='))!;
        expect(cookie).toMatch(/; Secure/);
        expect((await visitor.get('/my')).status).toBe(200);
      } finally {
        await secure.t.close();
      }
    });
  });

  describe('guessing sign-in links', () => {
    it('counts each unusable link as a failed authentication: after the limit the address gets 429 with Retry-After, even for a real link; another address signs in', async () => {
      const { seedWorld: seed } = await import('./support/fixtures');
      const LIMIT = 3;
      const world = await seed({ authFailureLimit: LIMIT, authFailureWindowMs: 60_000 });
      try {
        const guesser = '203.0.113.5';
        const guess = () => `msl_${Buffer.from(Array.from({ length: 32 }, () => Math.floor(Math.random() * 256))).toString('base64url')}`;
        const open = (token: string, remoteAddress: string) => world.t.app.inject({ method: 'GET', url: `/sign-in?token=${token}`, remoteAddress });
        for (let i = 0; i < LIMIT; i++) expect((await open(guess(), guesser)).statusCode).toBe(404);
        const blocked = await open(guess(), guesser);
        expect(blocked.statusCode).toBe(429);
        expect(Number(blocked.headers['retry-after'])).toBeGreaterThanOrEqual(1);
        expect(blocked.headers['content-type']).toContain('text/html');
        expect(blocked.body).toContain('AUTH.TOO_MANY_FAILURES');
        // A real link from the throttled address learns nothing either, and is not used up.
        const { url } = (await world.t.request('POST', '/v1/sign-in-links', { token: world.tokens.steward, body: { role: 'sustainer', subjectId: world.ids.sustainerId.own } })).body;
        const path = url.replace(/^https?:\/\/[^/]+/, '');
        expect((await world.t.app.inject({ method: 'GET', url: path, remoteAddress: guesser })).statusCode).toBe(429);
        expect((await world.t.app.inject({ method: 'POST', url: '/sign-in', remoteAddress: guesser, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `token=${guess()}&_csrf=x` })).statusCode).toBe(429);
        // The API's tokens share the count: the same address is throttled there too.
        expect((await world.t.app.inject({ method: 'GET', url: '/v1/funds', remoteAddress: guesser, headers: { authorization: `Bearer ${world.tokens.steward}` } })).statusCode).toBe(429);
        // Another address (inject's default, 127.0.0.1) opens the real link and signs in.
        const done = await signIn(new Visitor(world.t.app), url);
        expect(done.status).toBe(303);
      } finally {
        await world.t.close();
      }
    });
  });

  describe('behind a TLS-terminating proxy', () => {
    it('makes cookies Secure when a proxy listed in LEDGER_TRUST_PROXY says X-Forwarded-Proto: https, and only then', async () => {
      const { seedWorld: seed } = await import('./support/fixtures');
      // inject() comes from 127.0.0.1: the proxy here.
      for (const [trustProxy, secure] of [[undefined, false], [['127.0.0.1'], true]] as const) {
        const world = await seed({ trustProxy });
        try {
          const r = await world.t.request('POST', '/v1/sign-in-links', { token: world.tokens.steward, body: { role: 'sustainer', subjectId: world.ids.sustainerId.own } });
          const visitor = new Visitor(world.t.app, { 'x-forwarded-proto': 'https' });
          const done = await signIn(visitor, r.body.url);
          expect(done.status).toBe(303);
          const cookies = [done.headers['set-cookie']].flat().map(String);
          const session = cookies.find((c) => /^(__Host-)?mal_session=/.test(c))!;
          expect([trustProxy, session.startsWith('__Host-'), /; Secure/.test(session)]).toEqual([trustProxy, secure, secure]);
        } finally {
          await world.t.close();
        }
      }
    });
  });

  describe('the sustainer\'s own page', () => {
    let sam: Visitor;
    beforeAll(async () => {
      sam = new Visitor(world.t.app);
      expect((await signIn(sam, (await link('sustainer', world.ids.sustainerId.own)).body.url)).status).toBe(303);
    });

    it('shows their gifts, pledges with schedule and standing, the statement, and nobody else', async () => {
      const r = await sam.get('/my');
      expect(r.text).toContain('Your gifts');
      expect(r.text).toContain('1 February 2026');
      expect(r.text).toContain('(lapsed)');
      expect(r.text).toContain('31 October 2026');
      expect(r.text).toContain('Your statement for 2026');
      // Where each gift went, from the accountability module's attribution.
      expect(r.text).not.toContain('Not available yet');
      expect(r.text).toContain('<li>$20.00 Not spent yet: in General fund</li>');
      for (const id of world.foreignIds.sustainer) expect(r.text).not.toContain(id);
      expect(r.text).not.toContain('Tess');
    });

    it('downloads the statement as CSV with their name and decimal amounts', async () => {
      const r = await sam.get('/my/statement.csv?year=2026');
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toMatch(/^text\/csv/);
      const [header, row] = r.text.trim().split('\r\n');
      expect(header.split(',')).toEqual(expect.arrayContaining(['sustainer_name', 'amount', 'currency']));
      expect(row).toContain('Sam,2026-02-01');
      expect(row).toContain(',20.00,USD,card,');
    });

    it('downloads the year statement and a gift\'s acknowledgement as PDF with the organisation and the US wording', async () => {
      const statement = await sam.get('/my/statement.pdf?year=2026');
      expect(statement.status).toBe(200);
      expect(statement.headers['content-type']).toBe('application/pdf');
      const text = await pdfText(statement.raw);
      for (const s of [ORG.LEDGER_ORG, ORG.ADDRESS, ORG.TAX_ID, 'Statement of gifts, 2026', 'Sam', '$20.00', 'No goods or services were provided']) expect(text).toContain(s);
      const ack = await sam.get(`/my/gifts/${world.ids.donationId.own}/acknowledgement.pdf`);
      expect(ack.status).toBe(200);
      const ackText = await pdfText(ack.raw);
      expect(ackText).toContain('Acknowledgement of your gift');
      expect(ackText).toContain('received from you a contribution of $20.00');
    });

    it('answers 404 for another sustainer\'s gift exactly as for an unknown one, and for the cooperative\'s forms', async () => {
      const other = await sam.get(`/my/gifts/${world.ids.donationId.other}/acknowledgement.pdf`);
      const unknown = await sam.get('/my/gifts/4b8e2f44-8a59-4f53-9a0b-0d1b7a4c9e11/acknowledgement.pdf');
      expect(other.status).toBe(404);
      expect(other.text).toBe(unknown.text);
      expect(other.text).not.toContain(world.ids.donationId.other);
      expect((await sam.get('/my/gifts/not-a-uuid/acknowledgement.pdf')).status).toBe(400);
      expect((await sam.get('/my/statement.pdf')).status).toBe(400);
      expect((await sam.get('/my/statement.pdf?year=1800')).status).toBe(400);
      const page = await sam.get('/my');
      const csrf = hiddenField(page.text, '_csrf');
      expect((await sam.post('/my/reservations', { _csrf: csrf, resourceId: world.ids.resourceId.other, startOn: '2026-10-20', dueOn: '2026-10-21' })).status).toBe(404);
    });
  });

  describe('the cooperative\'s own page', () => {
    let alpha: Visitor;
    let csrf: string;
    beforeAll(async () => {
      alpha = new Visitor(world.t.app);
      expect((await signIn(alpha, (await link('cooperative', world.ids.cooperativeId.own)).body.url)).status).toBe(303);
      csrf = hiddenField((await alpha.get('/my')).text, '_csrf');
    });

    it('shows shared resources and when each is free, loans with what is due, money and hours', async () => {
      const r = await alpha.get('/my');
      expect(r.status).toBe(200);
      expect(r.text).toContain('<h1>Alpha</h1>');
      expect(r.text).toContain('Stand mixer');
      expect(r.text).toContain('Taken 5 October 2026 to 12 October 2026');
      expect(r.text).toContain('Borrowed from the revolving-loan-fund fund: $600.00');
      expect(r.text).toContain('1 November 2026');
      expect(r.text).toContain('Waiting for the other cooperative');
      for (const id of world.foreignIds.cooperative) expect(r.text).not.toContain(id);
    });

    it('reserves a resource through the same command and rules as the API', async () => {
      const reserved = await alpha.post('/my/reservations', { _csrf: csrf, resourceId: world.ids.resourceId.other, startOn: '2026-10-20', dueOn: '2026-10-25' });
      expect([reserved.status, reserved.headers.location]).toEqual([303, '/my?done=reserved']);
      const after = await alpha.get('/my?done=reserved');
      expect(after.text).toContain('Reserved.');
      expect(after.text).toContain('20 October 2026');
      const overlap = await alpha.post('/my/reservations', { _csrf: csrf, resourceId: world.ids.resourceId.other, startOn: '2026-10-22', dueOn: '2026-10-23' });
      expect(overlap.status).toBe(409);
      expect(overlap.text).toContain('LOAN.RESERVATION_OVERLAPS');
      expect(overlap.text).toContain('role="alert"');
      const past = await alpha.post('/my/reservations', { _csrf: csrf, resourceId: world.ids.resourceId.other, startOn: '2026-09-01', dueOn: '2026-09-02' });
      expect([past.status, past.text.includes('LOAN.START_IN_PAST')]).toEqual([422, true]);
      const bad = await alpha.post('/my/reservations', { _csrf: csrf, resourceId: 'nope', startOn: 'soon', dueOn: '2026-10-23' });
      expect(bad.status).toBe(400);
      expect(bad.text).toContain('REQUEST.INVALID');
      const own = await alpha.post('/my/reservations', { _csrf: csrf, resourceId: world.ids.resourceId.own, startOn: '2026-10-22', dueOn: '2026-10-23' });
      expect(own.text).toContain('LOAN.OWN_RESOURCE');
      const loans = await world.t.request('GET', '/v1/loans', { token: world.tokens.cooperativeOwn });
      expect(loans.body.items.filter((l: { resourceId: string }) => l.resourceId === world.ids.resourceId.other)).toHaveLength(1);
    });

    it('refuses a form without the session\'s CSRF token, or with an extra field', async () => {
      expect((await alpha.post('/my/reservations', { _csrf: 'x', resourceId: world.ids.resourceId.other, startOn: '2026-11-20', dueOn: '2026-11-21' })).status).toBe(403);
      expect((await alpha.post('/my/reservations', { resourceId: world.ids.resourceId.other, startOn: '2026-11-20', dueOn: '2026-11-21' })).status).toBe(400);
      expect((await alpha.post('/my/reservations', { _csrf: csrf, resourceId: world.ids.resourceId.other, startOn: '2026-11-20', dueOn: '2026-11-21', borrowerId: world.ids.cooperativeId.other })).status).toBe(400);
      const stranger = await new Visitor(world.t.app).post('/my/reservations', { _csrf: csrf, resourceId: world.ids.resourceId.other, startOn: '2026-11-20', dueOn: '2026-11-21' });
      expect(stranger.status).toBe(401);
    });

    it('proposes hours and confirms another\'s proposal; another pair\'s exchange is not found', async () => {
      const coopB = (await world.t.request('GET', `/v1/loans/${world.ids.thingLoanId.own}`, { token: world.tokens.cooperativeOwn })).body.ownerId as string;
      const proposed = await alpha.post('/my/labour-exchanges', { _csrf: csrf, direction: 'they-worked', counterpartId: coopB, hours: '2', minutes: '30', workedOn: '2026-09-30', description: 'Fixing the van' });
      expect([proposed.status, proposed.headers.location]).toEqual([303, '/my?done=proposed']);
      const future = await alpha.post('/my/labour-exchanges', { _csrf: csrf, direction: 'we-worked', counterpartId: coopB, hours: '1', minutes: '0', workedOn: '2026-12-30', description: 'Later' });
      expect(future.text).toContain('LABOUR.DATE_IN_FUTURE');
      const zero = await alpha.post('/my/labour-exchanges', { _csrf: csrf, direction: 'we-worked', counterpartId: coopB, hours: 'x', minutes: '0', workedOn: '2026-09-30', description: 'Nothing' });
      expect(zero.status).toBe(400);
      const foreign = await alpha.post(`/my/labour-exchanges/${world.ids.exchangeId.other}/confirm`, { _csrf: csrf });
      expect(foreign.status).toBe(404);
      expect(foreign.text).toContain('LABOUR.NOT_FOUND');
      // Bravo signs in and confirms Alpha's first proposal from its own page.
      const bravo = new Visitor(world.t.app);
      await signIn(bravo, (await link('cooperative', coopB)).body.url);
      const bravoPage = await bravo.get('/my');
      expect(bravoPage.text).toContain('To confirm');
      const confirmed = await bravo.post(`/my/labour-exchanges/${world.ids.exchangeId.own}/confirm`, { _csrf: hiddenField(bravoPage.text, '_csrf') });
      expect([confirmed.status, confirmed.headers.location]).toEqual([303, '/my?done=confirmed']);
      expect((await alpha.get('/my')).text).toContain('2 h');
    });
  });

  describe('sign-out and erasure', () => {
    it('signs out with the CSRF token only, and the session stops working', async () => {
      const visitor = new Visitor(world.t.app);
      await signIn(visitor, (await link('sustainer', world.ids.sustainerId.own)).body.url);
      const csrf = hiddenField((await visitor.get('/my')).text, '_csrf');
      expect((await visitor.post('/sign-out', { _csrf: 'forged' })).status).toBe(403);
      expect((await visitor.get('/my')).status).toBe(200);
      const cookie = visitor.jar.get('mal_session')!;
      const out = await visitor.post('/sign-out', { _csrf: csrf });
      expect([out.status, out.headers.location]).toEqual([303, '/']);
      // Even a browser that kept the cookie is no longer signed in.
      const replayed = await world.t.app.inject({ method: 'GET', url: '/my', headers: { cookie: `mal_session=${cookie}` } });
      expect([replayed.statusCode, replayed.headers.location]).toEqual([303, '/sign-in']);
    });

    it('stops an erased sustainer\'s session and unused link', async () => {
      const s2 = world.ids.sustainerId.other;
      const signedIn = new Visitor(world.t.app);
      await signIn(signedIn, (await link('sustainer', s2)).body.url);
      const unused = (await link('sustainer', s2)).body.url as string;
      expect((await signedIn.get('/my')).status).toBe(200);
      expect((await world.t.request('POST', `/v1/sustainers/${s2}/erase`, { token: world.tokens.steward })).status).toBeLessThan(300);
      await world.t.request('GET', `/v1/funds?minPosition=${await world.t.store.headPosition()}`, { token: world.tokens.steward });
      expect((await signedIn.get('/my')).headers.location).toBe('/sign-in');
      expect((await new Visitor(world.t.app).get(unused.replace('http://localhost:0', ''))).status).toBe(404);
      expect((await link('sustainer', s2)).body.code).toBe('SUSTAINER.ERASED');
    });
  });

  it('shows a fresh ledger\'s page at / with this year and nothing moved yet', async () => {
    const fresh = await startTestApp({ config: { seedFunds: 'default' } });
    try {
      const r = await new Visitor(fresh.app).get('/');
      expect(r.status).toBe(200);
      expect(r.text).toContain(`This year, ${new Date().getUTCFullYear()}`);
      expect(r.text).toContain('Nothing was received or spent in this year.');
      expect(r.text).toContain('No improvement projects yet.');
      expect(r.text).toContain('No money has been lent yet.');
    } finally {
      await fresh.close();
    }
  });

  it('shows each year as the public report does: no gifts drawn from fewer than five sustainers', async () => {
    const t = await startTestApp({ clock: new FixedClock(new Date('2026-10-01T10:00:00.000Z')), config: { seedFunds: 'default', webhookDelivery: false } });
    try {
      const token = (await t.token('steward')).secret;
      const funds = await t.request('GET', `/v1/funds?minPosition=${await t.store.headPosition()}`, { token });
      const general = (funds.body.items as Array<{ code: string; fundId: string }>).find((f) => f.code === 'general')!.fundId;
      const give = async (name: string, amountMinor: number, day: string) => {
        const s = await t.request('POST', '/v1/sustainers', { token, body: { displayName: name, anonymous: false } });
        const d = await t.request('POST', '/v1/donations', { token, body: { sustainerId: s.body.sustainerId, fundId: general, amountMinor, currency: 'USD', method: 'card', effectiveAt: day } });
        expect(d.status).toBe(201);
        return d.body.donationId as string;
      };
      const report = async () => (await t.request('GET', `/v1/transparency/report?period=2026&minPosition=${await t.store.headPosition()}`)).body;

      // One gift from one sustainer in March: the API withholds it, and so must the page.
      await give('Solo Giver', 1_234_567, '2026-03-10');
      expect((await report()).received.byMonth).toEqual([expect.objectContaining({ group: '2026-03', amountMinor: null, fewerThanFive: true })]);
      let page = (await new Visitor(t.app).get('/')).text;
      expect(page).not.toContain('12,345.67');
      expect(page).toContain('not shown: fewer than 5 sustainers gave');
      expect(page).not.toContain('Solo Giver');

      // Five more give in May: March is merged into May's group, as the API groups it.
      for (let i = 0; i < 5; i++) await give(`Giver ${i}`, 10_000, '2026-05-0' + (i + 1));
      const r = await report();
      expect(r.received.byMonth).toEqual([expect.objectContaining({ group: '2026-05+2026-03', amountMinor: 1_284_567, sustainers: 6 })]);
      page = (await new Visitor(t.app).get('/')).text;
      expect(page).toContain('March 2026, May 2026');
      for (const row of [...r.received.byMonth, ...r.received.total]) expect(page).toContain(formatMoney(row.amountMinor, row.currency));
      expect(page).not.toContain('12,345.67');
      expect(page).not.toContain('$100.00');
      expect(page).toContain('Received in all, less refunds');

      // One of them is refunded: one sustainer, so the refund is withheld, and so is the sum it is part of.
      const refunded = await give('Refunded Giver', 7_777, '2026-06-01');
      expect((await t.request('POST', `/v1/donations/${refunded}/refund`, { token, body: { reason: 'by mistake', effectiveAt: '2026-07-01' } })).status).toBeLessThan(300);
      expect((await report()).received.refundedMinor).toEqual({ USD: null });
      page = (await new Visitor(t.app).get('/')).text;
      expect(page).not.toContain('$77.77');
      expect(page).toContain('not shown: fewer than 5 sustainers were refunded');
      expect(page).not.toContain('Received in all, less refunds');

      // A past year is its own report, folded away, under the same rule.
      await give('Last Year', 4_242, '2025-12-24');
      expect((await t.request('GET', `/v1/transparency/report?period=2025&minPosition=${await t.store.headPosition()}`)).body.received.total).toEqual([expect.objectContaining({ amountMinor: null })]);
      page = (await new Visitor(t.app).get('/')).text;
      expect(page).toContain('<summary>2025: spent $0.00</summary>');
      expect(page).not.toContain('42.42');
    } finally {
      await t.close();
    }
  });

  it('lets a link expire after its minutes and a session after LEDGER_SESSION_HOURS', async () => {
    const clock = new FixedClock(new Date('2026-10-01T10:00:00.000Z'));
    const t = await startTestApp({ clock, config: { seedFunds: 'default', webhookDelivery: false, sessionHours: 2 } });
    try {
      const token = (await t.token('steward')).secret;
      const sustainerId = (await t.request('POST', '/v1/sustainers', { token, body: { displayName: 'Ida Later', anonymous: false } })).body.sustainerId as string;
      const issue = async (expiresInMinutes?: number) =>
        (await t.request('POST', '/v1/sign-in-links', { token, body: { role: 'sustainer', subjectId: sustainerId, ...(expiresInMinutes ? { expiresInMinutes } : {}) } })).body as { url: string; expiresAt: string };
      const short = await issue(5);
      expect(short.expiresAt).toBe('2026-10-01T10:05:00.000Z');
      // Opened (the button shown) before it expires, pressed after: refused, nothing opened.
      const visitor = new Visitor(t.app);
      const opened = await visitor.get(short.url.replace(/^https?:\/\/[^/]+/, ''));
      expect(opened.status).toBe(200);
      const normal = await issue();
      clock.advance(6 * 60_000);
      const late = await visitor.post('/sign-in', { token: hiddenField(opened.text, 'token'), _csrf: hiddenField(opened.text, '_csrf') });
      expect(late.status).toBe(404);
      expect(late.text).toContain('SIGN_IN.LINK_INVALID');
      expect((await signIn(new Visitor(t.app), short.url)).status).toBe(404);
      // A link of the default 60 minutes still works at 6 minutes; its session lasts 2 hours.
      const ida = new Visitor(t.app);
      expect((await signIn(ida, normal.url)).status).toBe(303);
      expect((await ida.get('/my')).status).toBe(200);
      clock.advance(2 * 3_600_000 + 1_000);
      const after = await ida.get('/my');
      expect([after.status, after.headers.location]).toEqual([303, '/sign-in']);
    } finally {
      await t.close();
    }
  });

  it('still answers a form posted to an API route with 415', async () => {
    const r = await new Visitor(world.t.app).post('/v1/funds', { code: 'x' });
    expect(r.status).toBe(415);
  });
});
