import { projectionSpec } from '../shared/feed-projection.spec-helper';
import { loansOfThingsProjection } from './loans-of-things.projection';
import { findResource, findThingLoan, listResources, listThingLoans, thingLoanParties } from './loans-of-things.queries';

const OWNER = '11111111-1111-4111-8111-111111111111';
const BORROWER = '22222222-2222-4222-8222-222222222222';
const OTHER = '99999999-9999-4999-8999-999999999999';
const RESOURCE = '33333333-3333-4333-8333-333333333333';
const LOAN = '44444444-4444-4444-8444-444444444444';
const RENEWAL = '55555555-5555-4555-8555-555555555555';
const by = 'cooperative:a';
const ids = { resourceId: RESOURCE, loanId: LOAN };
const registered = {
  type: 'ResourceRegistered',
  data: { resourceId: RESOURCE, ownerId: OWNER, kind: 'equipment', description: 'Tractor', condition: 'good', status: 'available', registeredAt: '2026-03-01T00:00:00.000Z' },
};
const reserved = {
  type: 'ThingReserved',
  data: { ...ids, ownerId: OWNER, borrowerId: BORROWER, startOn: '2026-03-05', dueOn: '2026-03-10', reservedOn: '2026-03-02', reservedBy: by, charges: { depositMinor: 5000, feeMinor: 1000, currency: 'USD' } },
};

