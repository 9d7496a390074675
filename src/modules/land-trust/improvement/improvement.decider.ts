import { dayOf, isIsoDate } from '../../../shared/calendar';
import { Decider } from '../../../shared/decider';
import { DomainError, assertNever, invariant } from '../../../shared/domain-error';
import { isPositiveAmountMinor } from '../../../shared/money';
import { Posting, fundAccount } from '../../../shared/postings';
import type { Restriction } from '../../funds/fund/fund.decider';
import type { PropertyStatus } from '../property/property.decider';

export type Phase = 'acquisition' | 'rehab' | 'repair' | 'new-construction' | 'energy' | 'water';
export const PHASES: readonly Phase[] = ['acquisition', 'rehab', 'repair', 'new-construction', 'energy', 'water'];
export type Inspection = 'passed' | 'passed-with-conditions' | 'failed';
export const INSPECTIONS: readonly Inspection[] = ['passed', 'passed-with-conditions', 'failed'];

/** Donor-restricted money funds an improvement only when its donors gave it for this purpose. */
export const LAND_TRUST_PURPOSE = 'land trust property improvements';

/** What the improvement needs to know about a fund, read by the writer from the fund's stream. */
export interface FundFacts {
  readonly fundId: string;
  readonly code: string;
  readonly currency: string;
  readonly restriction: Restriction;
  readonly status: 'open' | 'closed';
}

/** One approved source of money: a hold on a fund, spent in the order lines were approved. */
export interface AllocationLine {
  readonly holdId: string;
  readonly fundId: string;
  readonly fundCode: string;
  readonly amountMinor: number;
  /** The business day from which the line may pay: the day it was approved. */
  readonly approvedOn: string;
}

export interface Charge {
  readonly holdId: string;
  readonly fundId: string;
  readonly fundCode: string;
  readonly amountMinor: number;
}

interface LineRequest {
  readonly fundId: string;
  readonly fundCode: string;
  readonly amountMinor: number;
}

