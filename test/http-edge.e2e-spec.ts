import { Logger } from '@nestjs/common';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyRequest } from 'fastify';
import { ProblemDetailsFilter } from '../src/http/problem-details.filter';
import { JSON_BODY_LIMITS } from '../src/http/json-body';
import { DomainError } from '../src/shared/domain-error';
import { expectProblem } from './support/api';
import { TestApp, TestResponse, startTestApp } from './support/test-app';

/**
 * The HTTP edge: every request is held to one contract before a handler sees it, and every
 * refusal is the same problem document. Each test also checks that nothing was written.
 */
const MOVEMENT = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
const APPROVE = `/v1/transfers/${MOVEMENT}/approve`;

function fieldsOf(res: TestResponse): string[] {
  return (res.body.errors ?? []).map((e: { field: string; messages: string[] }) => {
    expect(e.messages.length).toBeGreaterThan(0);
    return e.field;
  });
}

function nested(depth: number, leaf = '1'): string {
  return `${'{"a":'.repeat(depth)}${leaf}${'}'.repeat(depth)}`;
}

describe('HTTP edge', () => {
  let t: TestApp;
  let steward: string;
  let head: number;

  beforeAll(async () => {
    t = await startTestApp();
    steward = (await t.token('steward')).secret;
    head = await t.store.headPosition();
  });

  afterEach(async () => {
    // Every request in this suite is refused: none of them may write anything.
    expect(await t.store.headPosition()).toBe(head);
  });

  afterAll(() => t.close());

  const post = (url: string, rawBody: string, headers: Record<string, string> = {}) =>
    t.request('POST', url, { token: steward, rawBody, headers });

  describe('JSON bodies are bounded before any handler', () => {
    it('refuses a body nested deeper than the limit, on body routes and body-less commands alike', async () => {
      const tooDeep = nested(JSON_BODY_LIMITS.maxDepth + 1);
      const onBody = await post('/v1/funds', tooDeep);
      expectProblem(onBody, 400, 'REQUEST.TOO_DEEP');
      expect(fieldsOf(onBody)[0]).toMatch(/^a(\.a)*$/);
      expectProblem(await post(APPROVE, tooDeep), 400, 'REQUEST.TOO_DEEP');
      // Far past any stack: the check is iterative, so this is a 400 too, never a 500.
      expectProblem(await post('/v1/funds', '['.repeat(30_000) + ']'.repeat(30_000)), 400, 'REQUEST.TOO_DEEP');
      expectProblem(await post(APPROVE, nested(10_000)), 400, 'REQUEST.TOO_DEEP');
    });

    it('accepts nesting up to the limit (then the DTO decides)', async () => {
      const res = await post('/v1/funds', `{"restriction":${nested(JSON_BODY_LIMITS.maxDepth - 1)}}`);
      expectProblem(res, 400, 'REQUEST.INVALID');
    });

    it('refuses numbers that overflow, are not safe integers, or have absurdly long literals, naming the field', async () => {
      const infinite = await post('/v1/funds', '{"code":"general","x":1e400}');
      expectProblem(infinite, 400, 'REQUEST.INVALID');
      expect(fieldsOf(infinite)).toEqual(['x']);

      const unsafe = await post('/v1/funds', '{"restriction":{"limits":[1,9007199254740993]}}');
      expectProblem(unsafe, 400, 'REQUEST.INVALID');
      expect(fieldsOf(unsafe)).toEqual(['restriction.limits.1']);

      const long = await post('/v1/funds', `{"amount":0.${'0'.repeat(60)}1}`);
      expectProblem(long, 400, 'REQUEST.INVALID');
      expect(fieldsOf(long)).toEqual(['amount']);

      expectProblem(await post('/v1/funds', '9'.repeat(400)), 400, 'REQUEST.INVALID');
      expectProblem(await post(APPROVE, '{"x":-1e999}'), 400, 'REQUEST.INVALID');
    });

    it('refuses a body that is not a JSON object', async () => {
      for (const body of ['[1,2]', '"general"', '42', 'null', 'true']) {
        expectProblem(await post('/v1/funds', body), 400, 'REQUEST.MALFORMED');
      }
      expectProblem(await post(APPROVE, '[]'), 400, 'REQUEST.MALFORMED');
    });

    it('refuses malformed JSON and prototype poisoning', async () => {
      expectProblem(await post('/v1/funds', '{"code": '), 400, 'REQUEST.MALFORMED');
      expectProblem(await post('/v1/funds', '{"__proto__":{"admin":true}}'), 400, 'REQUEST.MALFORMED');
      expectProblem(await post('/v1/funds', '{"constructor":{"prototype":{"admin":true}}}'), 400, 'REQUEST.MALFORMED');
    });

    it('refuses lone UTF-16 surrogates in strings and keys, naming the field', async () => {
      const value = await post('/v1/funds', '{"code":"general","restriction":{"purpose":"roof \\ud800"}}');
      expectProblem(value, 400, 'REQUEST.INVALID');
      expect(fieldsOf(value)).toEqual(['restriction.purpose']);
      const key = await post('/v1/funds', '{"\\udc00":"x"}');
      expectProblem(key, 400, 'REQUEST.INVALID');
      expect(fieldsOf(key)).toHaveLength(1);
    });
  });

  describe('only application/json bodies', () => {
    it('answers 415 to form, text and multipart bodies, so a form can never create a record', async () => {
      const form = await post('/v1/cooperatives', 'name=Bakery&sector=food&contact=a%40b.org', {
        'content-type': 'application/x-www-form-urlencoded',
      });
      expectProblem(form, 415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE');
      expectProblem(await post('/v1/funds', 'code=general', { 'content-type': 'application/x-www-form-urlencoded' }), 415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE');
      expectProblem(await post('/v1/funds', '{"code":"general"}', { 'content-type': 'text/plain' }), 415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE');
      const multipart = '--b\r\nContent-Disposition: form-data; name="code"\r\n\r\ngeneral\r\n--b--\r\n';
      expectProblem(await post('/v1/funds', multipart, { 'content-type': 'multipart/form-data; boundary=b' }), 415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE');
    });

    it('answers 413 to a body over the limit', async () => {
      expectProblem(await post('/v1/funds', JSON.stringify({ name: 'x'.repeat(70_000) })), 413, 'REQUEST.BODY_TOO_LARGE');
    });
  });

  describe('routes and URLs', () => {
    it('answers an unknown route with 404 ROUTE.NOT_FOUND', async () => {
      expectProblem(await t.request('GET', '/v1/nothing-here', { token: steward }), 404, 'ROUTE.NOT_FOUND');
      expectProblem(await t.request('POST', '/v1/nothing-here', { token: steward, body: {} }), 404, 'ROUTE.NOT_FOUND');
    });

    it('answers a known path with the wrong method with 405 and Allow', async () => {
      const inject = async (method: 'DELETE' | 'PUT' | 'PATCH' | 'GET', url: string): Promise<TestResponse> => {
        const res = await t.app.inject({ method, url, headers: { authorization: `Bearer ${steward}` } });
        return { status: res.statusCode, headers: res.headers, body: JSON.parse(res.body), text: res.body };
      };
      const funds = await inject('DELETE', '/v1/funds');
      expectProblem(funds, 405, 'ROUTE.METHOD_NOT_ALLOWED');
      expect(String(funds.headers.allow).split(', ').sort()).toEqual(['GET', 'HEAD', 'POST']);
      const fund = await inject('PUT', `/v1/funds/${MOVEMENT}`);
      expectProblem(fund, 405, 'ROUTE.METHOD_NOT_ALLOWED');
      expect(String(fund.headers.allow).split(', ').sort()).toEqual(['GET', 'HEAD']);
      const approve = await inject('GET', APPROVE);
      expectProblem(approve, 405, 'ROUTE.METHOD_NOT_ALLOWED');
      expect(approve.headers.allow).toBe('POST');
      // A path that only differs by a trailing slash is no route at all.
      expectProblem(await t.request('GET', '/v1/funds/', { token: steward }), 404, 'ROUTE.NOT_FOUND');
    });

    it('answers a bad percent-encoding and an overlong path segment with a problem document', async () => {
      expectProblem(await t.request('GET', '/v1/funds/%E0%A4%A', { token: steward }), 400, 'REQUEST.BAD_URL');
      expectProblem(await t.request('GET', `/v1/funds/${'a'.repeat(500)}`, { token: steward }), 414, 'REQUEST.URI_TOO_LONG');
    });
  });

  describe('routes hold to their declared inputs', () => {
    it('refuses a non-empty body on a route that takes none, naming each field', async () => {
      const res = await post(APPROVE, '{"x":1,"note":"hi"}');
      expectProblem(res, 400, 'REQUEST.INVALID');
      expect(fieldsOf(res).sort()).toEqual(['note', 'x']);
      // An empty object or no body at all is no body: the route itself answers (no such transfer).
      expect((await post(APPROVE, '{}')).body.code).not.toBe('REQUEST.INVALID');
      expect((await t.request('POST', APPROVE, { token: steward })).body.code).not.toBe('REQUEST.INVALID');
    });

    it('refuses query parameters on a route that declares none, naming each', async () => {
      const res = await post(`${APPROVE}?x=1&force=true`, '{}');
      expectProblem(res, 400, 'REQUEST.INVALID');
      expect(fieldsOf(res).sort()).toEqual(['force', 'x']);
      expectProblem(await t.request('GET', '/health/live?verbose=1'), 400, 'REQUEST.INVALID');
    });

    it('still checks the token first', async () => {
      const res = await t.request('POST', `${APPROVE}?x=1`, { rawBody: '{"x":1}' });
      expectProblem(res, 401, 'AUTH.UNAUTHENTICATED');
    });
  });

  describe('401', () => {
    it('carries WWW-Authenticate: Bearer', async () => {
      const none = await t.request('GET', '/v1/funds');
      expectProblem(none, 401, 'AUTH.UNAUTHENTICATED');
      expect(none.headers['www-authenticate']).toMatch(/^Bearer\b/);
      const unknown = await t.request('GET', '/v1/funds', { token: `mal_${'A'.repeat(43)}` });
      expectProblem(unknown, 401, 'AUTH.UNAUTHENTICATED');
      expect(unknown.headers['www-authenticate']).toMatch(/^Bearer\b/);
    });
  });
});

describe('problem filter', () => {
  const request = { url: '/v1/example?x=1' } as FastifyRequest;

  it('turns a domain error naming a field (or fields) into errors[], keeping other details', () => {
    const filter = new ProblemDetailsFilter();
    const one = filter.toProblem(new DomainError('REQUEST.INVALID_DATE', 'asOf is not a calendar date.', 400, { field: 'asOf', asOf: 'x' }), request);
    expect(one).toMatchObject({ status: 400, code: 'REQUEST.INVALID_DATE', asOf: 'x', errors: [{ field: 'asOf', messages: ['asOf is not a calendar date.'] }] });
    expect(one).not.toHaveProperty('field');
    const many = filter.toProblem(new DomainError('LOAN.SOURCE', 'One source.', 400, { fields: ['fromFundId', 'fromCooperativeId'] }), request);
    expect(many.errors).toEqual([
      { field: 'fromFundId', messages: ['One source.'] },
      { field: 'fromCooperativeId', messages: ['One source.'] },
    ]);
    expect(many).not.toHaveProperty('fields');
  });

  it('logs an unexpected error as one line, with the first stack frame and nothing of the request', () => {
    const filter = new ProblemDetailsFilter();
    const lines: string[] = [];
    const spy = jest.spyOn(Logger.prototype, 'error').mockImplementation((message: unknown) => {
      lines.push(String(message));
    });
    try {
      const secretRequest = {
        url: '/v1/funds',
        headers: { authorization: 'Bearer mal_secret' },
        body: { name: 'private' },
      } as unknown as FastifyRequest;
      const problem = filter.toProblem(new Error('disk went away'), secretRequest);
      expect(problem).toMatchObject({ status: 500, code: 'INTERNAL' });
      expect(lines).toHaveLength(1);
      expect(lines[0]).not.toContain('\n');
      expect(lines[0]).toContain('disk went away');
      expect(lines[0]).toMatch(/ at /);
      expect(lines[0]).not.toContain('mal_secret');
      expect(lines[0]).not.toContain('private');
    } finally {
      spy.mockRestore();
    }
  });
});

describe('the service with its log on a full disk', () => {
  const full = existsSync('/dev/full') ? it : it.skip;

  full('keeps running and answering when stdout and stderr cannot be written', async () => {
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'ledger-full-log-'));
    const log = openSync('/dev/full', 'w');
    const service = spawn(process.execPath, [join(__dirname, '..', 'dist', 'src', 'main.js')], {
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LEDGER_DATA_DIR: dataDir, LEDGER_SEED_FUNDS: 'none' },
      stdio: ['ignore', log, log],
    });
    let exited: number | null = null;
    service.on('exit', (code) => (exited = code ?? -1));
    try {
      let status = 0;
      for (let i = 0; i < 100 && exited === null && status !== 200; i++) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        status = await fetch(`http://127.0.0.1:${port}/health/live`).then((r) => r.status, () => 0);
      }
      expect(exited).toBeNull();
      expect(status).toBe(200);
      // Startup already logged a dozen lines into the full disk; it still answers, and keeps doing so.
      expect((await fetch(`http://127.0.0.1:${port}/v1/nothing`)).status).toBe(404);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(exited).toBeNull();
    } finally {
      service.kill('SIGTERM');
      await new Promise((resolve) => (exited === null ? service.on('exit', resolve) : resolve(undefined)));
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 40_000);
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
