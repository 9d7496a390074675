import { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { freePort, ledgerCli, startService } from './support/processes';

/**
 * `ledger tokens create` against the data of a running service, as an operator does it: the
 * token's subject must exist, and the token works on the very next request.
 */
// Each test starts the compiled CLI several times (a second or more each on a loaded 2-core machine).
jest.setTimeout(120_000);

describe('ledger tokens create against a running service', () => {
  let dataDir: string;
  let service: ChildProcess;
  let base: string;
  let steward: string;

  const create = (...args: string[]) => ledgerCli(dataDir, ['tokens', 'create', '--name', 'Test holder', ...args]);
  const secretOf = (out: { stdout: string }) => out.stdout.trim().split('\n').pop()!;
  const call = (method: string, path: string, token: string, body?: unknown) =>
    fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
  const head = () => {
    const db = new Database(join(dataDir, 'events.db'), { readonly: true });
    try {
      // The service's follower may append a seal at any moment; nothing else may be written.
      return (db.prepare("SELECT COALESCE(MAX(global_position), 0) AS head FROM events WHERE stream_id != 'ledger-seals'").get() as { head: number }).head;
    } finally {
      db.close();
    }
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-tokens-'));
    const port = freePort();
    base = `http://127.0.0.1:${port}`;
    service = await startService(dataDir, port);
  }, 60_000);

  afterAll(async () => {
    if (service && service.exitCode === null) {
      const exited = new Promise((resolve) => service.once('exit', resolve));
      service.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a token works on the first request after tokens create returns', async () => {
    for (let i = 0; i < 5; i++) {
      const created = create('--role', i === 0 ? 'steward' : 'auditor');
      expect(created.status).toBe(0);
      const secret = secretOf(created);
      if (i === 0) steward = secret;
      expect((await call('GET', '/v1/funds', secret)).status).toBe(200);
    }
  });

  it('binds a cooperative or sustainer token only to one that exists and was not erased', async () => {
    const coop = await call('POST', '/v1/cooperatives', steward, { name: 'Riverside Bakery', sector: 'food', contact: 'hello@riverside.coop' });
    expect(coop.status).toBe(201);
    const cooperativeId = ((await coop.json()) as { cooperativeId: string }).cooperativeId;
    const person = await call('POST', '/v1/sustainers', steward, { displayName: 'Ada Example', anonymous: false });
    expect(person.status).toBe(201);
    const sustainerId = ((await person.json()) as { sustainerId: string }).sustainerId;
    const erased = await call('POST', '/v1/sustainers', steward, { displayName: 'Bea Gone', anonymous: true });
    const erasedId = ((await erased.json()) as { sustainerId: string }).sustainerId;
    expect((await call('POST', `/v1/sustainers/${erasedId}/erase`, steward)).status).toBe(201);

    const before = head();
    const refusals: Array<[string[], string]> = [
      [['--role', 'cooperative', '--subject', '0190f4a2-6c1e-7a3b-9d2e-4f5a6b7c8d9e'], 'TOKEN.SUBJECT_NOT_FOUND'],
      [['--role', 'cooperative', '--subject', sustainerId], 'TOKEN.SUBJECT_NOT_FOUND'],
      [['--role', 'sustainer', '--subject', cooperativeId], 'TOKEN.SUBJECT_NOT_FOUND'],
      [['--role', 'sustainer', '--subject', 'not-an-id'], 'TOKEN.SUBJECT_NOT_FOUND'],
      [['--role', 'sustainer', '--subject', erasedId], 'TOKEN.SUBJECT_ERASED'],
      [['--role', 'sustainer'], 'TOKEN.SUBJECT_REQUIRED'],
      [['--role', 'cooperative'], 'TOKEN.SUBJECT_REQUIRED'],
      [['--role', 'steward', '--subject', cooperativeId], 'TOKEN.SUBJECT_NOT_ALLOWED'],
      [['--role', 'auditor', '--subject', sustainerId], 'TOKEN.SUBJECT_NOT_ALLOWED'],
    ];
    for (const [args, code] of refusals) {
      const refused = create(...args);
      expect({ args, status: refused.status, code: /\((TOKEN\.[A-Z_]+)\)/.exec(refused.stderr)?.[1] }).toEqual({ args, status: 1, code });
      expect(refused.stdout).toBe('');
    }
    expect(head()).toBe(before);

    const coopToken = create('--role', 'cooperative', '--subject', cooperativeId);
    expect(coopToken.status).toBe(0);
    expect((await call('GET', `/v1/cooperatives/${cooperativeId}`, secretOf(coopToken))).status).toBe(200);
    const sustainerToken = create('--role', 'sustainer', '--subject', sustainerId);
    expect(sustainerToken.status).toBe(0);
    expect((await call('GET', `/v1/sustainers/${sustainerId}`, secretOf(sustainerToken))).status).toBe(200);
  });

  it('still answers 401 at once to a well-formed token nobody issued', async () => {
    const started = Date.now();
    expect((await call('GET', '/v1/funds', `mal_${'A'.repeat(43)}`)).status).toBe(401);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