export type ImprovementEvent =
  | {
      readonly type: 'ImprovementPlanned';
      readonly data: {
        readonly improvementId: string;
        readonly propertyId: string;
        readonly description: string;
        readonly phase: Phase;
        readonly estimateMinor: number;
        readonly currency: string;
        readonly fundingLines: readonly LineRequest[];
        readonly plannedBy: string;
        readonly plannedAt: string;
        /** The plan's business date when it was recorded after the fact; otherwise `plannedAt`. */
        readonly effectiveAt?: string;
      };
    }
  | {
      readonly type: 'ImprovementApproved';
      readonly data: {
        readonly improvementId: string;
        readonly propertyId: string;
        readonly lines: readonly AllocationLine[];
        readonly approvedBy: string;
        /** When the approval was recorded (the server's clock). */
        readonly approvedAt: string;
        /** The approval's business date when it was recorded after the fact; otherwise `approvedAt`. */
        readonly effectiveAt?: string;
      };
    }
  | {
      /**
       * A payment from the allocation to a vendor. `postings` are the double-entry record (one per
       * fund charged, `fund:<code>` → `vendor:<name>`), checked by `ledger verify`; `charges` say
       * which hold each part came from. `movementId` and `kind` name it in the funds' journals.
       */
      readonly type: 'ImprovementExpensePaid';
      readonly data: {
        readonly improvementId: string;
        readonly propertyId: string;
        readonly expenseId: string;
        readonly movementId: string;
        readonly kind: 'improvement-expense';
        readonly phase: Phase;
        readonly vendor: string;
        readonly invoiceReference: string;
        readonly amountMinor: number;
        readonly currency: string;
        readonly effectiveAt: string;
        readonly charges: readonly Charge[];
        readonly postings: readonly Posting[];
        /** Spending donor-restricted money on its purpose releases that restriction: recorded here. */
        readonly restrictionReleases: readonly { readonly fundId: string; readonly purpose: string; readonly amountMinor: number }[];
        readonly paidBy: string;
      };
    }
  | {
      /**
       * A correction: the payment's postings reversed (`vendor:<name>` → `fund:<code>`), linked to
       * the original, never an edit of it. While the work goes on the money goes back into the
       * holds it came from (`restoredToHolds`); after completion or cancellation it is released.
       */
      readonly type: 'ImprovementExpenseReversed';
      readonly data: {
        readonly improvementId: string;
        readonly propertyId: string;
        readonly expenseId: string;
        readonly movementId: string;
        readonly kind: 'improvement-expense-reversal';
        readonly vendor: string;
        readonly amountMinor: number;
        readonly currency: string;
        readonly effectiveAt: string;
        readonly reason: string;
        readonly charges: readonly Charge[];
        readonly postings: readonly Posting[];
        readonly restoredToHolds: boolean;
        readonly reversedBy: string;
      };
    }
  | {
      readonly type: 'ImprovementBudgetIncreaseRequested';
      readonly data: {
        readonly improvementId: string;
        readonly increaseId: string;
        readonly fundingLines: readonly LineRequest[];
        readonly amountMinor: number;
        readonly reason: string;
        readonly requestedBy: string;
        readonly requestedAt: string;
        /** The request's business date when it was recorded after the fact; otherwise `requestedAt`. */
        readonly effectiveAt?: string;
      };
    }
  | {
      readonly type: 'ImprovementBudgetIncreaseApproved';
      readonly data: {
        readonly improvementId: string;
        readonly increaseId: string;
        readonly lines: readonly AllocationLine[];
        readonly approvedBy: string;
        readonly approvedAt: string;
        /** The approval's business date when it was recorded after the fact; otherwise `approvedAt`. */
        readonly effectiveAt?: string;
      };
    }
  | {
      readonly type: 'ImprovementCompleted';
      readonly data: {
        readonly improvementId: string;
        readonly completedOn: string;
        readonly inspection: Inspection;
        readonly inspectionNotes?: string;
        /** What was allocated and not spent goes back to the funds. */
        readonly released: readonly Charge[];
        readonly completedAt: string;
      };
    }
  | {
      readonly type: 'ImprovementCancelled';
      readonly data: { readonly improvementId: string; readonly reason: string; readonly released: readonly Charge[]; readonly cancelledAt: string };
    }
  | {
      readonly type: 'ResaleCreditRecorded';
      readonly data: { readonly improvementId: string; readonly propertyId: string; readonly amountMinor: number; readonly description: string; readonly recordedAt: string };
    };

interface FundLine {
  readonly fund: FundFacts;
  readonly amountMinor: number;
}

export type ImprovementCommand =
  | {
      readonly type: 'PlanImprovement';
      readonly improvementId: string;
      readonly property: { readonly propertyId: string; readonly status: PropertyStatus | 'none' };
      readonly description: string;
      readonly phase: Phase;
      readonly estimateMinor: number;
      readonly currency: string;
      readonly fundingLines: readonly FundLine[];
      /** Business date (a stored UTC instant) when recorded after the fact. */
      readonly effectiveAt?: string;
      readonly by: string;
      readonly now: string;
    }
  | { readonly type: 'ApproveImprovement'; readonly effectiveAt?: string; readonly by: string; readonly now: string }
  | {
      readonly type: 'PayExpense';
      readonly expenseId: string;
      readonly vendor: string;
      readonly invoiceReference: string;
      readonly amountMinor: number;
      readonly currency: string;
      readonly effectiveAt: string;
      /** The funds of the allocation, as they are now (restrictions, currency). */
      readonly funds: ReadonlyMap<string, FundFacts>;
      readonly by: string;
      readonly now: string;
    }
  | { readonly type: 'ReverseExpense'; readonly expenseId: string; readonly reason: string; readonly effectiveAt: string; readonly by: string; readonly now: string }
  | {
      readonly type: 'RequestBudgetIncrease';
      readonly increaseId: string;
      readonly fundingLines: readonly FundLine[];
      readonly reason: string;
      readonly effectiveAt?: string;
      readonly by: string;
      readonly now: string;
    }
  | { readonly type: 'ApproveBudgetIncrease'; readonly increaseId: string; readonly effectiveAt?: string; readonly by: string; readonly now: string }
  | { readonly type: 'CompleteImprovement'; readonly completedOn: string; readonly inspection: Inspection; readonly inspectionNotes?: string; readonly now: string }
  | { readonly type: 'CancelImprovement'; readonly reason: string; readonly now: string }
  | { readonly type: 'RecordResaleCredit'; readonly amountMinor: number; readonly description: string; readonly now: string };

