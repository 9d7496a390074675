import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventCatalogue, S } from '../event-store/event-catalogue';
import { EventStore } from '../event-store/event-store.port';
import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store';
import { SystemClock } from '../shared/clock';
import { ledgerEventCatalogue } from '../composition';
import { catalogueRule, ledgerEventRules } from './event-rules';
import { verifyLog } from './verify/verify-log';

const metadata = { actorId: 'operator:test', actorRole: 'operator', correlationId: 'c', causationId: 'c' };
const tokenId = '0190f4a2-6c1e-7a3b-9d2e-4f5a6b7c8d9e';
const goodToken = { tokenId, name: 'Ana', role: 'steward', tokenHash: 'a'.repeat(64), issuedAt: '2026-04-01T10:00:00.000Z' };

describe('ledger verify checks the event catalogue', () => {
  let dir: string;
  let store: EventStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-rules-'));
    store = new SqliteEventStore({ file: join(dir, 'events.db'), clock: new SystemClock(), synchronous: 'NORMAL' });
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  // Appended through the store port, as an older release or a tool could: the runner's check is bypassed.
  const append = (streamId: string, type: string, data: unknown, effectiveAt?: string) =>
    store.append(streamId, [{ type, schemaVersion: 1, data, ...(effectiveAt ? { effectiveAt } : {}) }], 'any', metadata);

  it('reports, by position, recorded events that break their schema: a bad date, a bad effectiveAt, a name with a leading space', async () => {
    await append('api-token-1', 'ApiTokenIssued', goodToken);
    const period = { period: '2026-03', kind: 'month', start: '2026-03-01', end: '2026-04-01', closedBy: 'token:x', closedAt: '2026-04-02T00:00:00.000Z' };
    const badDate = await append('ledger-periods', 'PeriodClosed', { ...period, start: '9999-12-31' });
    const badEffective = await append('ledger-periods', 'PeriodClosed', period, '1900-01-01T00:00:00.000Z');
    const badName = await append('api-token-2', 'ApiTokenIssued', { ...goodToken, name: ' Ana' });
    await append('ledger-periods', 'PeriodClosed', period);

    const report = await verifyLog(store.readAll(), { gapFreePositions: true, rules: ledgerEventRules(ledgerEventCatalogue()) });
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => [p.kind, p.position])).toEqual([
      ['EVENT_RULE', badDate.position],
      ['EVENT_RULE', badEffective.position],
      ['EVENT_RULE', badName.position],
    ]);
    expect(report.problems[0].detail).toContain('data.start');
    expect(report.problems[1].detail).toContain('effectiveAt');
    expect(report.problems[2].detail).toContain('data.name');
  });

  it('reports a posting account with a leading space, and a wrong schemaVersion', async () => {
    const catalogue = new EventCatalogue([{ type: 'ValueMoved', schemaVersion: 1, data: S.object({ postings: S.postings }) }]);
    const posting = { from: 'vendor:Acme', to: 'fund:general', amountMinor: 100, asset: 'USD' };
    await append('v-1', 'ValueMoved', { postings: [posting] });
    const leadingSpace = await append('v-2', 'ValueMoved', { postings: [{ ...posting, from: 'vendor: Acme' }] });
    const wrongVersion = await store.append('v-3', [{ type: 'ValueMoved', schemaVersion: 2, data: { postings: [posting] } }], 'any', metadata);

    const report = await verifyLog(store.readAll(), { gapFreePositions: true, rules: [catalogueRule(catalogue)] });
    expect(report.problems.map((p) => p.position)).toEqual([leadingSpace.position, wrongVersion.position]);
    expect(report.problems[0].detail).toContain('data.postings.0.from');
    expect(report.problems[1].detail).toContain('schemaVersion');
  });

  it('reports an unknown event type', async () => {
    const unknown = await append('x-1', 'NoSuchThingHappened', {});
    const definitions = [{ type: 'Known', schemaVersion: 1, data: S.object({}) }];
    const strict = await verifyLog(store.readAll(), { gapFreePositions: true, rules: [catalogueRule(new EventCatalogue(definitions))] });
    expect(strict.problems).toEqual([expect.objectContaining({ kind: 'EVENT_RULE', position: unknown.position })]);
    expect(strict.problems[0].detail).toContain('unknown event type');
  });
});
