import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';
import { verifySignature, WEBHOOK_HEADERS } from '../src/modules/webhooks/delivery/webhook-signature';
import { POSTGRES_URL, TestDatabase, createTestDatabase } from './support/postgres';
import { Instance, runCli, startInstance } from './support/instances';
import { freePort } from './support/processes';

/**
 * Two service processes on one PostgreSQL log, each with its own data directory and read
 * models, as two instances behind a load balancer, started with the same environment: they take
 * concurrent commands on the same funds, a client reads its write on the other instance, a
 * retried request lands on the other instance; exactly one of them (the singleton lease's
 * holder) seals and delivers webhooks, and when it is killed the other takes over on one seal
 * chain; the log and both instances' read models check out afterwards. Runs when
 * LEDGER_POSTGRES_URL is set (`.ci/run` sets it), in a database of its own; skipped otherwise.
 */

/** A webhook receiver in the test process: records each request, answers 204. */
class Receiver {
  readonly received: Array<{ headers: IncomingMessage['headers']; body: string; events: Array<{ eventId: string; globalPosition: number }> }> = [];
  private server?: Server;
  url = '';

  async listen(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (c: Buffer) => chunks.push(c));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        this.received.push({ headers: request.headers, body, events: JSON.parse(body).events });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/hooks`;
  }

  events(): string[] {
    return this.received.flatMap((r) => r.events.map((e) => e.eventId));
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}
const suite = POSTGRES_URL ? describe : describe.skip;

suite('two instances on one PostgreSQL log', () => {
  let database: TestDatabase;
  let env: Record<string, string>;
  let a: Instance;
  let b: Instance;
  let steward: string;
  let steward2: string;
  let funds: Record<string, string>;
  const receiver = new Receiver();

  const token = (role: string, name: string, scratch: string): string => {
    const created = runCli(scratch, env, ['tokens', 'create', '--role', role, '--name', name]);
    if (created.status !== 0) throw new Error(`token: ${created.stderr}`);
    return created.stdout.trim().split('\n').pop()!;
  };

  beforeAll(async () => {
    database = await createTestDatabase('instances');
    // The same environment for both: sealing every 2 s, so that the tests see seals soon, and a
    // Kafka relay towards a port where no broker listens (none runs here), so that /health shows
    // which instance runs it.
    env = {
      LEDGER_STORE: 'postgres',
      LEDGER_POSTGRES_URL: database.url,
      LEDGER_VERIFY_INTERVAL_SECONDS: '0',
      LEDGER_SEAL_INTERVAL_SECONDS: '2',
      KAFKA_BROKERS: `127.0.0.1:${freePort()}`,
    };
    // Both start at once on the empty log: the funds are seeded once, by whichever wins; the
    // shared tables are made once; one takes the singleton lease.
    [a, b] = await Promise.all([startInstance('a', env), startInstance('b', env)]);
    await receiver.listen();
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
    await receiver.close();
    await database?.drop();
  });

  const checks = async (instance: Instance) => (await instance.request('GET', '/health', {})).body.checks;
  /** The LogSealed events of the log, in order, straight from PostgreSQL. */
  const seals = async (): Promise<Array<{ treeSize: number; rootHash: string; lastPosition: number; keyId: string; previousSeal: { treeSize: number; rootHash: string } | null }>> => {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ data: string }>("SELECT data FROM ledger_events WHERE stream_id = 'ledger-seals' AND type = 'LogSealed' ORDER BY global_position");
      return rows.map((r) => JSON.parse(r.data));
    } finally {
      await client.end();
    }
  };
  const sealedUpTo = async (position: number) => ((await seals()).at(-1)?.lastPosition ?? 0) >= position;
  /** One chain: each seal links to the one before it, no tree size twice, one key. */
  const expectOneChain = (chain: Awaited<ReturnType<typeof seals>>) => {
    expect(chain.length).toBeGreaterThan(0);
    expect(chain[0].previousSeal).toBeNull();
    for (let i = 1; i < chain.length; i++) {
      expect(chain[i].previousSeal).toEqual({ treeSize: chain[i - 1].treeSize, rootHash: chain[i - 1].rootHash });
      expect(chain[i].treeSize).toBeGreaterThan(chain[i - 1].treeSize);
    }
    expect(new Set(chain.map((s) => s.treeSize)).size).toBe(chain.length);
    expect(new Set(chain.map((s) => s.keyId)).size).toBe(1);
  };

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

  it('refuses to start an instance given another key-encryption key than the shared keys are wrapped under', async () => {
    const other = Buffer.alloc(32, 7).toString('base64');
    await expect(startInstance('wrong-kek', { ...env, LEDGER_KEK: other })).rejects.toThrow(/is wrapped under key-encryption key [0-9a-f]{16}/);
  }, 120_000);

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
    // The same balance; the read models' position may differ by a seal appended in between.
    const balance = ({ readModelPosition: _position, ...rest }: Record<string, unknown>) => rest;
    expect(balance(onANow.body)).toEqual(balance(onBNow.body));
    expect(onANow.body.readModelPosition).toBeGreaterThanOrEqual(head);
  }, 180_000);

  it('exactly one instance holds the singleton lease: it seals and delivers each webhook once, signed as the other would', async () => {
    const [onA, onB] = await Promise.all([checks(a), checks(b)]);
    expect([onA.singletons.held, onB.singletons.held].filter(Boolean)).toHaveLength(1);
    // Both name the same holder (host:pid of its process).
    expect(onA.singletons.holder).toMatch(/^.+:\d+$/);
    expect(onB.singletons.holder).toBe(onA.singletons.holder);
    for (const c of [onA, onB]) {
      expect(c.singletons.mode).toBe('postgres');
      expect(c.seals.sealing).toBe(c.singletons.held);
      expect(c.seals.status).toBe('ok');
      // The relay runs (trying to reach its broker) on the holder only; the other is on standby.
      if (c.singletons.held) expect(c.relay.state).not.toBe('stopped');
      else expect(c.relay).toMatchObject({ status: 'standby', state: 'stopped' });
    }
    const [holder, other] = onA.singletons.held ? [a, b] : [b, a];
    // Registered on the instance that does not deliver: the secret it shows is the one the holder signs with.
    const registered = await other.request('POST', '/v1/webhooks', { token: steward, body: { url: receiver.url, eventTypes: ['FundEntryPosted'] } });
    expect(registered.status).toBe(201);
    const { subscriptionId, secret } = registered.body;
    const written: number[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await income(i % 2 ? a : b, 10 + i);
      expect(r.status).toBe(201);
      written.push(Number(r.headers.get('ledger-position')));
    }
    await until('six deliveries', () => receiver.events().length >= 6);
    // Long enough for a second deliverer, if there were one, to deliver them again.
    await new Promise((r) => setTimeout(r, 3000));
    const got = receiver.events();
    expect(got).toHaveLength(6);
    expect(new Set(got).size).toBe(6);
    for (const request of receiver.received) {
      expect(request.headers[WEBHOOK_HEADERS.subscription]).toBe(subscriptionId);
      expect(verifySignature(secret, request.headers[WEBHOOK_HEADERS.signature] as string, request.body)).toBe(true);
    }
    // One checkpoint, shared: both instances show it; the one without the lease is on standby.
    const views = await Promise.all([holder, other].map((i) => i.request('GET', `/v1/webhooks/${subscriptionId}`, { token: steward })));
    expect(views[0].body.delivery).toMatchObject({ state: 'idle', delivered: 6 });
    expect(views[1].body.delivery).toMatchObject({ state: 'standby', delivered: 6, position: views[0].body.delivery.position });
    // Sealed by the holder alone: one chain, one key, covering the writes.
    await until('a seal over the writes', () => sealedUpTo(Math.max(...written)), 15_000);
    expectOneChain(await seals());
  }, 60_000);

  it('when the holder is killed (SIGKILL) the other takes over within seconds: it seals on the same chain and delivers from the shared checkpoint', async () => {
    const [holder, other] = (await checks(a)).singletons.held ? [a, b] : [b, a];
    expect((await checks(other)).singletons.held).toBe(false);
    const before = await seals();
    const killedAt = Date.now();
    await holder.stop('SIGKILL');
    await until('the takeover', async () => (await checks(other)).singletons.held === true, 15_000);
    const takeoverMs = Date.now() - killedAt;
    // Default LEDGER_LEASE_RETRY_SECONDS=2: the next try after PostgreSQL ended the dead session.
    expect(takeoverMs).toBeLessThan(8000);
    const taken = await checks(other);
    expect(taken.seals.sealing).toBe(true);
    await until('the relay on the new holder', async () => (await checks(other)).relay.state !== 'stopped', 5000);
    expect(taken.relay.status).not.toBe('standby');
    const delivered = receiver.events().length;
    const written: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await income(other, 20 + i);
      expect(r.status).toBe(201);
      written.push(Number(r.headers.get('ledger-position')));
    }
    await until('a seal by the new holder', () => sealedUpTo(Math.max(...written)), 15_000);
    const after = await seals();
    expect(after.length).toBeGreaterThan(before.length);
    expect(after.slice(0, before.length)).toEqual(before);
    expectOneChain(after);
    // Deliveries go on from the shared checkpoint: nothing missed (a batch in flight at the kill may come twice).
    await until('the deliveries after the takeover', () => new Set(receiver.events()).size >= delivered + 4);
    // The killed instance comes back on standby: the lease stays where it is.
    await holder.restart();
    const back = await checks(holder);
    expect(back.singletons.held).toBe(false);
    expect(back.singletons.holder).toBe(`${taken.singletons.holder}`);
    expect(back.singletons.holder).toMatch(new RegExp(`:${other.process.pid}$`));
    expect(back.seals).toMatchObject({ status: 'ok', sealing: false });
    expect(back.relay).toMatchObject({ status: 'standby', state: 'stopped' });
    process.stdout.write(`singleton lease takeover after SIGKILL: ${takeoverMs} ms\n`);
  }, 120_000);

  it('leaves a log that verifies, and read models on both instances that replay identically', async () => {
    await Promise.all([a.stop(), b.stop()]);
    for (const instance of [a, b]) {
      // The seals too, by the shared public key: no key was trusted by hand.
      const verified = instance.cli(['verify']);
      expect(verified.stdout).toMatch(/^OK: \d+ events/);
      expect(verified.stdout).toMatch(/^Seals: [1-9]\d* checked;/m);
      expect(verified.status).toBe(0);
      const replayed = instance.cli(['replay']);
      expect(replayed.stdout).toMatch(/^OK: /);
      expect(replayed.status).toBe(0);
    }
  }, 180_000);
});