export type ImprovementStatus = 'planned' | 'approved' | 'completed' | 'cancelled';

export interface Project {
  readonly status: ImprovementStatus;
  readonly improvementId: string;
  readonly propertyId: string;
  readonly phase: Phase;
  readonly estimateMinor: number;
  readonly currency: string;
  readonly plannedBy: string;
  /** The plan's business day. */
  readonly plannedOn: string;
  readonly plannedLines: readonly LineRequest[];
  readonly lines: readonly AllocationLine[];
  /** Spent per hold id. */
  readonly spent: ReadonlyMap<string, number>;
  readonly invoices: ReadonlySet<string>;
  /** Payments by expense id, kept to reverse them. */
  readonly expenses: ReadonlyMap<string, PaidExpense>;
  readonly pendingIncreases: ReadonlyMap<string, { readonly lines: readonly LineRequest[]; readonly requestedBy: string; readonly requestedOn: string }>;
  readonly approvedOn?: string;
  readonly resaleCreditMinor?: number;
}

export interface PaidExpense {
  readonly vendor: string;
  readonly amountMinor: number;
  readonly effectiveAt: string;
  readonly charges: readonly Charge[];
  readonly reversed: boolean;
}

export type ImprovementState = { readonly status: 'none' } | Project;

export const planHoldId = (improvementId: string): string => `improvement-${improvementId}`;
export const increaseHoldId = (increaseId: string): string => `improvement-increase-${increaseId}`;

function requireProject(state: ImprovementState): Project {
  if (state.status === 'none') throw new DomainError('IMPROVEMENT.NOT_FOUND', 'No such improvement project.', 404);
  return state;
}

/** Expenses and budget increases need money committed and work not yet ended. */
function requireApproved(project: Project, action: string): void {
  if (project.status === 'approved') return;
  const why = {
    planned: ['IMPROVEMENT.NOT_APPROVED', `The project is not approved yet: no ${action}.`],
    completed: ['IMPROVEMENT.COMPLETED', `The project is completed: no ${action}.`],
    cancelled: ['IMPROVEMENT.CANCELLED', `The project is cancelled: no ${action}.`],
  }[project.status];
  throw new DomainError(why[0], why[1], 409, { status: project.status });
}

function spentOf(project: Project): number {
  let total = 0;
  for (const amount of project.spent.values()) total += amount;
  return total;
}

/** What each line still holds: allocated less spent. */
function unspent(project: Project): Charge[] {
  return project.lines
    .map((l) => ({ holdId: l.holdId, fundId: l.fundId, fundCode: l.fundCode, amountMinor: l.amountMinor - (project.spent.get(l.holdId) ?? 0) }))
    .filter((c) => c.amountMinor > 0);
}