describe('loans of things projection', () => {
  it('a reservation, check-out and return move the loan and its resource together', () => {
    const { feed, rows } = projectionSpec(loansOfThingsProjection);
    feed(registered, reserved, { type: 'ThingCheckedOut', data: { ...ids, on: '2026-03-05', by } });
    expect(rows('SELECT resource_id, owner_id, status, on_loan, condition FROM resources')).toEqual([
      { resource_id: RESOURCE, owner_id: OWNER, status: 'available', on_loan: LOAN, condition: 'good' },
    ]);
    feed({ type: 'ThingReturned', data: { ...ids, on: '2026-03-12', condition: 'scratched', late: true, by } });
    expect(rows('SELECT on_loan, condition FROM resources')).toEqual([{ on_loan: null, condition: 'scratched' }]);
    expect(rows('SELECT loan_id, reserved_on, checked_out_on, ended_on, end_kind, return_condition FROM thing_loans')).toEqual([
      { loan_id: LOAN, reserved_on: '2026-03-02', checked_out_on: '2026-03-05', ended_on: '2026-03-12', end_kind: 'returned', return_condition: 'scratched' },
    ]);
  });

  it('reads a loan as of a date: reserved, out, overdue, returned late', () => {
    const { db, feed } = projectionSpec(loansOfThingsProjection);
    feed(registered, reserved, { type: 'ThingCheckedOut', data: { ...ids, on: '2026-03-05', by } }, { type: 'ThingReturned', data: { ...ids, on: '2026-03-12', condition: 'good', late: true, by } });
    expect(findThingLoan(db, LOAN, '2026-03-01')).toBeUndefined();
    expect(findThingLoan(db, LOAN, '2026-03-03')?.status).toBe('reserved');
    expect(findThingLoan(db, LOAN, '2026-03-06')?.status).toBe('out');
    expect(findThingLoan(db, LOAN, '2026-03-11')?.status).toBe('overdue');
    expect(findThingLoan(db, LOAN, '2026-03-12')).toEqual(expect.objectContaining({ status: 'returned', returnedLate: true, endedOn: '2026-03-12' }));
    expect(listThingLoans(db, { asOf: '2026-03-06', cooperativeId: BORROWER, status: 'out' }).map((l) => l.loanId)).toEqual([LOAN]);
    expect(thingLoanParties(db, LOAN)).toEqual({ ownerId: OWNER, borrowerId: BORROWER });
  });

  it('keeps charges waived, taken and settled, and a renewal carries them', () => {
    const { feed, rows } = projectionSpec(loansOfThingsProjection);
    feed(registered, reserved, { type: 'ThingChargeWaived', data: { ...ids, charge: 'fee', reason: 'member', on: '2026-03-03', by } });
    feed({ type: 'ThingDepositTaken', data: { ...ids, movementId: OTHER, kind: 'thing-deposit', effectiveAt: '2026-03-05T00:00:00.000Z', postings: [] } });
    feed({ type: 'ThingCheckedOut', data: { ...ids, on: '2026-03-05', by } });
    feed({ type: 'ThingRenewed', data: { ...ids, renewalId: RENEWAL, ownerId: OWNER, borrowerId: BORROWER, startOn: '2026-03-09', dueOn: '2026-03-20', on: '2026-03-09', by } });
    const charges = { depositMinor: 5000, feeMinor: 1000, currency: 'USD', depositWaived: false, feeWaived: true, depositTaken: true };
    expect(rows('SELECT loan_id, end_kind, renewal_of, renewed_by, charges FROM thing_loans ORDER BY position')).toEqual([
      { loan_id: LOAN, end_kind: 'renewed', renewal_of: null, renewed_by: RENEWAL, charges: JSON.stringify(charges) },
      { loan_id: RENEWAL, end_kind: null, renewal_of: LOAN, renewed_by: null, charges: JSON.stringify(charges) },
    ]);
    expect(rows('SELECT on_loan FROM resources')).toEqual([{ on_loan: RENEWAL }]);
    feed({ type: 'ThingChargesSettled', data: { resourceId: RESOURCE, loanId: RENEWAL, movementId: OTHER, kind: 'thing-charges', depositReturnedMinor: 5000, depositKeptMinor: 0, feeChargedMinor: 0, effectiveAt: '2026-03-20T00:00:00.000Z', postings: [] } });
    expect(JSON.parse((rows('SELECT charges FROM thing_loans WHERE loan_id = ?', RENEWAL)[0] as { charges: string }).charges)).toEqual({ ...charges, depositReturnedMinor: 5000, depositKeptMinor: 0, feeChargedMinor: 0 });
  });

  it('shows a resource to others without its owner or its loan; cancellation, loss and status changes end or mark it', () => {
    const { db, feed } = projectionSpec(loansOfThingsProjection);
    feed(registered, reserved, { type: 'ThingCheckedOut', data: { ...ids, on: '2026-03-05', by } });
    expect(findResource(db, RESOURCE, OTHER)).toEqual({ resourceId: RESOURCE, kind: 'equipment', description: 'Tractor', condition: 'good', status: 'on-loan' });
    expect(findResource(db, RESOURCE, BORROWER)).toEqual(expect.objectContaining({ onLoan: LOAN, status: 'on-loan' }));
    expect(findResource(db, RESOURCE, undefined)).toEqual(expect.objectContaining({ ownerId: OWNER, onLoan: LOAN }));
    feed({ type: 'ThingLostOrDamaged', data: { ...ids, outcome: 'damaged', notes: 'axle', on: '2026-03-07', by } });
    feed({ type: 'ResourceStatusChanged', data: { resourceId: RESOURCE, from: 'available', to: 'in-repair', reason: 'axle', on: '2026-03-08' } });
    expect(findThingLoan(db, LOAN, '2026-03-08')).toEqual(expect.objectContaining({ status: 'damaged', notes: 'axle' }));
    expect(listResources(db, { ownerId: OWNER, available: false, viewer: OWNER })).toEqual([
      { resourceId: RESOURCE, ownerId: OWNER, kind: 'equipment', description: 'Tractor', condition: 'good', status: 'in-repair', reason: 'axle' },
    ]);
  });

  it('a cancelled reservation ends without a check-out', () => {
    const { db, feed } = projectionSpec(loansOfThingsProjection);
    feed(registered, reserved, { type: 'ThingReservationCancelled', data: { ...ids, reason: 'rain', on: '2026-03-04', by } });
    expect(findThingLoan(db, LOAN, '2026-03-04')).toEqual(expect.objectContaining({ status: 'cancelled', endedOn: '2026-03-04', notes: 'rain' }));
    expect(findResource(db, RESOURCE, undefined)?.status).toBe('available');
  });
});
