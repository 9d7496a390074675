import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventCatalogue, S } from '../event-store/event-catalogue';
import { EventStore } from '../event-store/event-store.port';
import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store';
import { SystemClock } from '../shared/clock';
import { DomainError } from '../shared/domain-error';
import { CommandContext } from './command-context';
import { COMMAND_EVENTS, CommandOutcome, CommandRunner } from './command-runner';

type ApprovalEvent = { type: 'Approved'; data: { by: string } };
type ApprovalState = { approved: boolean };

/** A one-shot decision, like approving a transfer: deciding it twice is refused. */
const approvals = {
  initialState: (): ApprovalState => ({ approved: false }),
  evolve: (_state: ApprovalState, _event: ApprovalEvent): ApprovalState => ({ approved: true }),
};

const catalogue = new EventCatalogue([...COMMAND_EVENTS, { type: 'Approved', schemaVersion: 1, data: S.object({ by: S.text(50) }) }]);

function context(key: string | undefined, fingerprint = 'approve-1'): CommandContext {
  return {
    actor: { id: 'token:steward', role: 'steward' },
    correlationId: 'c',
    causationId: 'c',
    now: new Date('2026-04-01T10:00:00.000Z'),
    ...(key ? { idempotencyKey: key, fingerprint } : {}),
  };
}

function approve(runner: CommandRunner, ctx: CommandContext, stream = 'transfer-1'): Promise<CommandOutcome<{ approved: string }>> {
  return runner.run(ctx, async () => {
    const { state, expected } = await runner.load(stream, approvals);
    if (state.approved) throw new DomainError('TRANSFER.ALREADY_DECIDED', 'Already decided.', 409);
    // Lets other requests interleave between reading the state and appending, as real I/O does.
    await new Promise((resolve) => setImmediate(resolve));
    return {
      appends: [{ streamId: stream, expected, events: [{ type: 'Approved', schemaVersion: 1, data: { by: 'steward' } }] }],
      response: { approved: stream },
    };
  });
}

async function settle<T>(work: Promise<T>[]): Promise<Array<{ ok: true; value: T } | { ok: false; code: string }>> {
  return Promise.all(work.map((p) => p.then((value) => ({ ok: true as const, value }), (error: DomainError) => ({ ok: false as const, code: error.code }))));
}

describe('CommandRunner idempotency under a race', () => {
  let dir: string;
  let stores: EventStore[];
  const openStore = () => {
    const store = new SqliteEventStore({ file: join(dir, 'events.db'), clock: new SystemClock(), synchronous: 'NORMAL' });
    stores.push(store);
    return store;
  };
  const effects = async (store: EventStore) => {
    let n = 0;
    for await (const e of store.readAll()) if (e.type === 'Approved') n += 1;
    return n;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-runner-'));
    stores = [];
  });

  afterEach(async () => {
    for (const store of stores) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 50 concurrent identical requests with one effect and the winner’s answer', async () => {
    const store = openStore();
    const runner = new CommandRunner(store, catalogue);
    const results = await settle(Array.from({ length: 50 }, () => approve(runner, context('key-1'))));
    expect(results.filter((r) => !r.ok)).toEqual([]);
    const outcomes = results.map((r) => (r.ok ? r.value : undefined)!);
    expect(outcomes.filter((o) => !o.replayed)).toHaveLength(1);
    const winner = outcomes.find((o) => !o.replayed)!;
    for (const o of outcomes) expect({ response: o.response, position: o.position }).toEqual({ response: winner.response, position: winner.position });
    expect(await effects(store)).toBe(1);
  });

  it('answers the winner’s answer across runners that share no locks (two processes on one store)', async () => {
    const runners = [new CommandRunner(openStore(), catalogue), new CommandRunner(openStore(), catalogue)];
    const results = await settle(Array.from({ length: 50 }, (_, i) => approve(runners[i % 2], context('key-2'))));
    expect(results.filter((r) => !r.ok)).toEqual([]);
    const outcomes = results.map((r) => (r.ok ? r.value : undefined)!);
    expect(outcomes.filter((o) => !o.replayed)).toHaveLength(1);
    expect(new Set(outcomes.map((o) => o.position)).size).toBe(1);
    expect(await effects(stores[0])).toBe(1);
  });

  it('still refuses the same key with a different request, racing or not', async () => {
    const store = openStore();
    const runner = new CommandRunner(store, catalogue);
    const results = await settle([
      approve(runner, context('key-3', 'approve-1')),
      ...Array.from({ length: 10 }, () => approve(runner, context('key-3', 'approve-other'))),
    ]);
    expect(results[0].ok).toBe(true);
    expect(results.slice(1).map((r) => (r.ok ? 'ok' : r.code))).toEqual(Array(10).fill('IDEMPOTENCY.KEY_REUSED'));
    await expect(approve(runner, context('key-3', 'approve-other'))).rejects.toMatchObject({ code: 'IDEMPOTENCY.KEY_REUSED' });
  });

  it('answers a duplicate that lost the race in another process as the winner was answered, not ALREADY_DECIDED', async () => {
    const winnerRunner = new CommandRunner(openStore(), catalogue);
    const lateRunner = new CommandRunner(openStore(), catalogue);
    const first = await approve(winnerRunner, context('key-4'));
    // The late runner looked the key up before the winner committed (simulated by a lookup that
    // finds nothing the first time), then decides on fresh state and is refused by the decider.
    const lookups = jest.spyOn(lateRunner as unknown as { earlierAnswer: () => Promise<unknown> }, 'earlierAnswer');
    lookups.mockResolvedValueOnce(undefined);
    const late = await approve(lateRunner, context('key-4'));
    expect(late).toEqual({ response: first.response, position: first.position, replayed: true });
    expect(lookups).toHaveBeenCalledTimes(2);
  });

  it('without a key, a duplicate is refused as the decider says', async () => {
    const runner = new CommandRunner(openStore(), catalogue);
    await approve(runner, context(undefined));
    await expect(approve(runner, context(undefined))).rejects.toMatchObject({ code: 'TRANSFER.ALREADY_DECIDED' });
  });
});

