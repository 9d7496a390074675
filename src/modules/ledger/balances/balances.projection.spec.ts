import Database from 'better-sqlite3';
import fc from 'fast-check';
import type { RecordedEvent } from '../../../event-store/envelope';
import { applyInBatches } from '../../../projections/testing/batches';
import { balancesProjection, heldKey, postedKey } from './balances.projection';
import { accountBalances, balanceAsOf, balanceAtPosition, currentBalance, currentHeld, journalPage } from './balances.queries';

let position = 0;

function recorded(type: string, data: object, dates: { effectiveAt?: string; recordedAt?: string } = {}): RecordedEvent {
  position += 1;
  return {
    type,
    data,
    eventId: `e${position}`,
    schemaVersion: 1,
    streamId: 'any',
    streamVersion: position,
    recordedAt: dates.recordedAt ?? '2026-03-10T09:00:00.000Z',
    effectiveAt: dates.effectiveAt ?? dates.recordedAt ?? '2026-03-10T09:00:00.000Z',
    metadata: { actorId: 'steward', actorRole: 'steward', correlationId: 'c', causationId: 'c' },
    prevHash: '',
    globalPosition: position,
    hash: '',
  };
}

const posted = (movementId: string, from: string, to: string, amountMinor: number, effectiveAt: string) =>
  recorded('MovementPosted', { movementId, kind: 'income', effectiveAt, postings: [{ from, to, amountMinor, asset: 'USD' }] });

function project(...events: RecordedEvent[]): { db: Database.Database; positions: number[] } {
  const db = new Database(':memory:');
  balancesProjection.setup(db);
  for (const event of events) balancesProjection.apply(db, event);
  return { db, positions: events.map((e) => e.globalPosition) };
}

