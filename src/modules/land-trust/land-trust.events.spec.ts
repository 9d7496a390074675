import { EventCatalogue } from '../../event-store/event-catalogue';
import { LAND_TRUST_EVENTS } from './land-trust.events';

const catalogue = new EventCatalogue(LAND_TRUST_EVENTS);
const id = (n: number) => `0190a000-0000-7000-8000-${String(n).padStart(12, '0')}`;
const fields = (type: string, data: unknown) => catalogue.problems({ type, schemaVersion: 1, data }).map((p) => p.field);

const paid = {
  improvementId: id(1),
  propertyId: id(2),
  expenseId: id(3),
  movementId: id(3),
  kind: 'improvement-expense',
  phase: 'repair',
  vendor: 'Acme Roofing',
  invoiceReference: 'AR-1001',
  amountMinor: 500,
  currency: 'USD',
  effectiveAt: '2026-09-10T12:00:00.000Z',
  charges: [{ holdId: `improvement-${id(1)}-${id(4)}`, fundId: id(4), fundCode: 'general', amountMinor: 500 }],
  postings: [{ from: 'fund:general', to: 'vendor:Acme Roofing', amountMinor: 500, asset: 'USD' }],
  restrictionReleases: [],
  paidBy: 'steward-1',
};

describe('land-trust event catalogue', () => {
  it('defines every event type the module writes, once', () => {
    expect(catalogue.types.sort()).toEqual(
      [
        'GroundLeaseRecorded',
        'ImprovementApproved',
        'ImprovementBudgetIncreaseApproved',
        'ImprovementBudgetIncreaseRequested',
        'ImprovementCancelled',
        'ImprovementCompleted',
        'ImprovementExpensePaid',
        'ImprovementExpenseReversed',
        'ImprovementPlanned',
        'ParcelReserved',
        'PropertyRegistered',
        'PropertyStatusChanged',
        'ResaleCreditRecorded',
      ].sort(),
    );
  });

  it('accepts a well-formed payment and refuses what would break replay or verify', () => {
    expect(fields('ImprovementExpensePaid', paid)).toEqual([]);
    // A vendor with a leading space makes an account address `ledger verify` rejects for good.
    expect(fields('ImprovementExpensePaid', { ...paid, vendor: ' Acme', postings: [{ ...paid.postings[0], to: 'vendor: Acme' }] })).toEqual(
      expect.arrayContaining(['data.vendor', 'data.postings.0.to']),
    );
    // A business date the projections cannot index stops them: refused before it is written.
    expect(fields('ImprovementExpensePaid', { ...paid, effectiveAt: '9999-12-31T00:00:00.000Z' })).toEqual(['data.effectiveAt']);
    expect(fields('ImprovementExpensePaid', { ...paid, effectiveAt: '2026-09-10T14:00:00+02:00' })).toEqual(['data.effectiveAt']);
    expect(fields('ImprovementExpensePaid', { ...paid, amountMinor: 2 ** 53 })).toEqual(['data.amountMinor']);
    expect(fields('ImprovementExpensePaid', { ...paid, extra: 1 })).toEqual(['data.extra']);
  });

  it('keeps descriptions multiline but well-formed, and the back-dated fields optional', () => {
    const planned = {
      improvementId: id(1),
      propertyId: id(2),
      description: 'Roof\nand gutters',
      phase: 'repair',
      estimateMinor: 500,
      currency: 'USD',
      fundingLines: [{ fundId: id(4), fundCode: 'general', amountMinor: 500 }],
      plannedBy: 'steward-1',
      plannedAt: '2026-09-01T10:00:00.000Z',
    };
    expect(fields('ImprovementPlanned', planned)).toEqual([]);
    expect(fields('ImprovementPlanned', { ...planned, effectiveAt: '2025-03-01T00:00:00.000Z' })).toEqual([]);
    expect(fields('ImprovementPlanned', { ...planned, description: 'Roof \uD800' })).toEqual(['data.description']);
    expect(fields('ImprovementPlanned', { ...planned, fundingLines: [] })).toEqual(['data.fundingLines']);
    expect(fields('PropertyRegistered', { propertyId: id(2), address: '12 Elm St\n', parcelId: 'APN-1', acquiredOn: '1900-01-01', status: 'held', registeredAt: '2026-09-01T10:00:00.000Z' })).toEqual(
      expect.arrayContaining(['data.address', 'data.acquiredOn']),
    );
  });
});
