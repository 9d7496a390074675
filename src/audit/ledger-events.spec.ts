import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { EventCatalogue } from '../event-store/event-catalogue';
import { NewEvent } from '../event-store/envelope';
import { ApiTokenEvent, apiTokenDecider } from '../modules/access/api-token/api-token.decider';
import { PeriodEvent, periodsDecider } from '../modules/ledger/period/period.decider';
import { LEDGER_EVENTS, ledgerEventCatalogue } from '../composition';

const SRC = join(__dirname, '..');
const BUSINESS_MODULES = /^modules\/(funds|sustainers|land-trust|lending)\//;

function deciderFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return deciderFiles(path);
    return name.endsWith('.decider.ts') ? [path] : [];
  });
}

/**
 * The event types a decider can return, read from its source: every object literal with a
 * literal `type` followed by its `data` is an event (commands carry no `data`).
 */
function producedTypes(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/type: '([A-Z]\w+)',?\s*data:/g)].map((m) => m[1]);
}

const produced = deciderFiles(SRC).map((file) => ({ file: relative(SRC, file), types: producedTypes(file) }));
const strict = new EventCatalogue(LEDGER_EVENTS);

describe('the ledger event catalogue', () => {
  it('finds the deciders it scans (a guard against a scan that silently matches nothing)', () => {
    const all = produced.flatMap((p) => p.types);
    expect(all).toEqual(expect.arrayContaining(['ApiTokenIssued', 'ApiTokenRevoked', 'PeriodClosed', 'FundOpened']));
  });

  it('defines every event type produced outside the business modules, and the runner’s own', () => {
    const missing = produced
      .filter((p) => !BUSINESS_MODULES.test(p.file))
      .flatMap((p) => p.types.filter((type) => !strict.has(type)).map((type) => `${p.file}: ${type}`));
    expect(missing).toEqual([]);
    expect(strict.has('IdempotentRequestRecorded')).toBe(true);
  });

  // An undefined type is refused at the write path: this test says which ones before a request does.
  it('defines every event type any decider produces', () => {
    const missing = produced.flatMap((p) => p.types.filter((type) => !strict.has(type)).map((type) => `${p.file}: ${type}`));
    expect(missing).toEqual([]);
  });

  it('accepts what the access and period deciders produce from valid commands, for every event type they have', () => {
    const now = '2026-04-01T10:00:00.000Z';
    const tokenId = '0190f4a2-6c1e-7a3b-9d2e-4f5a6b7c8d9e';
    const tokenHash = 'a'.repeat(64);
    const issued = apiTokenDecider.decide(
      { type: 'IssueApiToken', tokenId, name: 'Riverside (cooperative)', role: 'cooperative', subject: tokenId, subjectStatus: 'active', tokenHash, now },
      apiTokenDecider.initialState(),
    );
    const revoked = apiTokenDecider.decide(
      { type: 'RevokeApiToken', tokenId, reason: 'left the network', now },
      issued.reduce(apiTokenDecider.evolve, apiTokenDecider.initialState()),
    );
    const closed = periodsDecider.decide(
      { type: 'ClosePeriod', range: { period: '2026-03', kind: 'month', start: '2026-03-01', end: '2026-04-01' }, by: 'token:x', now },
      periodsDecider.initialState(),
    );
    // Keyed by the event unions: a new event type in either decider fails to compile until it is
    // given a sample here, and so a definition in the catalogue.
    const samples: Record<ApiTokenEvent['type'] | PeriodEvent['type'], readonly { type: string; data: unknown }[]> = {
      ApiTokenIssued: issued,
      ApiTokenRevoked: revoked,
      PeriodClosed: closed,
    };
    for (const [type, events] of Object.entries(samples)) {
      expect(events.map((e) => e.type)).toEqual([type]);
      for (const event of events) expect(strict.problems({ ...event, schemaVersion: 1 })).toEqual([]);
    }
    const idempotency: NewEvent = { type: 'IdempotentRequestRecorded', schemaVersion: 1, data: { fingerprint: 'f'.repeat(64), response: { ok: true } } };
    expect(strict.problems(idempotency)).toEqual([]);
  });

  it('refuses a token name with surrounding spaces and a period outside the supported business dates', () => {
    const token = { tokenId: '0190f4a2-6c1e-7a3b-9d2e-4f5a6b7c8d9e', name: ' Ana', role: 'steward', tokenHash: 'a'.repeat(64), issuedAt: '2026-04-01T10:00:00.000Z' };
    expect(strict.problems({ type: 'ApiTokenIssued', schemaVersion: 1, data: token }).map((p) => p.field)).toEqual(['data.name']);
    const period = { period: '1900-01', kind: 'month', start: '1900-01-01', end: '1900-02-01', closedBy: 'token:x', closedAt: '2026-04-01T10:00:00.000Z' };
    expect(strict.problems({ type: 'PeriodClosed', schemaVersion: 1, data: period }).map((p) => p.field)).toEqual(['data.start', 'data.end']);
  });

  it('is one compiled catalogue per process, refusing unknown types', () => {
    expect(ledgerEventCatalogue()).toBe(ledgerEventCatalogue());
    const unknown = { type: 'NoSuchThingHappened', schemaVersion: 1, data: {} };
    expect(ledgerEventCatalogue().problems(unknown).map((p) => p.field)).toEqual(['type']);
  });
});
