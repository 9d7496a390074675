import Database from 'better-sqlite3';
import type { RecordedEvent } from '../../../event-store/envelope';
import { sql } from '../../../projections/projection';
import { FundFacts, ImprovementCommand, ImprovementEvent, ImprovementState, improvementDecider } from '../improvement/improvement.decider';
import { propertiesProjection } from '../properties/properties.projection';
import { propertyDecider } from '../property/property.decider';
import { propertyReport } from '../reports/land-trust-report';
import { improvementsProjection } from './improvements.projection';
import { findImprovement, listImprovements } from './improvements.queries';

const repairs: FundFacts = { fundId: 'f1', code: 'repairs', currency: 'USD', restriction: { class: 'unrestricted' }, status: 'open' };
const energy: FundFacts = { fundId: 'f2', code: 'energy', currency: 'USD', restriction: { class: 'unrestricted' }, status: 'open' };
const funds = new Map([
  [repairs.fundId, repairs],
  [energy.fundId, energy],
]);

type Fed = { type: string; data: unknown; recordedAt: string };

/** Feeds events to both land-trust read models on one in-memory database, positions counting from 1. */
function projected(events: readonly Fed[]): Database.Database {
  const db = new Database(':memory:');
  for (const projection of [propertiesProjection, improvementsProjection]) projection.setup(db);
  events.forEach((e, i) => {
    for (const projection of [propertiesProjection, improvementsProjection]) projection.apply(db, { ...e, globalPosition: i + 1 } as unknown as RecordedEvent);
  });
  return db;
}

/** The events the improvement decider decides for `commands`, each stamped with its command's `now`. */
function decided(commands: readonly ImprovementCommand[]): Fed[] {
  let state: ImprovementState = improvementDecider.initialState();
  return commands.flatMap((command) => {
    const events: ImprovementEvent[] = improvementDecider.decide(command, state);
    state = events.reduce(improvementDecider.evolve, state);
    return events.map((e) => ({ ...e, recordedAt: command.now }));
  });
}

const property: Fed[] = propertyDecider
  .decide({ type: 'RegisterProperty', propertyId: 'p1', address: '12 Elm Street', parcelId: 'APN-1', acquiredOn: '2025-01-01', status: 'held', now: '2026-01-02T09:00:00.000Z' }, propertyDecider.initialState())
  .map((e) => ({ ...e, recordedAt: '2026-01-02T09:00:00.000Z' }));

const plan = (improvementId: string, now: string, extra: Partial<Extract<ImprovementCommand, { type: 'PlanImprovement' }>> = {}): ImprovementCommand => ({
  type: 'PlanImprovement',
  improvementId,
  property: { propertyId: 'p1', status: 'held' },
  description: 'New roof',
  phase: 'repair',
  estimateMinor: 10_000,
  currency: 'USD',
  fundingLines: [
    { fund: repairs, amountMinor: 6_000 },
    { fund: energy, amountMinor: 4_000 },
  ],
  by: 'steward:a',
  now,
  ...extra,
});

/** A project planned, approved, paid twice (the first payment reversed while the work went on) and completed. */
const roof = decided([
  plan('i1', '2026-03-01T10:00:00.000Z'),
  { type: 'ApproveImprovement', by: 'steward:b', now: '2026-03-02T10:00:00.000Z' },
  { type: 'PayExpense', expenseId: 'x1', vendor: 'Acme Roofing', invoiceReference: 'INV-1', amountMinor: 7_000, currency: 'USD', effectiveAt: '2026-03-05T12:00:00.000Z', funds, by: 'steward:a', now: '2026-03-05T13:00:00.000Z' },
  { type: 'ReverseExpense', expenseId: 'x1', reason: 'billed twice', effectiveAt: '2026-03-07T12:00:00.000Z', by: 'steward:a', now: '2026-03-07T13:00:00.000Z' },
  { type: 'PayExpense', expenseId: 'x2', vendor: 'Acme Roofing', invoiceReference: 'INV-2', amountMinor: 2_500, currency: 'USD', effectiveAt: '2026-03-10T12:00:00.000Z', funds, by: 'steward:a', now: '2026-03-10T13:00:00.000Z' },
  { type: 'CompleteImprovement', completedOn: '2026-03-20', inspection: 'passed', now: '2026-03-20T15:00:00.000Z' },
  { type: 'RecordResaleCredit', amountMinor: 2_000, description: 'new roof', now: '2026-03-21T15:00:00.000Z' },
]);

