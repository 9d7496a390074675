import { catalogueRule } from '../src/audit/event-rules';
import { LEDGER_EVENTS } from '../src/composition';
import { verifyLog } from '../src/audit/verify/verify-log';
import { EventCatalogue } from '../src/event-store/event-catalogue';
import { ACCESS_EVENTS } from '../src/modules/access/access.events';
import { LEDGER_MODULE_EVENTS } from '../src/modules/ledger/ledger.events';
import { FixedClock } from '../src/shared/clock';
import { TestApp, startTestApp } from './support/test-app';

/** What the access and ledger modules write over HTTP keeps its catalogue schema. */
describe('the access and ledger modules against the event catalogue', () => {
  const clock = new FixedClock(new Date('2026-11-02T10:00:00.000Z'));
  let t: TestApp;
  let steward: string;

  beforeAll(async () => {
    t = await startTestApp({ clock });
    steward = (await t.token('steward')).secret;
  });

  afterAll(() => t.close());

  it('refuses to close a period outside the supported business dates, writing nothing', async () => {
    const before = await t.store.headPosition();
    for (const period of ['1900-01', 'FY1969', '0000-01']) {
      const res = await t.request('POST', '/v1/periods/close', { token: steward, body: { period } });
      expect({ period, status: res.status, code: res.body.code }).toEqual({ period, status: 400, code: 'PERIOD.INVALID' });
    }
    expect(await t.store.headPosition()).toBe(before);
  });

  it('records tokens, revocations and closings that a strict catalogue and verify accept', async () => {
    expect((await t.request('POST', '/v1/periods/close', { token: steward, body: { period: '2026-10' } })).status).toBe(201);
    const { tokenId } = await t.token('auditor');
    await t.revoke(tokenId);
    const mine = new Set([...ACCESS_EVENTS, ...LEDGER_MODULE_EVENTS].map((d) => d.type));
    const report = await verifyLog(t.store.readAll(), { gapFreePositions: true, rules: [catalogueRule(new EventCatalogue(LEDGER_EVENTS))] });
    const types = new Map<number, string>();
    for await (const e of t.store.readAll()) types.set(e.globalPosition, e.type);
    expect([...types.values()].filter((type) => mine.has(type)).sort()).toEqual(['ApiTokenIssued', 'ApiTokenIssued', 'ApiTokenRevoked', 'PeriodClosed']);
    expect(report.problems.filter((p) => mine.has(types.get(p.position) ?? ''))).toEqual([]);
  });

  it('GET /v1/audit/verify names an event that reached the log without keeping its schema (rules in the verifier threads)', async () => {
    const auditor = (await t.token('auditor')).secret;
    expect((await t.request('GET', '/v1/audit/verify', { token: auditor })).body).toMatchObject({ ok: true, problems: [] });
    // Written past the command runner (which would refuse it), as an older release or a tool might have.
    const metadata = { actorId: 'tool', actorRole: 'steward', correlationId: 'c', causationId: 'c' };
    const { position } = await t.store.append('movement-hand-written', [{ type: 'MovementPosted', schemaVersion: 1, data: { movementId: 'not-a-uuid', kind: 'income', postings: [] } }], 'no_stream', metadata);
    const report = (await t.request('GET', '/v1/audit/verify', { token: auditor })).body;
    expect(report.ok).toBe(false);
    expect(report.problems.map((p: { kind: string; position: number }) => [p.kind, p.position])).toEqual([
      ['EVENT_RULE', position],
      ['EVENT_RULE', position],
    ]);
    expect(report.problems[0].detail).toBe('a value movement needs at least one posting');
    expect(report.problems[1].detail).toMatch(/^MovementPosted does not keep its catalogue schema: /);
  });
});