describe('CommandRunner folds events at their current shape', () => {
  it('upcasts an event written at an older schema version before the decider sees it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-runner-'));
    const store = new SqliteEventStore({ file: join(dir, 'events.db'), clock: new SystemClock(), synchronous: 'NORMAL' });
    try {
      const upcasting = new EventCatalogue([
        { type: 'Named', schemaVersion: 2, data: S.object({ fullName: S.text(50) }), upcasters: [{ from: 1, data: S.object({ name: S.text(50) }), upcast: (d: { name: string }) => ({ fullName: d.name }) }] },
      ]);
      const metadata = { actorId: 'test', actorRole: 'steward', correlationId: 'c', causationId: 'c' };
      await store.append('named-1', [{ type: 'Named', schemaVersion: 1, data: { name: 'Ana' } }], 'no_stream', metadata);
      const seen: unknown[] = [];
      const folding = { initialState: () => null, evolve: (_: unknown, event: { data: unknown }) => (seen.push(event.data), null) };
      await new CommandRunner(store, upcasting).load('named-1', folding);
      expect(seen).toEqual([{ fullName: 'Ana' }]);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

type AccountEvent = { type: 'Credited' | 'Debited'; data: { amount: number } };

/** A toy account that must never go below zero: the shape of a fund's available balance. */
const account = {
  initialState: (): { balance: number } => ({ balance: 0 }),
  evolve: (state: { balance: number }, event: AccountEvent) => ({
    balance: state.balance + (event.type === 'Credited' ? event.data.amount : -event.data.amount),
  }),
};

describe('CommandRunner deciding against appends in flight (a hot stream)', () => {
  const accounts = new EventCatalogue([
    ...COMMAND_EVENTS,
    { type: 'Credited', schemaVersion: 1, data: S.object({ amount: S.minor }) },
    { type: 'Debited', schemaVersion: 1, data: S.object({ amount: S.minor }) },
    { type: 'Marked', schemaVersion: 1, data: S.object({}) },
  ]);
  let dir: string;
  let store: SqliteEventStore;
  let runner: CommandRunner;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-runner-hot-'));
    store = new SqliteEventStore({ file: join(dir, 'events.db'), clock: new SystemClock(), synchronous: 'NORMAL' });
    runner = new CommandRunner(store, accounts);
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /**
   * A debit under the account's lock; with `alsoCreate`, the same append also creates a stream
   * that may already exist, so the whole append fails in the writer after later debits were
   * already decided against it.
   */
  const debit = (amount: number, alsoCreate?: string) =>
    runner.run(context(undefined), async () => {
      const { state, expected } = await runner.load('account-1', account);
      if (state.balance < amount) throw new DomainError('FUND.INSUFFICIENT_AVAILABLE', 'Not enough.', 409);
      return {
        appends: [
          { streamId: 'account-1', expected, events: [{ type: 'Debited', schemaVersion: 1, data: { amount } }] },
          ...(alsoCreate ? [{ streamId: alsoCreate, expected: 'no_stream' as const, events: [{ type: 'Marked', schemaVersion: 1, data: {} }] }] : []),
        ],
        response: { amount },
      };
    }, { locks: ['account-1'], onConflict: (e) => (e.streamId === alsoCreate ? new DomainError('MARK.TAKEN', 'Taken.', 409) : undefined) });

  /** Opens the account with a first credit. */
  const openAccount = (amount: number) =>
    runner.run(context(undefined), async () => ({
      appends: [{ streamId: 'account-1', expected: 'no_stream' as const, events: [{ type: 'Credited', schemaVersion: 1, data: { amount } }] }],
      response: {},
    }));

  const balanceInLog = async () => {
    let balance = 0;
    for await (const e of store.readStream('account-1')) balance = account.evolve({ balance }, e as unknown as AccountEvent).balance;
    return balance;
  };

  it('the store commits in call order, so decisions need not wait for the previous fsync', () => {
    expect(store.appendsInCallOrder).toBe(true);
  });

  it('never overdraws when debits race and appends they were decided against fail', async () => {
    await runner.run(context(undefined), async () => ({
      appends: [
        { streamId: 'account-1', expected: 'no_stream', events: [{ type: 'Credited', schemaVersion: 1, data: { amount: 1000 } }] },
        { streamId: 'mark-taken', expected: 'no_stream', events: [{ type: 'Marked', schemaVersion: 1, data: {} }] },
      ],
      response: {},
    }));
    // 40 debits of 30 race for 1000; every fifth one also tries to create a stream that exists,
    // so its whole append fails in the writer after later debits took its outcome for granted.
    const results = await settle(Array.from({ length: 40 }, (_, i) => debit(30, i % 5 === 0 ? 'mark-taken' : undefined)));
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.code)).toEqual(Array(8).fill('MARK.TAKEN'));
    expect(results.filter((r) => r.ok).length).toBe(32);
    expect(await balanceInLog()).toBe(1000 - 32 * 30);
    // Then the rest of the money, and not a cent more, however they race.
    const more = await settle(Array.from({ length: 10 }, () => debit(30)));
    expect(more.filter((r) => r.ok).length).toBe(1);
    expect(more.filter((r) => !r.ok).map((r) => !r.ok && r.code)).toEqual(Array(9).fill('FUND.INSUFFICIENT_AVAILABLE'));
    expect(await balanceInLog()).toBe(10);
    // The cached state is the log's: a fresh runner reading the log decides the same.
    expect((await runner.load('account-1', account)).state.balance).toBe(10);
    expect((await new CommandRunner(store, accounts).load('account-1', account)).state.balance).toBe(10);
  });

  it('decides a second debit against the first before the first is durable', async () => {
    await openAccount(100);
    const appended: number[] = [];
    const original = store.appendToStreams.bind(store);
    // Count appends sent while an earlier one is still in flight.
    let inFlight = 0;
    let overlapped = 0;
    store.appendToStreams = (appends, metadata) => {
      if (inFlight > 0) overlapped += 1;
      inFlight += 1;
      appended.push(appends.length);
      return original(appends, metadata).finally(() => (inFlight -= 1));
    };
    const results = await settle(Array.from({ length: 20 }, () => debit(10)));
    expect(results.filter((r) => r.ok).length).toBe(10);
    expect(await balanceInLog()).toBe(0);
    // With the lock held until each commit, no debit would ever be sent while another is in flight.
    expect(overlapped).toBeGreaterThan(0);
  });

  it('answers a stream loaded twice in one plan from the first load, and reads it again in the next command', async () => {
    await openAccount(50);
    const reads: string[] = [];
    const original = store.readStream.bind(store);
    store.readStream = (streamId, options) => {
      reads.push(streamId);
      return original(streamId, options);
    };
    const seen: number[] = [];
    const twice = () =>
      runner.run(context(undefined), async () => {
        const first = await runner.load('account-1', account);
        const second = await runner.load('account-1', account);
        expect(second).toBe(first);
        seen.push(first.state.balance);
        return { appends: [{ streamId: 'account-1', expected: first.expected, events: [{ type: 'Debited', schemaVersion: 1, data: { amount: 10 } }] }], response: {} };
      }, { locks: ['account-1'] });
    await twice();
    await twice();
    // One read per command (the catch-up read of the cached state), not one per load.
    expect(reads).toEqual(['account-1', 'account-1']);
    expect(seen).toEqual([50, 40]);
    expect(await balanceInLog()).toBe(30);
  });
});