describe('improvements projection', () => {
  it('keeps a project with its allocation in line order, its expenses and reversals, its end and its resale credit', () => {
    const db = projected([...property, ...roof]);
    expect(findImprovement(db, 'i1')).toEqual({
      improvementId: 'i1',
      propertyId: 'p1',
      description: 'New roof',
      phase: 'repair',
      estimateMinor: 10_000,
      currency: 'USD',
      status: 'completed',
      plannedBy: 'steward:a',
      plannedAt: '2026-03-01T10:00:00.000Z',
      plannedOn: '2026-03-01',
      fundingLines: [
        { fundId: 'f1', fundCode: 'repairs', amountMinor: 6_000 },
        { fundId: 'f2', fundCode: 'energy', amountMinor: 4_000 },
      ],
      approvedBy: 'steward:b',
      approvedAt: '2026-03-02T10:00:00.000Z',
      approvedOn: '2026-03-02',
      allocation: [
        { holdId: expect.any(String), source: 'plan', fundId: 'f1', fundCode: 'repairs', amountMinor: 6_000, approvedOn: '2026-03-02' },
        { holdId: expect.any(String), source: 'plan', fundId: 'f2', fundCode: 'energy', amountMinor: 4_000, approvedOn: '2026-03-02' },
      ],
      pendingBudgetIncreases: [],
      expenses: [
        expect.objectContaining({
          expenseId: 'x1',
          amountMinor: 7_000,
          effectiveAt: '2026-03-05T12:00:00.000Z',
          recordedAt: '2026-03-05T13:00:00.000Z',
          charges: [
            { fundId: 'f1', fundCode: 'repairs', amountMinor: 6_000 },
            { fundId: 'f2', fundCode: 'energy', amountMinor: 1_000 },
          ],
          reversal: { reason: 'billed twice', effectiveAt: '2026-03-07T12:00:00.000Z', recordedAt: '2026-03-07T13:00:00.000Z', restoredToHolds: true },
        }),
        expect.objectContaining({ expenseId: 'x2', amountMinor: 2_500, charges: [{ fundId: 'f1', fundCode: 'repairs', amountMinor: 2_500 }] }),
      ],
      completedOn: '2026-03-20',
      inspection: 'passed',
      resaleCreditMinor: 2_000,
    });
    // Spending rows carry their business day: the reversal is a negative row on its own date.
    expect(sql(db, 'SELECT expense_id, fund_code, amount, effective_day FROM improvement_charges ORDER BY effective_day, expense_id, seq').all()).toEqual([
      { expense_id: 'x1', fund_code: 'repairs', amount: 6_000, effective_day: '2026-03-05' },
      { expense_id: 'x1', fund_code: 'energy', amount: 1_000, effective_day: '2026-03-05' },
      { expense_id: 'x1:reversal', fund_code: 'repairs', amount: -6_000, effective_day: '2026-03-07' },
      { expense_id: 'x1:reversal', fund_code: 'energy', amount: -1_000, effective_day: '2026-03-07' },
      { expense_id: 'x2', fund_code: 'repairs', amount: 2_500, effective_day: '2026-03-10' },
    ]);
    // Completion releases what was held and not spent, on the day it was recorded.
    expect(sql(db, 'SELECT fund_code, amount, day FROM improvement_releases ORDER BY fund_code').all()).toEqual([
      { fund_code: 'energy', amount: 4_000, day: '2026-03-20' },
      { fund_code: 'repairs', amount: 3_500, day: '2026-03-20' },
    ]);
    expect(sql(db, 'SELECT day, status FROM improvement_status ORDER BY position').all()).toEqual([
      { day: '2026-03-01', status: 'planned' },
      { day: '2026-03-02', status: 'approved' },
      { day: '2026-03-20', status: 'completed' },
    ]);
  });

  it('gives the report its figures as of any day from those rows', () => {
    const db = projected([...property, ...roof]);
    const project = (asOf: string) => propertyReport(db, { propertyId: 'p1', address: '12 Elm Street', parcelId: 'APN-1', status: 'held' }, asOf).projects[0];
    expect(project('2026-03-06')).toEqual(expect.objectContaining({ status: 'approved', allocatedMinor: 10_000, spentMinor: 7_000, remainingMinor: 3_000 }));
    expect(project('2026-03-08')).toEqual(expect.objectContaining({ spentMinor: 0, remainingMinor: 10_000 }));
    expect(project('2026-03-31')).toEqual(
      expect.objectContaining({ status: 'completed', spentMinor: 2_500, releasedMinor: 7_500, remainingMinor: 0, varianceMinor: -7_500, resaleCreditMinor: 2_000 }),
    );
  });

  it('lists projects in planning order, by property and status, and dates a back-dated plan by its business day', () => {
    const late = decided([plan('i2', '2026-04-01T10:00:00.000Z', { effectiveAt: '2026-02-15T00:00:00.000Z' })]);
    const db = projected([...property, ...roof, ...late]);
    expect(listImprovements(db, { limit: 10 }).map((i) => [i.improvementId, i.status, i.plannedOn])).toEqual([
      ['i1', 'completed', '2026-03-01'],
      ['i2', 'planned', '2026-02-15'],
    ]);
    expect(listImprovements(db, { after: 'i1', limit: 10 }).map((i) => i.improvementId)).toEqual(['i2']);
    expect(listImprovements(db, { status: 'planned', limit: 10 }).map((i) => i.improvementId)).toEqual(['i2']);
    expect(listImprovements(db, { propertyId: 'p2', limit: 10 })).toEqual([]);
    expect(findImprovement(db, 'i3')).toBeUndefined();
  });
});