describe('the balances read model', () => {
  it('moves each posting between two accounts, which sum to zero per asset', () => {
    const { db } = project(
      posted('m1', 'income:grant', 'fund:general', 1000, '2026-03-01T00:00:00.000Z'),
      posted('m2', 'fund:general', 'vendor:acme', 300, '2026-03-05T00:00:00.000Z'),
    );
    expect(accountBalances(db)).toEqual([
      { account: 'fund:general', asset: 'USD', balance: 700 },
      { account: 'income:grant', asset: 'USD', balance: -1000 },
      { account: 'vendor:acme', asset: 'USD', balance: 300 },
    ]);
    expect(currentBalance(db, 'fund:general', 'USD')).toBe(700);
  });

  it('answers a balance as of a business day, back-dated entries included, and at a log position', () => {
    const { db, positions } = project(
      posted('m1', 'income:grant', 'fund:general', 1000, '2026-03-05T00:00:00.000Z'),
      posted('m2', 'income:grant', 'fund:general', 50, '2026-03-01T12:00:00.000Z'),
    );
    const key = postedKey('fund:general', 'USD');
    expect(balanceAsOf(db, key, '2026-02-28')).toBe(0);
    expect(balanceAsOf(db, key, '2026-03-01')).toBe(50);
    expect(balanceAsOf(db, key, '2026-03-05')).toBe(1050);
    expect(balanceAtPosition(db, key, positions[0])).toBe(1000);
    expect(balanceAtPosition(db, key, positions[0] - 1)).toBe(0);
  });

  it('keeps holds: placed on their business date, released when recorded', () => {
    const { db } = project(
      recorded('FundHoldPlaced', { fundId: 'f1', movementId: 'm1', amountMinor: 200 }, { effectiveAt: '2026-03-02T00:00:00.000Z', recordedAt: '2026-03-02T00:00:00.000Z' }),
      recorded('FundHoldPlaced', { fundId: 'f1', movementId: 'm2', amountMinor: 30 }, { recordedAt: '2026-03-03T00:00:00.000Z' }),
      recorded('FundHoldReleased', { fundId: 'f1', movementId: 'm1', amountMinor: 200, reason: 'rejected' }, { recordedAt: '2026-03-04T00:00:00.000Z' }),
    );
    expect(currentHeld(db, 'f1')).toBe(30);
    expect(db.prepare('SELECT movement_id AS movementId, amount FROM fund_holds').all()).toEqual([{ movementId: 'm2', amount: 30 }]);
    expect(balanceAsOf(db, heldKey('f1'), '2026-03-02')).toBe(200);
    expect(balanceAsOf(db, heldKey('f1'), '2026-03-03')).toBe(230);
    expect(balanceAsOf(db, heldKey('f1'), '2026-03-04')).toBe(30);
  });

  it('shrinks a partly spent hold on the payment date and restores it on reversal', () => {
    const { db } = project(
      recorded('FundHoldPlaced', { fundId: 'f1', movementId: 'i1', amountMinor: 500 }, { recordedAt: '2026-03-01T00:00:00.000Z' }),
      recorded('FundHoldReduced', { fundId: 'f1', movementId: 'i1', amountMinor: 200, remainingMinor: 300, effectiveAt: '2026-03-03T00:00:00.000Z' }),
      recorded('FundHoldRestored', { fundId: 'f1', movementId: 'i1', amountMinor: 200, heldMinor: 500, effectiveAt: '2026-03-06T00:00:00.000Z' }),
    );
    expect(balanceAsOf(db, heldKey('f1'), '2026-03-03')).toBe(300);
    expect(balanceAsOf(db, heldKey('f1'), '2026-03-06')).toBe(500);
    expect(currentHeld(db, 'f1')).toBe(500);
  });

  it('writes a journal line per account and counterparty, newest business day first', () => {
    const { db, positions } = project(
      posted('m1', 'income:grant', 'fund:general', 1000, '2026-03-01T00:00:00.000Z'),
      posted('m2', 'fund:general', 'vendor:acme', 300, '2026-03-05T00:00:00.000Z'),
    );
    const page = journalPage(db, 'fund:general', { limit: 10 });
    expect(page.map((r) => [r.movementId, r.counterparty, r.deltaMinor, r.day])).toEqual([
      ['m2', 'vendor:acme', -300, '2026-03-05'],
      ['m1', 'income:grant', 1000, '2026-03-01'],
    ]);
    expect(journalPage(db, 'fund:general', { limit: 10, before: { day: '2026-03-05', position: positions[1] } }).map((r) => r.movementId)).toEqual(['m1']);
    expect(journalPage(db, 'fund:general', { limit: 10, from: '2026-03-02' }).map((r) => r.movementId)).toEqual(['m2']);
  });

  it('answers the balance as of any day as the sum of everything dated on or before it, across months and years', () => {
    const start = Date.parse('2023-11-20T00:00:00.000Z');
    const dayAt = (offset: number) => new Date(start + offset * 86_400_000).toISOString().slice(0, 10);
    fc.assert(
      fc.property(
        fc.array(fc.record({ offset: fc.integer({ min: 0, max: 900 }), amount: fc.integer({ min: -500, max: 500 }) }), { minLength: 1, maxLength: 30 }),
        fc.array(fc.integer({ min: -40, max: 940 }), { minLength: 1, maxLength: 20 }),
        (changes, asked) => {
          position = 0;
          const { db } = project(...changes.map((c, i) => posted(`m${i}`, 'income:grant', 'fund:general', c.amount, `${dayAt(c.offset)}T23:59:59.999Z`)));
          const key = postedKey('fund:general', 'USD');
          for (const offset of [...asked, ...changes.map((c) => c.offset)]) {
            const day = dayAt(offset);
            const expected = changes.filter((c) => dayAt(c.offset) <= day).reduce((sum, c) => sum + c.amount, 0);
            expect(balanceAsOf(db, key, day)).toBe(expected);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('writes the same rows when the runner applies events in batches of any size as when each is applied alone', () => {
    const accounts = ['income:grant', 'fund:general', 'vendor:acme'];
    const event = fc.oneof(
      fc.record({ from: fc.constantFrom(...accounts), to: fc.constantFrom(...accounts), amount: fc.integer({ min: 1, max: 3 }), day: fc.integer({ min: 1, max: 4 }) }).map(
        ({ from, to, amount, day }) => ({ kind: 'posted' as const, from, to: to === from ? 'fund:other' : to, amount, day }),
      ),
      fc.record({ fund: fc.constantFrom('f1', 'f2'), amount: fc.integer({ min: 1, max: 3 }), day: fc.integer({ min: 1, max: 4 }) }).map((h) => ({ kind: 'hold' as const, ...h })),
    );
    const dump = (db: Database.Database) =>
      ['account_balances', 'balance_tree', 'balance_history', 'fund_holds', 'fund_journal'].map((table) =>
        db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2, 3`).all(),
      );
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 40 }), fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 10 }), (specs, sizes) => {
        position = 0;
        const events = specs.map((e, i) => {
          const at = `2026-03-${String(e.day).padStart(2, '0')}T10:00:00.000Z`;
          return e.kind === 'posted'
            ? posted(`m${i}`, e.from, e.to, e.amount, at)
            : recorded('FundHoldPlaced', { fundId: e.fund, movementId: `h${i}`, amountMinor: e.amount }, { effectiveAt: at, recordedAt: at });
        });
        const alone = project(...events).db;
        const batched = new Database(':memory:');
        balancesProjection.setup(batched);
        applyInBatches(balancesProjection, batched, events, sizes);
        expect(dump(batched)).toEqual(dump(alone));
      }),
      { numRuns: 100 },
    );
  });

  it('drops what an abandoned batch added up (its savepoint was rolled back)', () => {
    position = 0;
    const db = new Database(':memory:');
    balancesProjection.setup(db);
    balancesProjection.batch!.begin(db);
    balancesProjection.apply(db, posted('m1', 'income:grant', 'fund:general', 1000, '2026-03-01T00:00:00.000Z'));
    balancesProjection.batch!.abandon(db);
    balancesProjection.apply(db, posted('m2', 'income:grant', 'fund:general', 5, '2026-03-02T00:00:00.000Z'));
    expect(currentBalance(db, 'fund:general', 'USD')).toBe(5);
    expect(balanceAsOf(db, postedKey('fund:general', 'USD'), '2026-03-02')).toBe(5);
  });

  it('refuses to apply a change dated outside the business range, and answers balances as of any day', () => {
    position = 0;
    const db = new Database(':memory:');
    balancesProjection.setup(db);
    expect(() => balancesProjection.apply(db, posted('m1', 'income:grant', 'fund:general', 5, '9999-12-31T00:00:00.000Z'))).toThrow(RangeError);
    expect(() => balancesProjection.apply(db, posted('m2', 'income:grant', 'fund:general', 5, '1969-12-31T23:59:59.999Z'))).toThrow(RangeError);
    balancesProjection.apply(db, posted('m3', 'income:grant', 'fund:general', 7, '1970-01-01T00:00:00.000Z'));
    const key = postedKey('fund:general', 'USD');
    expect(balanceAsOf(db, key, '1969-12-31')).toBe(0);
    expect(balanceAsOf(db, key, '1970-01-01')).toBe(7);
    expect(balanceAsOf(db, key, '2400-01-01')).toBe(7);
  });

  it('leaves events without postings or holds alone', () => {
    const { db } = project(recorded('FundOpened', { fundId: 'f1', code: 'general' }));
    expect(accountBalances(db)).toEqual([]);
    expect(db.prepare('SELECT COUNT(*) AS n FROM balance_history').get()).toEqual({ n: 0 });
  });
});