/** Funding lines: positive amounts, open funds in the project's currency, each fund once, restricted money on purpose. */
function checkLines(lines: readonly FundLine[], currency: string): LineRequest[] {
  if (lines.length === 0) throw new DomainError('IMPROVEMENT.FUNDING_REQUIRED', 'At least one funding line is needed.', 400, { field: 'fundingLines' });
  const seen = new Set<string>();
  for (const [i, { fund, amountMinor }] of lines.entries()) {
    if (!isPositiveAmountMinor(amountMinor)) {
      throw new DomainError('IMPROVEMENT.AMOUNT_INVALID', 'A funding line is a positive whole number of minor units.', 400, { field: `fundingLines.${i}.amountMinor` });
    }
    if (seen.has(fund.fundId)) throw new DomainError('IMPROVEMENT.DUPLICATE_FUND', `Fund ${fund.code} appears twice; give it one line.`, 400, { fundId: fund.fundId });
    seen.add(fund.fundId);
    if (fund.status !== 'open') throw new DomainError('FUND.CLOSED', `Fund ${fund.code} is closed.`, 409, { fundId: fund.fundId });
    if (fund.currency !== currency) {
      throw new DomainError('IMPROVEMENT.CURRENCY_MISMATCH', `Fund ${fund.code} keeps ${fund.currency}; the project is in ${currency}.`, 422, {
        fundId: fund.fundId,
        fundCurrency: fund.currency,
        currency,
      });
    }
    if (fund.restriction.class === 'donor-restricted' && fund.restriction.purpose !== LAND_TRUST_PURPOSE) {
      throw new DomainError('IMPROVEMENT.PURPOSE_MISMATCH', `Money in ${fund.code} is restricted to "${fund.restriction.purpose}".`, 422, {
        fundId: fund.fundId,
        fundPurpose: fund.restriction.purpose,
      });
    }
  }
  return lines.map(({ fund, amountMinor }) => ({ fundId: fund.fundId, fundCode: fund.code, amountMinor }));
}

function allocate(lines: readonly LineRequest[], holdId: string, approvedOn: string): AllocationLine[] {
  // One hold per fund per approval: a plan or an increase names each fund once.
  return lines.map((l) => ({ holdId: `${holdId}-${l.fundId}`, fundId: l.fundId, fundCode: l.fundCode, amountMinor: l.amountMinor, approvedOn }));
}

/**
 * Splits a payment over the allocation: lines are drawn in the order they were approved (the
 * plan's lines in their given order, then each increase's), each until it is spent. Only lines
 * approved on or before the payment's date may pay, so as of every date spending stays within
 * what was then allocated.
 */
export function splitPayment(project: Project, amountMinor: number, day: string): Charge[] | undefined {
  const charges: Charge[] = [];
  let left = amountMinor;
  for (const line of project.lines) {
    if (left === 0) break;
    if (line.approvedOn > day) continue;
    const free = line.amountMinor - (project.spent.get(line.holdId) ?? 0);
    if (free <= 0) continue;
    const take = Math.min(free, left);
    charges.push({ holdId: line.holdId, fundId: line.fundId, fundCode: line.fundCode, amountMinor: take });
    left -= take;
  }
  return left === 0 ? charges : undefined;
}

