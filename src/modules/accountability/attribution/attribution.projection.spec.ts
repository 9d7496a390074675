import Database from 'better-sqlite3';
import fc from 'fast-check';
import { balanceAsOf, balancesProjection } from '../../ledger';
import { attributionProjection } from './attribution.projection';
import { findOrigin, fundRemainingAsOf, traceOrigin, traceOutflow } from './attribution.queries';
import { checkConservation } from './conservation';
import { HistorySimulator, SIM_FUNDS, Step } from './history.testing';

function project(sim: HistorySimulator): Database.Database {
  const db = new Database(':memory:');
  attributionProjection.setup(db);
  balancesProjection.setup(db);
  for (const e of sim.events) {
    attributionProjection.apply(db, e);
    balancesProjection.apply(db, e);
  }
  return db;
}

const giftId = (sim: HistorySimulator, n: number): string => {
  const gifts = sim.events.filter((e) => e.type === 'MovementPosted' && (e.data as { kind: string }).kind === 'donation');
  return (gifts[n].data as { movementId: string }).movementId;
};

describe('attribution: first in, first out within a fund', () => {
  it('spends the oldest gift first and carries a transfer\'s lots with their origin', () => {
    const sim = new HistorySimulator('2026-01-01', 3);
    sim.step({ kind: 'gift', sustainer: 0, fund: 0, amount: 10_000, recurring: true });
    sim.step({ kind: 'next-day', days: 1 });
    sim.step({ kind: 'gift', sustainer: 1, fund: 0, amount: 5_000, recurring: false });
    sim.step({ kind: 'next-day', days: 1 });
    expect(sim.step({ kind: 'spend', fund: 0, amount: 12_000, category: 0 })).toBe(true);
    sim.step({ kind: 'next-day', days: 1 });
    expect(sim.step({ kind: 'transfer', from: 0, to: 4, amount: 2_000 })).toBe(true);
    sim.step({ kind: 'next-day', days: 1 });
    expect(sim.step({ kind: 'lend', amount: 1_500, cooperative: 0 })).toBe(true);
    const db = project(sim);
    const a = traceOrigin(db, findOrigin(db, giftId(sim, 0))!, '2026-12-31');
    const b = traceOrigin(db, findOrigin(db, giftId(sim, 1))!, '2026-12-31');
    expect(a.totals).toEqual({ amountMinor: 10_000, spentMinor: 10_000, inFundsMinor: 0, onLoanMinor: 0, refundedMinor: 0 });
    expect(a.paidFor).toEqual([expect.objectContaining({ kind: 'disbursement', amountMinor: 10_000, category: 'staff', payee: 'Vendor 0' })]);
    expect(b.totals).toEqual({ amountMinor: 5_000, spentMinor: 2_000, inFundsMinor: 1_500, onLoanMinor: 1_500, refundedMinor: 0 });
    expect(b.inFunds).toEqual([
      expect.objectContaining({ fundCode: 'general', amountMinor: 1_000 }),
      expect.objectContaining({ fundCode: 'revolving-loan-fund', amountMinor: 500 }),
    ]);
    expect(b.loans).toEqual([expect.objectContaining({ cooperativeId: sim.cooperativeIds[0], lentMinor: 1_500, outstandingMinor: 1_500, status: 'outstanding' })]);
    expect(b.moved).toEqual([expect.objectContaining({ fromFundCode: 'general', toFundCode: 'revolving-loan-fund', amountMinor: 2_000 })]);
    // And the other way round: the disbursement was paid by both gifts, oldest first.
    const disbursement = (a.paidFor[0] as { movementId: string }).movementId;
    expect(traceOutflow(db, disbursement, '2026-12-31').map((x) => [x.originId, x.sustainerId, x.amountMinor])).toEqual([
      [giftId(sim, 0), sim.sustainerIds[0], 10_000],
      [giftId(sim, 1), sim.sustainerIds[1], 2_000],
    ]);
    // As of the second day nothing was spent yet.
    const early = traceOrigin(db, findOrigin(db, giftId(sim, 0))!, '2026-01-02');
    expect(early.totals).toEqual({ amountMinor: 10_000, spentMinor: 0, inFundsMinor: 10_000, onLoanMinor: 0, refundedMinor: 0 });
    // Before the gift arrived: not received.
    expect(traceOrigin(db, findOrigin(db, giftId(sim, 1))!, '2026-01-01')).toMatchObject({ received: false, totals: { amountMinor: 0 } });
    expect(checkConservation(db)).toMatchObject({ ok: true, problems: [] });
  });

  it('repaid money returns to the lots it left, and a forgiveness spends what was still out', () => {
    const sim = new HistorySimulator('2026-01-01', 2);
    sim.step({ kind: 'gift', sustainer: 0, fund: 4, amount: 3_000, recurring: false });
    sim.step({ kind: 'gift', sustainer: 1, fund: 4, amount: 3_000, recurring: false });
    sim.step({ kind: 'next-day', days: 1 });
    sim.step({ kind: 'lend', amount: 4_000, cooperative: 1 });
    sim.step({ kind: 'next-day', days: 10 });
    sim.step({ kind: 'repay', pick: 0, amount: 3_500 });
    sim.step({ kind: 'next-day', days: 10 });
    sim.step({ kind: 'forgive', pick: 0 });
    const db = project(sim);
    const a = traceOrigin(db, findOrigin(db, giftId(sim, 0))!, '2026-12-31');
    const b = traceOrigin(db, findOrigin(db, giftId(sim, 1))!, '2026-12-31');
    expect(a.totals).toMatchObject({ inFundsMinor: 3_000, onLoanMinor: 0, spentMinor: 0 });
    expect(a.loans).toEqual([expect.objectContaining({ lentMinor: 3_000, repaidMinor: 3_000, status: 'repaid' })]);
    expect(b.totals).toMatchObject({ inFundsMinor: 2_500, onLoanMinor: 0, spentMinor: 500 });
    expect(b.loans).toEqual([expect.objectContaining({ lentMinor: 1_000, repaidMinor: 500, forgivenMinor: 500, status: 'partly-forgiven' })]);
    expect(b.paidFor).toEqual([expect.objectContaining({ kind: 'loan-forgiven', amountMinor: 500, cooperativeName: 'Cooperative 1' })]);
    // Between repayment and forgiveness the 500 is still out on loan.
    expect(traceOrigin(db, findOrigin(db, giftId(sim, 1))!, '2026-01-15').totals).toMatchObject({ onLoanMinor: 500, inFundsMinor: 2_500 });
    expect(checkConservation(db).ok).toBe(true);
  });

  it('a refund takes the gift\'s own unspent money first, and the rest from the fund\'s other lots', () => {
    const sim = new HistorySimulator('2026-01-01', 2);
    sim.step({ kind: 'gift', sustainer: 0, fund: 0, amount: 1_000, recurring: false });
    sim.step({ kind: 'gift', sustainer: 1, fund: 0, amount: 2_000, recurring: false });
    sim.step({ kind: 'spend', fund: 0, amount: 600, category: 1 });
    sim.step({ kind: 'next-day', days: 1 });
    sim.step({ kind: 'reverse', pick: 0 });
    const db = project(sim);
    const a = traceOrigin(db, findOrigin(db, giftId(sim, 0))!, '2026-12-31');
    const b = traceOrigin(db, findOrigin(db, giftId(sim, 1))!, '2026-12-31');
    expect(a.totals).toEqual({ amountMinor: 1_000, spentMinor: 600, inFundsMinor: 0, onLoanMinor: 0, refundedMinor: 400 });
    expect(a.refund).toEqual({ on: '2026-01-02', amountMinor: 1_000, fromThisGiftMinor: 400 });
    expect(b.totals).toEqual({ amountMinor: 2_000, spentMinor: 600, inFundsMinor: 1_400, onLoanMinor: 0, refundedMinor: 0 });
    expect(b.paidFor).toEqual([expect.objectContaining({ kind: 'refund-shortfall', amountMinor: 600 })]);
    expect(JSON.stringify(b)).not.toContain(giftId(sim, 0));
    expect(checkConservation(db).ok).toBe(true);
  });

  it('a reversed disbursement gives its lots back; a reversed transfer returns its own lots to where they came from', () => {
    const sim = new HistorySimulator('2026-01-01', 1);
    sim.step({ kind: 'gift', sustainer: 0, fund: 0, amount: 1_000, recurring: false });
    sim.step({ kind: 'next-day', days: 1 });
    sim.step({ kind: 'spend', fund: 0, amount: 300, category: 1 });
    sim.step({ kind: 'transfer', from: 0, to: 1, amount: 500 });
    sim.step({ kind: 'next-day', days: 1 });
    sim.step({ kind: 'reverse', pick: 1 }); // the disbursement
    sim.step({ kind: 'reverse', pick: 1 }); // the transfer
    const db = project(sim);
    const a = traceOrigin(db, findOrigin(db, giftId(sim, 0))!, '2026-12-31');
    expect(a.totals).toEqual({ amountMinor: 1_000, spentMinor: 0, inFundsMinor: 1_000, onLoanMinor: 0, refundedMinor: 0 });
    expect(a.inFunds).toEqual([expect.objectContaining({ fundCode: 'general', amountMinor: 1_000 })]);
    expect(a.moved).toEqual([
      expect.objectContaining({ fromFundCode: 'general', toFundCode: 'internal-capacity', amountMinor: 500, returned: false }),
      expect.objectContaining({ fromFundCode: 'internal-capacity', toFundCode: 'general', amountMinor: 500, returned: true }),
    ]);
    const mid = traceOrigin(db, findOrigin(db, giftId(sim, 0))!, '2026-01-02');
    expect(mid.totals).toMatchObject({ spentMinor: 300, inFundsMinor: 700 });
    expect(mid.inFunds).toEqual([
      expect.objectContaining({ fundCode: 'general', amountMinor: 200 }),
      expect.objectContaining({ fundCode: 'internal-capacity', amountMinor: 500 }),
    ]);
    expect(checkConservation(db).ok).toBe(true);
  });

  it('an improvement expense split over funds is attributed per fund, and its reversal gives it back', () => {
    const sim = new HistorySimulator('2026-01-01', 2);
    sim.step({ kind: 'gift', sustainer: 0, fund: 3, amount: 800, recurring: false });
    sim.step({ kind: 'gift', sustainer: 1, fund: 0, amount: 800, recurring: false });
    sim.step({ kind: 'next-day', days: 1 });
    expect(sim.step({ kind: 'improvement', funds: [0, 3], amount: 1_000 })).toBe(true);
    const db = project(sim);
    const a = traceOrigin(db, findOrigin(db, giftId(sim, 0))!, '2026-12-31');
    expect(a.paidFor).toEqual([expect.objectContaining({ kind: 'improvement', amountMinor: 500, vendor: 'Roofers Coop', phase: 'repair', propertyAddress: '1 Commons Way', fundCode: 'land-trust-improvements' })]);
    sim.step({ kind: 'next-day', days: 1 });
    sim.step({ kind: 'reverse-expense', pick: 0 });
    const db2 = project(sim);
    expect(traceOrigin(db2, findOrigin(db2, giftId(sim, 0))!, '2026-12-31').totals).toMatchObject({ spentMinor: 0, inFundsMinor: 800 });
    expect(checkConservation(db2).ok).toBe(true);
  });

  it('the check can fail: a piece tampered with is found', () => {
    const sim = new HistorySimulator('2026-01-01', 1);
    sim.step({ kind: 'gift', sustainer: 0, fund: 0, amount: 1_000, recurring: false });
    sim.step({ kind: 'spend', fund: 0, amount: 300, category: 1 });
    const db = project(sim);
    db.prepare('UPDATE attr_consumption SET amount = amount - 1').run();
    const report = checkConservation(db);
    expect(report.ok).toBe(false);
    expect(report.problems.join('\n')).toMatch(/consumed sum to 299/);
  });
});

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('gift' as const), sustainer: fc.nat(7), fund: fc.nat(4), amount: fc.integer({ min: 1, max: 50_000 }), recurring: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('income' as const), fund: fc.nat(4), amount: fc.integer({ min: 1, max: 80_000 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('transfer' as const), from: fc.nat(4), to: fc.nat(4), amount: fc.integer({ min: 1, max: 40_000 }) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('spend' as const), fund: fc.nat(4), amount: fc.integer({ min: 1, max: 40_000 }), category: fc.nat(5) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('improvement' as const), funds: fc.array(fc.nat(4), { minLength: 1, maxLength: 3 }), amount: fc.integer({ min: 2, max: 30_000 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('lend' as const), amount: fc.integer({ min: 1, max: 30_000 }), cooperative: fc.nat(2) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('repay' as const), pick: fc.nat(), amount: fc.integer({ min: 1, max: 20_000 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('forgive' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('reverse' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reverse-expense' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('erase' as const), sustainer: fc.nat(7) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('next-day' as const), days: fc.integer({ min: 1, max: 20 }) }) },
);

describe('attribution: conservation over random histories (property)', () => {
  it('every gift adds up, every outflow is covered, every fund\'s lots are its balance, at every position and as of any day', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 120 }), fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 3, maxLength: 3 }), (steps, offsets) => {
        const sim = new HistorySimulator('2026-01-01', 8);
        // Conservation at every position: the read model is checked after each step's events.
        const db = new Database(':memory:');
        attributionProjection.setup(db);
        balancesProjection.setup(db);
        let applied = 0;
        const follow = () => {
          for (; applied < sim.events.length; applied++) {
            attributionProjection.apply(db, sim.events[applied]);
            balancesProjection.apply(db, sim.events[applied]);
          }
          const report = checkConservation(db);
          expect({ position: applied, problems: report.problems }).toEqual({ position: applied, problems: [] });
        };
        follow();
        for (const s of steps) {
          sim.step(s);
          follow();
        }
        SIM_FUNDS.forEach((code, i) => expect(fundRemainingAsOf(db, code, '2099-12-31')).toBe(sim.balances[i]));
        const days = offsets.map((o) => new Date(Date.parse('2026-01-01T00:00:00Z') + o * 86_400_000).toISOString().slice(0, 10));
        const origins = db.prepare('SELECT origin_id FROM attr_origins').all() as Array<{ origin_id: string }>;
        for (const day of days) {
          for (const code of SIM_FUNDS) expect(fundRemainingAsOf(db, code, day)).toBe(balanceAsOf(db, `fund:${code}|USD`, day));
          for (const { origin_id } of origins) {
            const t = traceOrigin(db, findOrigin(db, origin_id)!, day);
            expect(t.conserved).toBe(true);
            for (const l of t.inFunds) expect(l.amountMinor).toBeGreaterThan(0);
            expect(t.totals.onLoanMinor).toBeGreaterThanOrEqual(0);
          }
        }
        db.close();
      }),
      { numRuns: 60, seed: 20261301 },
    );
  });
});
