import fc from 'fast-check';
import { CommandContext } from '../src/commands/command-context';
import { CommandBus } from '@nestjs/cqrs';
import { ApproveMovementCommand } from '../src/modules/funds/approve-movement/approve-movement.handler';
import type { MovementResponse } from '../src/modules/funds/funds-writes';
import { RecordIncomeCommand } from '../src/modules/funds/record-income/record-income.handler';
import { RejectMovementCommand } from '../src/modules/funds/reject-movement/reject-movement.handler';
import { RequestDisbursementCommand } from '../src/modules/funds/request-disbursement/request-disbursement.handler';
import { RequestTransferCommand } from '../src/modules/funds/request-transfer/request-transfer.handler';
import { ReverseMovementCommand } from '../src/modules/funds/reverse-movement/reverse-movement.handler';
import { fundDecider, fundStream } from '../src/modules/funds/fund/fund.decider';
import { CommandOutcome, CommandRunner } from '../src/commands/command-runner';
import { ProjectionRunner } from '../src/projections/projection-runner';
import { DomainError } from '../src/shared/domain-error';
import { EventCatalogue } from '../src/event-store/event-catalogue';
import { LEDGER_EVENTS } from '../src/composition';
import { FUNDS_EVENTS } from '../src/modules/funds/funds.events';
import { TestApp, startTestApp } from './support/test-app';

type Op =
  | { kind: 'income'; fund: number; amount: number; day: number; form: number }
  | { kind: 'transfer'; from: number; to: number; amount: number; decide: 'approve' | 'reject' | 'leave' }
  | { kind: 'spend'; fund: number; amount: number; day: number; approve: boolean }
  | { kind: 'reverse'; pick: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('income' as const), fund: fc.nat(2), amount: fc.integer({ min: 1, max: 50_000 }), day: fc.integer({ min: 1, max: 28 }), form: fc.nat(2) }),
  fc.record({
    kind: fc.constant('transfer' as const),
    from: fc.nat(2),
    to: fc.nat(2),
    amount: fc.integer({ min: 1, max: 40_000 }),
    decide: fc.constantFrom('approve' as const, 'reject' as const, 'leave' as const),
  }),
  fc.record({ kind: fc.constant('spend' as const), fund: fc.nat(2), amount: fc.integer({ min: 1, max: 40_000 }), day: fc.integer({ min: 1, max: 28 }), approve: fc.boolean() }),
  fc.record({ kind: fc.constant('reverse' as const), pick: fc.nat() }),
);

describe('ledger properties over randomised movements', () => {
  let t: TestApp;
  let steward: string;
  let auditor: string;

  beforeAll(async () => {
    t = await startTestApp({ config: { seedFunds: 'default' } });
    steward = (await t.token('steward')).secret;
    auditor = (await t.token('auditor')).secret;
  });

  afterAll(() => t.close());

  it('keeps every fund at or above zero and the trial balance at zero per asset, and read models agree with the log', async () => {
    const bus = t.app.get(CommandBus);
    const send = <C extends object>(command: C) => bus.execute<C, CommandOutcome<MovementResponse>>(command);
    const runner = t.app.get(CommandRunner);
    const projections = t.app.get(ProjectionRunner);
    const funds = (await t.request('GET', `/v1/funds?minPosition=${await t.store.headPosition()}`, { token: steward })).body.items
      .filter((f: { code: string }) => ['general', 'internal-capacity', 'training-materials'].includes(f.code))
      .map((f: { fundId: string }) => f.fundId) as string[];
    const ctx = (who: string): CommandContext => ({
      actor: { id: who, role: 'steward' },
      correlationId: 'property',
      causationId: 'property',
      now: new Date(),
    });
    let executed = 0;

    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 300, maxLength: 600 }), async (ops) => {
        const posted: string[] = [];
        for (const o of ops) {
          try {
            if (o.kind === 'income') {
              // Every ISO form a client may send: stored as one UTC instant whatever the form.
              const day = `2026-02-${String(o.day).padStart(2, '0')}`;
              const effectiveAt = [`${day}T12:00:00.000Z`, day, `${day}T23:30:00-03:00`][o.form];
              const r = await send(new RecordIncomeCommand(ctx('a'), { fundId: funds[o.fund], source: 'prop', category: 'other', amountMinor: o.amount, currency: 'USD', effectiveAt }));
              posted.push(r.response.movementId);
            } else if (o.kind === 'transfer') {
              const r = await send(new RequestTransferCommand(ctx('a'), { fromFundId: funds[o.from], toFundId: funds[o.to], amountMinor: o.amount, currency: 'USD' }));
              if (o.decide === 'approve') {
                await send(new ApproveMovementCommand(ctx('b'), r.response.movementId));
                posted.push(r.response.movementId);
              } else if (o.decide === 'reject') {
                await send(new RejectMovementCommand(ctx('b'), r.response.movementId, 'property'));
              }
            } else if (o.kind === 'spend') {
              const r = await send(new RequestDisbursementCommand(ctx('a'), { fundId: funds[o.fund], payee: 'Vendor', category: 'x', invoiceReference: 'i', amountMinor: o.amount, currency: 'USD', effectiveAt: `2026-02-${String(o.day).padStart(2, '0')}T12:00:00.000Z`, purpose: undefined }));
              if (o.approve) {
                await send(new ApproveMovementCommand(ctx('b'), r.response.movementId));
                posted.push(r.response.movementId);
              }
            } else if (posted.length > 0) {
              await send(new ReverseMovementCommand(ctx('a'), posted[o.pick % posted.length], 'property'));
            }
            executed += 1;
          } catch (error) {
            // Refusals are part of the property (overdrafts, purposes, double reversals); anything else is a bug.
            // An event the catalogue refuses is a bug in a decider, never a refusal.
            if (!(error instanceof DomainError) || error.code === 'EVENT.INVALID') throw error;
          }
        }
        await projections.waitFor(await t.store.headPosition(), 10_000);

        const trial = (await t.request('GET', '/v1/ledger/trial-balance', { token: auditor })).body;
        expect(trial.totalsByAsset.USD ?? 0).toBe(0);
        for (const fundId of funds) {
          const { state } = await runner.load(fundStream(fundId), fundDecider);
          const read = (await t.request('GET', `/v1/funds/${fundId}/balance`, { token: auditor })).body;
          if (state.status === 'none') throw new Error('fund vanished');
          expect(read.postedMinor).toBe(state.postedMinor);
          expect(read.postedMinor).toBeGreaterThanOrEqual(0);
          expect(read.availableMinor).toBeGreaterThanOrEqual(0);
          // The as-of view of the last day agrees with the current one for everything dated up to now.
          const asOf = (await t.request('GET', `/v1/funds/${fundId}/balance?asOf=2100-01-01`, { token: auditor })).body;
          expect(asOf.postedMinor).toBe(read.postedMinor);
        }
      }),
      { numRuns: 5 },
    );
    expect(executed).toBeGreaterThan(1000);
    const verify = (await t.request('GET', '/v1/audit/verify', { token: auditor })).body;
    expect(verify).toMatchObject({ ok: true });
    const catalogue = new EventCatalogue(LEDGER_EVENTS);
    const types = new Set(FUNDS_EVENTS.map((d) => d.type));
    const problems: string[] = [];
    for await (const e of t.store.readAll()) {
      if (types.has(e.type)) problems.push(...catalogue.problems(e).map((p) => `${e.globalPosition} ${e.type} ${p.field}`));
    }
    expect(problems).toEqual([]);
  }, 120_000);
});