export const improvementDecider: Decider<ImprovementCommand, ImprovementEvent, ImprovementState> = {
  initialState: () => ({ status: 'none' }),

  evolve(state, event) {
    if (event.type === 'ImprovementPlanned') {
      const d = event.data;
      return {
        status: 'planned',
        improvementId: d.improvementId,
        propertyId: d.propertyId,
        phase: d.phase,
        estimateMinor: d.estimateMinor,
        currency: d.currency,
        plannedBy: d.plannedBy,
        plannedOn: dayOf(d.effectiveAt ?? d.plannedAt),
        plannedLines: d.fundingLines,
        lines: [],
        spent: new Map(),
        invoices: new Set(),
        expenses: new Map(),
        pendingIncreases: new Map(),
      };
    }
    if (state.status === 'none') return state;
    switch (event.type) {
      case 'ImprovementApproved':
        return { ...state, status: 'approved', lines: event.data.lines, approvedOn: dayOf(event.data.effectiveAt ?? event.data.approvedAt) };
      case 'ImprovementExpensePaid': {
        const spent = new Map(state.spent);
        for (const c of event.data.charges) spent.set(c.holdId, (spent.get(c.holdId) ?? 0) + c.amountMinor);
        const expenses = new Map(state.expenses);
        const { vendor, amountMinor, effectiveAt, charges } = event.data;
        expenses.set(event.data.expenseId, { vendor, amountMinor, effectiveAt, charges, reversed: false });
        return { ...state, spent, expenses, invoices: new Set([...state.invoices, invoiceKey(event.data.vendor, event.data.invoiceReference)]) };
      }
      case 'ImprovementExpenseReversed': {
        const spent = new Map(state.spent);
        for (const c of event.data.charges) spent.set(c.holdId, (spent.get(c.holdId) ?? 0) - c.amountMinor);
        const expenses = new Map(state.expenses);
        const paid = expenses.get(event.data.expenseId);
        if (paid) expenses.set(event.data.expenseId, { ...paid, reversed: true });
        return { ...state, spent, expenses };
      }
      case 'ImprovementBudgetIncreaseRequested': {
        const pending = new Map(state.pendingIncreases);
        pending.set(event.data.increaseId, {
          lines: event.data.fundingLines,
          requestedBy: event.data.requestedBy,
          requestedOn: dayOf(event.data.effectiveAt ?? event.data.requestedAt),
        });
        return { ...state, pendingIncreases: pending };
      }
      case 'ImprovementBudgetIncreaseApproved': {
        const pending = new Map(state.pendingIncreases);
        pending.delete(event.data.increaseId);
        return { ...state, pendingIncreases: pending, lines: [...state.lines, ...event.data.lines] };
      }
      case 'ImprovementCompleted':
        return { ...state, status: 'completed' };
      case 'ImprovementCancelled':
        return { ...state, status: 'cancelled' };
      case 'ResaleCreditRecorded':
        return { ...state, resaleCreditMinor: event.data.amountMinor };
      default:
        return assertNever(event);
    }
  },

  decide(command, state) {
    switch (command.type) {
      case 'PlanImprovement': {
        if (state.status !== 'none') throw new DomainError('IMPROVEMENT.ALREADY_EXISTS', 'This improvement id is taken.', 409);
        if (command.property.status === 'none') throw new DomainError('PROPERTY.NOT_FOUND', `No property ${command.property.propertyId}.`, 404);
        if (command.property.status === 'sold') throw new DomainError('PROPERTY.SOLD', 'A sold property gets no new improvements.', 409);
        if (!isPositiveAmountMinor(command.estimateMinor)) {
          throw new DomainError('IMPROVEMENT.AMOUNT_INVALID', 'The estimate is a positive whole number of minor units.', 400, { field: 'estimateMinor' });
        }
        const lines = checkLines(command.fundingLines, command.currency);
        notInFuture(command.effectiveAt, command.now);
        const fundedMinor = lines.reduce((sum, l) => sum + l.amountMinor, 0);
        if (fundedMinor < command.estimateMinor) {
          throw new DomainError('IMPROVEMENT.FUNDING_SHORT', `Funding lines cover ${fundedMinor} of an estimate of ${command.estimateMinor}.`, 422, {
            estimateMinor: command.estimateMinor,
            fundedMinor,
          });
        }
        return [
          {
            type: 'ImprovementPlanned',
            data: {
              improvementId: command.improvementId,
              propertyId: command.property.propertyId,
              description: command.description,
              phase: command.phase,
              estimateMinor: command.estimateMinor,
              currency: command.currency,
              fundingLines: lines,
              plannedBy: command.by,
              plannedAt: command.now,
              ...(command.effectiveAt === undefined ? {} : { effectiveAt: command.effectiveAt }),
            },
          },
        ];
      }
      case 'ApproveImprovement': {
        const project = requireProject(state);
        if (project.status !== 'planned') throw new DomainError('IMPROVEMENT.ALREADY_DECIDED', `The project is already ${project.status}.`, 409);
        if (command.by === project.plannedBy) throw new DomainError('IMPROVEMENT.SELF_APPROVAL', 'Another steward approves what you planned.', 403);
        const approvedOn = dayOf(command.effectiveAt ?? command.now);
        notInFuture(command.effectiveAt, command.now);
        if (approvedOn < project.plannedOn) {
          throw new DomainError('IMPROVEMENT.APPROVAL_BEFORE_PLAN', `The project was planned on ${project.plannedOn}; its approval cannot be dated before.`, 422, {
            plannedOn: project.plannedOn,
          });
        }
        return [
          {
            type: 'ImprovementApproved',
            data: {
              improvementId: project.improvementId,
              propertyId: project.propertyId,
              lines: allocate(project.plannedLines, planHoldId(project.improvementId), approvedOn),
              approvedBy: command.by,
              approvedAt: command.now,
              ...(command.effectiveAt === undefined ? {} : { effectiveAt: command.effectiveAt }),
            },
          },
        ];
      }
      case 'PayExpense': {
        const project = requireProject(state);
        requireApproved(project, 'expenses');
        if (!isPositiveAmountMinor(command.amountMinor)) {
          throw new DomainError('IMPROVEMENT.AMOUNT_INVALID', 'An expense is a positive whole number of minor units.', 400, { field: 'amountMinor' });
        }
        if (command.currency !== project.currency) {
          throw new DomainError('IMPROVEMENT.CURRENCY_MISMATCH', `The project is in ${project.currency}.`, 422, { currency: command.currency });
        }
        const day = dayOf(command.effectiveAt);
        if (command.effectiveAt > command.now) throw new DomainError('IMPROVEMENT.EXPENSE_IN_FUTURE', 'An expense is recorded once paid, not before.', 422);
        // Money is paid from an allocation, so not before the allocation existed.
        invariant(project.approvedOn !== undefined, 'approved project without approval day');
        if (day < project.approvedOn) {
          throw new DomainError('IMPROVEMENT.EXPENSE_BEFORE_APPROVAL', `The project was approved on ${project.approvedOn}; an expense cannot be dated before.`, 422, {
            approvedOn: project.approvedOn,
          });
        }
        if (project.invoices.has(invoiceKey(command.vendor, command.invoiceReference))) {
          throw new DomainError('IMPROVEMENT.DUPLICATE_INVOICE', `Invoice ${command.invoiceReference} of ${command.vendor} is already paid.`, 409);
        }
        const charges = splitPayment(project, command.amountMinor, day);
        if (!charges) {
          const free = unspent(project).reduce((sum, c) => sum + c.amountMinor, 0);
          throw new DomainError('IMPROVEMENT.OVER_ALLOCATION', `The allocation has ${free} left; a budget increase must be approved first.`, 409, {
            remainingMinor: free,
            requestedMinor: command.amountMinor,
          });
        }
        const releases = [];
        for (const charge of charges) {
          const fund = command.funds.get(charge.fundId);
          invariant(fund !== undefined, `fund ${charge.fundId} of the allocation not loaded`);
          const r = fund.restriction;
          if (r.class === 'donor-restricted' && r.restrictedUntil && day < r.restrictedUntil) {
            throw new DomainError('IMPROVEMENT.TIME_RESTRICTED', `Money in ${fund.code} is restricted until ${r.restrictedUntil}.`, 422, { fundId: fund.fundId });
          }
          if (r.class === 'donor-restricted' && r.purpose) releases.push({ fundId: fund.fundId, purpose: r.purpose, amountMinor: charge.amountMinor });
        }
        return [
          {
            type: 'ImprovementExpensePaid',
            data: {
              improvementId: project.improvementId,
              propertyId: project.propertyId,
              expenseId: command.expenseId,
              movementId: command.expenseId,
              kind: 'improvement-expense',
              phase: project.phase,
              vendor: command.vendor,
              invoiceReference: command.invoiceReference,
              amountMinor: command.amountMinor,
              currency: project.currency,
              effectiveAt: command.effectiveAt,
              charges,
              postings: charges.map((c) => ({ from: fundAccount(c.fundCode), to: vendorAccount(command.vendor), amountMinor: c.amountMinor, asset: project.currency })),
              restrictionReleases: releases,
              paidBy: command.by,
            },
          },
        ];
      }
      case 'ReverseExpense': {
        const project = requireProject(state);
        const paid = project.expenses.get(command.expenseId);
        if (!paid) throw new DomainError('IMPROVEMENT.EXPENSE_NOT_FOUND', 'No such expense on this project.', 404, { expenseId: command.expenseId });
        if (paid.reversed) throw new DomainError('IMPROVEMENT.EXPENSE_ALREADY_REVERSED', 'This expense is already reversed.', 409, { expenseId: command.expenseId });
        // A correction is dated on or after what it corrects, and not later than today.
        if (dayOf(command.effectiveAt) < dayOf(paid.effectiveAt)) {
          throw new DomainError('IMPROVEMENT.REVERSAL_BEFORE_EXPENSE', `The expense was paid on ${dayOf(paid.effectiveAt)}; its reversal cannot be dated before.`, 422);
        }
        if (command.effectiveAt > command.now) throw new DomainError('IMPROVEMENT.EXPENSE_IN_FUTURE', 'A reversal cannot be dated in the future.', 422);
        return [
          {
            type: 'ImprovementExpenseReversed',
            data: {
              improvementId: project.improvementId,
              propertyId: project.propertyId,
              expenseId: command.expenseId,
              movementId: command.expenseId,
              kind: 'improvement-expense-reversal',
              vendor: paid.vendor,
              amountMinor: paid.amountMinor,
              currency: project.currency,
              effectiveAt: command.effectiveAt,
              reason: command.reason,
              charges: paid.charges,
              postings: paid.charges.map((c) => ({ from: vendorAccount(paid.vendor), to: fundAccount(c.fundCode), amountMinor: c.amountMinor, asset: project.currency })),
              restoredToHolds: project.status === 'approved',
              reversedBy: command.by,
            },
          },
        ];
      }
      case 'RequestBudgetIncrease': {
        const project = requireProject(state);
        requireApproved(project, 'budget increases');
        if (project.pendingIncreases.has(command.increaseId)) throw new DomainError('IMPROVEMENT.ALREADY_EXISTS', 'This increase id is taken.', 409);
        const lines = checkLines(command.fundingLines, project.currency);
        notInFuture(command.effectiveAt, command.now);
        invariant(project.approvedOn !== undefined, 'approved project without approval day');
        if (dayOf(command.effectiveAt ?? command.now) < project.approvedOn) {
          throw new DomainError('IMPROVEMENT.INCREASE_BEFORE_APPROVAL', `The project was approved on ${project.approvedOn}; an increase cannot be dated before.`, 422, {
            approvedOn: project.approvedOn,
          });
        }
        return [
          {
            type: 'ImprovementBudgetIncreaseRequested',
            data: {
              improvementId: project.improvementId,
              increaseId: command.increaseId,
              fundingLines: lines,
              amountMinor: lines.reduce((sum, l) => sum + l.amountMinor, 0),
              reason: command.reason,
              requestedBy: command.by,
              requestedAt: command.now,
              ...(command.effectiveAt === undefined ? {} : { effectiveAt: command.effectiveAt }),
            },
          },
        ];
      }
      case 'ApproveBudgetIncrease': {
        const project = requireProject(state);
        const pending = project.pendingIncreases.get(command.increaseId);
        if (!pending) {
          const decided = project.lines.some((l) => l.holdId.startsWith(`${increaseHoldId(command.increaseId)}-`));
          throw decided
            ? new DomainError('IMPROVEMENT.ALREADY_DECIDED', 'This budget increase is already approved.', 409)
            : new DomainError('IMPROVEMENT.INCREASE_NOT_FOUND', 'No such budget increase on this project.', 404);
        }
        requireApproved(project, 'budget increases');
        if (command.by === pending.requestedBy) throw new DomainError('IMPROVEMENT.SELF_APPROVAL', 'Another steward approves what you requested.', 403);
        const approvedOn = dayOf(command.effectiveAt ?? command.now);
        notInFuture(command.effectiveAt, command.now);
        if (approvedOn < pending.requestedOn) {
          throw new DomainError('IMPROVEMENT.APPROVAL_BEFORE_REQUEST', `The increase was requested on ${pending.requestedOn}; its approval cannot be dated before.`, 422, {
            requestedOn: pending.requestedOn,
          });
        }
        return [
          {
            type: 'ImprovementBudgetIncreaseApproved',
            data: {
              improvementId: project.improvementId,
              increaseId: command.increaseId,
              lines: allocate(pending.lines, increaseHoldId(command.increaseId), approvedOn),
              approvedBy: command.by,
              approvedAt: command.now,
              ...(command.effectiveAt === undefined ? {} : { effectiveAt: command.effectiveAt }),
            },
          },
        ];
      }
      case 'CompleteImprovement': {
        const project = requireProject(state);
        if (project.status === 'completed') throw new DomainError('IMPROVEMENT.ALREADY_COMPLETED', 'The project is already completed.', 409);
        requireApproved(project, 'completion');
        invariant(isIsoDate(command.completedOn), 'completedOn is checked at the edge');
        if (command.completedOn > command.now.slice(0, 10)) throw new DomainError('IMPROVEMENT.COMPLETED_IN_FUTURE', 'A completion date cannot be in the future.', 422);
        return [
          {
            type: 'ImprovementCompleted',
            data: {
              improvementId: project.improvementId,
              completedOn: command.completedOn,
              inspection: command.inspection,
              ...(command.inspectionNotes ? { inspectionNotes: command.inspectionNotes } : {}),
              released: unspent(project),
              completedAt: command.now,
            },
          },
        ];
      }
      case 'CancelImprovement': {
        const project = requireProject(state);
        if (project.status === 'completed') throw new DomainError('IMPROVEMENT.COMPLETED', 'A completed project cannot be cancelled.', 409);
        if (project.status === 'cancelled') throw new DomainError('IMPROVEMENT.CANCELLED', 'The project is already cancelled.', 409);
        return [
          {
            type: 'ImprovementCancelled',
            data: { improvementId: project.improvementId, reason: command.reason, released: unspent(project), cancelledAt: command.now },
          },
        ];
      }
      case 'RecordResaleCredit': {
        const project = requireProject(state);
        if (project.status !== 'completed') throw new DomainError('IMPROVEMENT.NOT_COMPLETED', 'A resale credit is recorded for completed work only.', 409);
        if (project.resaleCreditMinor !== undefined) throw new DomainError('IMPROVEMENT.RESALE_CREDIT_EXISTS', 'This project already has its resale credit.', 409);
        if (!isPositiveAmountMinor(command.amountMinor)) {
          throw new DomainError('IMPROVEMENT.AMOUNT_INVALID', 'A resale credit is a positive whole number of minor units.', 400, { field: 'amountMinor' });
        }
        // The credit raises a capped resale price; it can never be worth more than the work cost.
        const spent = spentOf(project);
        if (command.amountMinor > spent) {
          throw new DomainError('IMPROVEMENT.CREDIT_EXCEEDS_COST', `The credit exceeds what the work cost (${spent}).`, 422, { spentMinor: spent });
        }
        return [
          {
            type: 'ResaleCreditRecorded',
            data: { improvementId: project.improvementId, propertyId: project.propertyId, amountMinor: command.amountMinor, description: command.description, recordedAt: command.now },
          },
        ];
      }
      default:
        return assertNever(command);
    }
  },
};

/** A record of what happened is dated when it happened: never later than it is recorded. */
function notInFuture(effectiveAt: string | undefined, now: string): void {
  if (effectiveAt !== undefined && effectiveAt > now) {
    throw new DomainError('IMPROVEMENT.DATE_IN_FUTURE', 'A plan, request or approval is recorded once it happened: its date cannot be in the future.', 422, {
      effectiveAt,
    });
  }
}

function invoiceKey(vendor: string, invoiceReference: string): string {
  return `${vendor}\u0000${invoiceReference}`;
}

export const vendorAccount = (vendor: string): string => `vendor:${vendor}`;
export const improvementStream = (improvementId: string): string => `improvement-${improvementId}`;
