import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { POSTGRES_URL, TestDatabase, createTestDatabase } from './support/postgres';
import { Instance, runCli, startInstance } from './support/instances';

/**
 * Two service processes on one PostgreSQL log, each with its own data directory and read
 * models, as two instances behind a load balancer: they take concurrent commands on the same
 * funds, a client reads its write on the other instance, a retried request lands on the other
 * instance, and the log and both instances' read models check out afterwards. Runs when
 * LEDGER_POSTGRES_URL is set (`.ci/run` sets it), in a database of its own; skipped otherwise.
 */
const suite = POSTGRES_URL ? describe : describe.skip;

suite('two instances on one PostgreSQL log', () => {
  let database: TestDatabase;
  let env: Record<string, string>;
  let a: Instance;
  let b: Instance;
  let steward: string;
  let steward2: string;
  let funds: Record<string, string>;

  /** B does not seal (A does): its CLI writes leave sealing to A as well. */
  const envOf = (dataDir: string) => (dataDir === b?.dataDir ? { ...env, LEDGER_SEAL_INTERVAL_SECONDS: '0' } : env);
  const token = (role: string, name: string, scratch: string): string => {
    const created = runCli(scratch, envOf(scratch), ['tokens', 'create', '--role', role, '--name', name]);
    if (created.status !== 0) throw new Error(`token: ${created.stderr}`);
    return created.stdout.trim().split('\n').pop()!;
  };

  beforeAll(async () => {
    database = await createTestDatabase('instances');
    env = { LEDGER_STORE: 'postgres', LEDGER_POSTGRES_URL: database.url, LEDGER_VERIFY_INTERVAL_SECONDS: '0' };
    // Both start at once on the empty log: the funds are seeded once, by whichever wins. One
    // instance seals (signs tree heads); the other trusts its key, so both verify the seals.
    [a, b] = await Promise.all([startInstance('a', env), startInstance('b', { ...env, LEDGER_SEAL_INTERVAL_SECONDS: '0' })]);
    const sealKey = runCli(a.dataDir, env, ['seal-key']);
    expect(sealKey.status).toBe(0);
    writeFileSync(join(b.dataDir, '..', 'a-seal-key.pem'), sealKey.stdout);
    expect(runCli(b.dataDir, envOf(b.dataDir), ['seal-key', '--trust', join(b.dataDir, '..', 'a-seal-key.pem')]).stdout).toMatch(/^Trusted seal key [0-9a-f]{64}\./);
    steward = token('steward', 'Ana', a.dataDir);
    steward2 = token('steward', 'Bo', b.dataDir);
    const listed = await b.request('GET', '/v1/funds', { token: steward });
    expect(listed.status).toBe(200);
    funds = Object.fromEntries((listed.body.items as Array<{ code: string; fundId: string }>).map((f) => [f.code, f.fundId]));
    expect(Object.keys(funds)).toHaveLength(6);
  }, 240_000);

  afterAll(async () => {
    a?.dispose();
    b?.dispose();
    await database?.drop();
  });

  const income = (instance: Instance, amountMinor: number, headers: Record<string, string> = {}) =>
    instance.request('POST', '/v1/income', {
      token: steward,
      headers,
      body: { fundId: funds.general, source: 'city', category: 'grant', amountMinor, currency: 'USD', effectiveAt: '2026-11-01' },
    });

  it('concurrent commands on the same fund from both instances never overdraw it: the losers are decided again', async () => {
    const before = await a.request('GET', `/v1/funds/${funds.general}/balance`, { token: steward });
    const given = await income(a, 10_000);
    expect(given.status).toBe(201);
    const available = before.body.availableMinor + 10_000;
    const amount = Math.floor(available / 2) - 1; // exactly two fit
    const requests = Array.from({ length: 8 }, (_, i) =>
      (i % 2 === 0 ? a : b).request('POST', '/v1/transfers', {
        token: steward,
        body: { fromFundId: funds.general, toFundId: funds['training-materials'], amountMinor: amount, currency: 'USD' },
      }),
    );
    const answers = await Promise.all(requests);
    const statuses = answers.map((r) => r.status).sort();
    // Two are held; every other is refused on the fund's fresh state, not as a lost race.
    expect(statuses.filter((s) => s === 201)).toHaveLength(2);
    for (const refused of answers.filter((r) => r.status !== 201)) {
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe('FUND.INSUFFICIENT_AVAILABLE');
    }
    // Both instances, once at the last write, show the same balance: two holds, nothing overdrawn.
    const last = Math.max(...answers.filter((r) => r.status === 201).map((r) => Number(r.headers.get('ledger-position'))));
    for (const instance of [a, b]) {
      const balance = await instance.request('GET', `/v1/funds/${funds.general}/balance?minPosition=${last}`, { token: steward });
      expect(balance.body).toMatchObject({ pendingMinor: 2 * amount, availableMinor: available - 2 * amount });
      expect(balance.body.availableMinor).toBeGreaterThanOrEqual(0);
    }
    // A second steward approves one on the other instance than the one that took it.
    const movementId = answers.find((r) => r.status === 201)!.body.movementId as string;
    const approved = await b.request('POST', `/v1/transfers/${movementId}/approve`, { token: steward2, body: {} });
    expect(approved.status).toBe(201);
    expect(approved.body.status).toBe('posted');
  }, 60_000);

  it('reads its own write on the other instance through minPosition', async () => {
    // The writer's own read models may lag the other instance's last write too: its "before"
    // is read at the log's head, so the two figures compare one state with the next.
    let head = (await a.request('GET', '/health', {})).body.checks.store.headPosition as number;
    for (let i = 0; i < 5; i++) {
      const [writer, reader] = i % 2 === 0 ? [a, b] : [b, a];
      const before = await writer.request('GET', `/v1/funds/${funds.general}/balance?minPosition=${head}`, { token: steward });
      expect(before.status).toBe(200);
      const written = await income(writer, 100 + i);
      expect(written.status).toBe(201);
      const position = Number(written.headers.get('ledger-position'));
      const read = await reader.request('GET', `/v1/funds/${funds.general}/balance?minPosition=${position}`, { token: steward });
      expect(read.status).toBe(200);
      expect(read.body.readModelPosition).toBeGreaterThanOrEqual(position);
      expect(read.body.postedMinor).toBe(before.body.postedMinor + 100 + i);
      head = position;
    }
  });

  it('answers a retry that lands on the other instance with the first response, writing nothing', async () => {
    const key = `retry-${Date.now()}`;
    const first = await income(a, 777, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    const head = (await a.request('GET', '/health', {})).body.checks.store.headPosition as number;
    const retried = await income(b, 777, { 'idempotency-key': key });
    expect(retried.status).toBe(201);
    expect(retried.body).toEqual(first.body);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect((await b.request('GET', '/health', {})).body.checks.store.headPosition).toBe(head);
    // The same key with another body is refused on either instance.
    const reused = await income(b, 778, { 'idempotency-key': key });
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('IDEMPOTENCY.KEY_REUSED');
  });

  it('a sustainer registered on one instance is opened and erased on the other; a retried registration there answers the first', async () => {
    const key = `register-${Date.now()}`;
    const body = { displayName: 'Ada Lovelace', email: 'ada@example.org', anonymous: false };
    const registered = await a.request('POST', '/v1/sustainers', { token: steward, headers: { 'idempotency-key': key }, body });
    expect(registered.status).toBe(201);
    const sustainerId = registered.body.sustainerId as string;
    const position = Number(registered.headers.get('ledger-position'));
    // The retry lands on B: the same keyed fingerprint (one pepper for both), so the first answer, nothing written.
    const retried = await b.request('POST', '/v1/sustainers', { token: steward, headers: { 'idempotency-key': key }, body });
    expect(retried.status).toBe(201);
    expect(retried.body).toEqual(registered.body);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    // B opens the person's data with the key A made.
    const onB = await b.request('GET', `/v1/sustainers/${sustainerId}?minPosition=${position}`, { token: steward });
    expect(onB.status).toBe(200);
    expect(onB.body).toMatchObject({ sustainerId, displayName: 'Ada Lovelace', email: 'ada@example.org', erased: false });
    // Erased on B: the key is gone for both at once, even before A's read models have the erasure.
    const erased = await b.request('POST', `/v1/sustainers/${sustainerId}/erase`, { token: steward, body: {} });
    expect(erased.status).toBe(201);
    const onANow = await a.request('GET', `/v1/sustainers/${sustainerId}`, { token: steward });
    expect(onANow.status).toBe(200);
    expect(onANow.body.displayName).toBeNull();
    expect(onANow.body.email).toBeNull();
    const onALater = await a.request('GET', `/v1/sustainers/${sustainerId}?minPosition=${erased.headers.get('ledger-position')}`, { token: steward });
    expect(onALater.body).toMatchObject({ erased: true, displayName: null, email: null, postalAddress: null });
    // Neither instance keeps a keys.db of its own: the keys are in PostgreSQL only.
    for (const instance of [a, b]) expect(existsSync(join(instance.dataDir, 'keys.db'))).toBe(false);
  });

  it('an instance killed with SIGKILL in the middle of writes leaves no partial append; it restarts and catches up', async () => {
    const attempt = (instance: Instance) =>
      income(instance, 1).then(
        (r) => r.status,
        () => 'lost',
      );
    const onA = Array.from({ length: 40 }, () => attempt(a));
    const onB = Array.from({ length: 40 }, () => attempt(b));
    await new Promise((r) => setTimeout(r, 60));
    await a.stop('SIGKILL');
    const [fromA, fromB] = await Promise.all([Promise.all(onA), Promise.all(onB)]);
    expect(fromB.every((s) => s === 201)).toBe(true);
    expect(fromA.every((s) => s === 201 || s === 'lost')).toBe(true);
    // What B now shows is the log: every append there is whole (verified below), and A, restarted
    // on its own read models, reaches the same balance from its checkpoint.
    const head = (await b.request('GET', '/health', {})).body.checks.store.headPosition as number;
    const onBNow = await b.request('GET', `/v1/funds/${funds.general}/balance?minPosition=${head}`, { token: steward });
    await a.restart();
    const onANow = await a.request('GET', `/v1/funds/${funds.general}/balance?minPosition=${head}`, { token: steward });
    expect(onANow.body).toEqual(onBNow.body);
  }, 180_000);

  it('leaves a log that verifies, and read models on both instances that replay identically', async () => {
    await Promise.all([a.stop(), b.stop()]);
    for (const instance of [a, b]) {
      const verified = instance.cli(['verify']);
      expect(verified.stdout).toMatch(/^OK: \d+ events/);
      expect(verified.status).toBe(0);
      const replayed = instance.cli(['replay']);
      expect(replayed.stdout).toMatch(/^OK: /);
      expect(replayed.status).toBe(0);
    }
  }, 180_000);
});
