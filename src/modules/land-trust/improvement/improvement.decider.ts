import { dayOf, isIsoDate } from '../../../shared/calendar';
import { Decider } from '../../../shared/decider';
import { assertNever, invariant } from '../../../shared/domain-error';
import { isPositiveAmountMinor } from '../../../shared/money';
import { Posting, fundAccount } from '../../../shared/postings';
import type { Restriction } from '../../funds/funds.domain';
import { LandTrustErrors } from '../land-trust.errors';
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
  if (state.status === 'none') throw LandTrustErrors.improvementNotFound();
  return state;
}

/** Expenses and budget increases need money committed and work not yet ended. */
function requireApproved(project: Project, action: string): void {
  if (project.status === 'approved') return;
  if (project.status === 'planned') throw LandTrustErrors.notApproved(action);
  if (project.status === 'completed') throw LandTrustErrors.completed(`The project is completed: no ${action}.`, { status: project.status });
  throw LandTrustErrors.cancelled(`The project is cancelled: no ${action}.`, { status: project.status });
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
  if (lines.length === 0) throw LandTrustErrors.fundingRequired();
  const seen = new Set<string>();
  for (const [i, { fund, amountMinor }] of lines.entries()) {
    if (!isPositiveAmountMinor(amountMinor)) {
      throw LandTrustErrors.amountInvalid('A funding line is a positive whole number of minor units.', `fundingLines.${i}.amountMinor`);
    }
    if (seen.has(fund.fundId)) throw LandTrustErrors.duplicateFund(fund.code, fund.fundId);
    seen.add(fund.fundId);
    if (fund.status !== 'open') throw LandTrustErrors.fundClosed(fund.code, fund.fundId);
    if (fund.currency !== currency) {
      throw LandTrustErrors.currencyMismatch(`Fund ${fund.code} keeps ${fund.currency}; the project is in ${currency}.`, {
        fundId: fund.fundId,
        fundCurrency: fund.currency,
        currency,
      });
    }
    if (fund.restriction.class === 'donor-restricted' && fund.restriction.purpose !== LAND_TRUST_PURPOSE) {
      throw LandTrustErrors.purposeMismatch(fund.code, fund.fundId, fund.restriction.purpose);
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
        if (state.status !== 'none') throw LandTrustErrors.alreadyExists('improvement');
        if (command.property.status === 'none') throw LandTrustErrors.plannedPropertyNotFound(command.property.propertyId);
        if (command.property.status === 'sold') throw LandTrustErrors.propertySold('gets no new improvements');
        if (!isPositiveAmountMinor(command.estimateMinor)) {
          throw LandTrustErrors.amountInvalid('The estimate is a positive whole number of minor units.', 'estimateMinor');
        }
        const lines = checkLines(command.fundingLines, command.currency);
        notInFuture(command.effectiveAt, command.now);
        const fundedMinor = lines.reduce((sum, l) => sum + l.amountMinor, 0);
        if (fundedMinor < command.estimateMinor) {
          throw LandTrustErrors.fundingShort(fundedMinor, command.estimateMinor);
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
        if (project.status !== 'planned') throw LandTrustErrors.alreadyDecided(`The project is already ${project.status}.`);
        if (command.by === project.plannedBy) throw LandTrustErrors.selfApproval('planned');
        const approvedOn = dayOf(command.effectiveAt ?? command.now);
        notInFuture(command.effectiveAt, command.now);
        if (approvedOn < project.plannedOn) {
          throw LandTrustErrors.approvalBeforePlan(project.plannedOn);
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
          throw LandTrustErrors.amountInvalid('An expense is a positive whole number of minor units.', 'amountMinor');
        }
        if (command.currency !== project.currency) {
          throw LandTrustErrors.currencyMismatch(`The project is in ${project.currency}.`, { currency: command.currency });
        }
        const day = dayOf(command.effectiveAt);
        if (command.effectiveAt > command.now) throw LandTrustErrors.expenseInFuture('An expense is recorded once paid, not before.');
        // Money is paid from an allocation, so not before the allocation existed.
        invariant(project.approvedOn !== undefined, 'approved project without approval day');
        if (day < project.approvedOn) {
          throw LandTrustErrors.expenseBeforeApproval(project.approvedOn);
        }
        if (project.invoices.has(invoiceKey(command.vendor, command.invoiceReference))) {
          throw LandTrustErrors.duplicateInvoice(command.invoiceReference, command.vendor);
        }
        const charges = splitPayment(project, command.amountMinor, day);
        if (!charges) {
          const free = unspent(project).reduce((sum, c) => sum + c.amountMinor, 0);
          throw LandTrustErrors.overAllocation(free, command.amountMinor);
        }
        const releases = [];
        for (const charge of charges) {
          const fund = command.funds.get(charge.fundId);
          invariant(fund !== undefined, `fund ${charge.fundId} of the allocation not loaded`);
          const r = fund.restriction;
          if (r.class === 'donor-restricted' && r.restrictedUntil && day < r.restrictedUntil) {
            throw LandTrustErrors.timeRestricted(fund.code, fund.fundId, r.restrictedUntil);
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
        if (!paid) throw LandTrustErrors.expenseNotFound(command.expenseId);
        if (paid.reversed) throw LandTrustErrors.expenseAlreadyReversed(command.expenseId);
        // A correction is dated on or after what it corrects, and not later than today.
        if (dayOf(command.effectiveAt) < dayOf(paid.effectiveAt)) {
          throw LandTrustErrors.reversalBeforeExpense(dayOf(paid.effectiveAt));
        }
        if (command.effectiveAt > command.now) throw LandTrustErrors.expenseInFuture('A reversal cannot be dated in the future.');
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
        if (project.pendingIncreases.has(command.increaseId)) throw LandTrustErrors.alreadyExists('increase');
        const lines = checkLines(command.fundingLines, project.currency);
        notInFuture(command.effectiveAt, command.now);
        invariant(project.approvedOn !== undefined, 'approved project without approval day');
        if (dayOf(command.effectiveAt ?? command.now) < project.approvedOn) {
          throw LandTrustErrors.increaseBeforeApproval(project.approvedOn);
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
            ? LandTrustErrors.alreadyDecided('This budget increase is already approved.')
            : LandTrustErrors.increaseNotFound();
        }
        requireApproved(project, 'budget increases');
        if (command.by === pending.requestedBy) throw LandTrustErrors.selfApproval('requested');
        const approvedOn = dayOf(command.effectiveAt ?? command.now);
        notInFuture(command.effectiveAt, command.now);
        if (approvedOn < pending.requestedOn) {
          throw LandTrustErrors.approvalBeforeRequest(pending.requestedOn);
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
        if (project.status === 'completed') throw LandTrustErrors.alreadyCompleted();
        requireApproved(project, 'completion');
        invariant(isIsoDate(command.completedOn), 'completedOn is checked at the edge');
        if (command.completedOn > command.now.slice(0, 10)) throw LandTrustErrors.completedInFuture();
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
        if (project.status === 'completed') throw LandTrustErrors.completed('A completed project cannot be cancelled.');
        if (project.status === 'cancelled') throw LandTrustErrors.cancelled('The project is already cancelled.');
        return [
          {
            type: 'ImprovementCancelled',
            data: { improvementId: project.improvementId, reason: command.reason, released: unspent(project), cancelledAt: command.now },
          },
        ];
      }
      case 'RecordResaleCredit': {
        const project = requireProject(state);
        if (project.status !== 'completed') throw LandTrustErrors.notCompleted();
        if (project.resaleCreditMinor !== undefined) throw LandTrustErrors.resaleCreditExists();
        if (!isPositiveAmountMinor(command.amountMinor)) {
          throw LandTrustErrors.amountInvalid('A resale credit is a positive whole number of minor units.', 'amountMinor');
        }
        // The credit raises a capped resale price; it can never be worth more than the work cost.
        const spent = spentOf(project);
        if (command.amountMinor > spent) {
          throw LandTrustErrors.creditExceedsCost(spent);
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
    throw LandTrustErrors.dateInFuture(effectiveAt);
  }
}

function invoiceKey(vendor: string, invoiceReference: string): string {
  return `${vendor}\u0000${invoiceReference}`;
}

export const vendorAccount = (vendor: string): string => `vendor:${vendor}`;
export const improvementStream = (improvementId: string): string => `improvement-${improvementId}`;
