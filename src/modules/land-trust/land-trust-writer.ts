import { Injectable } from '@nestjs/common';
import { CommandContext } from '../../commands/command-context';
import { CommandOutcome, CommandRunner } from '../../commands/command-runner';
import { ExpectedRevision, StreamAppend, WrongExpectedVersionError } from '../../event-store/event-store.port';
import { DomainError } from '../../shared/domain-error';
import { newId } from '../../shared/ids';
import { FundCommand, FundState, fundDecider, fundStream } from '../funds/fund/fund.decider';
import { PERIODS_STREAM, periodsDecider, requireOpenPeriod } from '../ledger/period/period.decider';
import { Charge, FundFacts, ImprovementCommand, ImprovementEvent, Inspection, Phase, Project, improvementDecider, improvementStream } from './improvement/improvement.decider';
import { GroundLease, PropertyCommand, PropertyStatus, parcelStream, propertyDecider, propertyStream } from './property/property.decider';

interface LoadedFund {
  readonly state: FundState;
  readonly expected: ExpectedRevision;
  readonly facts: FundFacts;
}

/**
 * Events as appended. `effectiveAt`, when given, is the envelope's business date: a back-dated
 * approval's holds (`FundHoldPlaced`) count from the approval's date, not from when it was
 * recorded, so the funds' balances as of a date agree with the land-trust reports.
 */
function asNew(events: readonly { type: string; data: unknown }[], effectiveAt?: string) {
  return events.map((e) => ({ type: e.type, schemaVersion: 1, data: e.data, ...(effectiveAt === undefined ? {} : { effectiveAt }) }));
}

/**
 * A business date as the ledger stores it: a UTC instant with milliseconds. The edge accepts an
 * ISO day (`2026-03-01`, midnight UTC) or an instant with any offset; the decider compares
 * stored forms, and what is hashed is what is read back.
 */
export function storedInstant(value: string): string {
  return new Date(value.length === 10 ? `${value}T00:00:00.000Z` : value).toISOString();
}

export interface FundingLineInput {
  readonly fundId: string;
  readonly amountMinor: number;
}

/**
 * The write path of the land trust. Every decision that commits, spends or frees money appends
 * to the improvement's stream and to every fund it touches in one atomic append with the
 * revisions it read, under the funds' in-process locks: an approval racing a transfer on the
 * same fund cannot both take the same money.
 */
@Injectable()
export class LandTrustWriter {
  constructor(private readonly runner: CommandRunner) {}

  /** Every dated fact of the land trust refuses a business date inside a closed period. */
  private async requireOpenPeriod(effectiveAt: string): Promise<void> {
    const { state: periods } = await this.runner.load(PERIODS_STREAM, periodsDecider);
    requireOpenPeriod(periods, effectiveAt);
  }

  private async loadFund(fundId: string): Promise<LoadedFund> {
    const { state, expected } = await this.runner.load(fundStream(fundId), fundDecider);
    if (state.status === 'none') throw new DomainError('FUND.NOT_FOUND', `No fund ${fundId}.`, 404, { fundId });
    const { code, currency, restriction, status } = state;
    return { state, expected, facts: { fundId, code, currency, restriction, status } };
  }

  /** Several fund commands on one fund become one append, each decided on the state the previous left. */
  private async fundAppends(commands: readonly { fundId: string; command: FundCommand }[], effectiveAt?: string): Promise<StreamAppend[]> {
    const byFund = new Map<string, FundCommand[]>();
    for (const { fundId, command } of commands) byFund.set(fundId, [...(byFund.get(fundId) ?? []), command]);
    const appends: StreamAppend[] = [];
    for (const [fundId, list] of byFund) {
      const fund = await this.loadFund(fundId);
      let state = fund.state;
      const events = [];
      for (const command of list) {
        const decided = fundDecider.decide(command, state);
        state = decided.reduce(fundDecider.evolve, state);
        events.push(...decided);
      }
      if (events.length > 0) appends.push({ streamId: fundStream(fundId), expected: fund.expected, events: asNew(events, effectiveAt) });
    }
    return appends;
  }

  private async fundLines(lines: readonly FundingLineInput[]) {
    return Promise.all(lines.map(async (l) => ({ fund: (await this.loadFund(l.fundId)).facts, amountMinor: l.amountMinor })));
  }

  private async project(improvementId: string): Promise<{ project: Project; expected: ExpectedRevision }> {
    const { state, expected } = await this.runner.load(improvementStream(improvementId), improvementDecider);
    if (state.status === 'none') throw new DomainError('IMPROVEMENT.NOT_FOUND', `No improvement project ${improvementId}.`, 404, { improvementId });
    return { project: state, expected };
  }

  private async fundLocks(improvementId: string, extra: readonly string[] = []): Promise<string[]> {
    const { state } = await this.runner.load(improvementStream(improvementId), improvementDecider);
    const funds = state.status === 'none' ? [] : [...state.plannedLines.map((l) => l.fundId), ...state.lines.map((l) => l.fundId)];
    return [improvementStream(improvementId), ...[...funds, ...extra].map(fundStream)];
  }

  registerProperty(
    context: CommandContext,
    request: { address: string; parcelId: string; acquiredOn: string; status: PropertyStatus },
  ): Promise<CommandOutcome<{ propertyId: string }>> {
    const propertyId = newId();
    return this.runner.run(
      context,
      async () => {
        const events = propertyDecider.decide({ type: 'RegisterProperty', propertyId, ...request, now: context.now.toISOString() }, propertyDecider.initialState());
        return {
          appends: [
            { streamId: propertyStream(propertyId), expected: 'no_stream', events: asNew(events) },
            { streamId: parcelStream(request.parcelId), expected: 'no_stream', events: [{ type: 'ParcelReserved', schemaVersion: 1, data: { parcelId: request.parcelId, propertyId } }] },
          ],
          response: { propertyId },
        };
      },
      {
        onConflict: (error: WrongExpectedVersionError) =>
          error.streamId === parcelStream(request.parcelId)
            ? new DomainError('PROPERTY.PARCEL_TAKEN', `Parcel ${request.parcelId} is already registered.`, 409, { parcelId: request.parcelId })
            : undefined,
      },
    );
  }

  /** A status change or a lease is dated when it is recorded: that day must be in an open period. */
  private onProperty(context: CommandContext, propertyId: string, command: PropertyCommand): Promise<CommandOutcome<{ propertyId: string }>> {
    return this.runner.run(context, async () => {
      await this.requireOpenPeriod(command.now);
      const { state, expected } = await this.runner.load(propertyStream(propertyId), propertyDecider);
      const events = propertyDecider.decide(command, state);
      return { appends: [{ streamId: propertyStream(propertyId), expected, events: asNew(events) }], response: { propertyId } };
    });
  }

  changePropertyStatus(context: CommandContext, propertyId: string, status: PropertyStatus, reason?: string) {
    return this.onProperty(context, propertyId, { type: 'ChangePropertyStatus', status, reason, now: context.now.toISOString() });
  }

  recordGroundLease(context: CommandContext, propertyId: string, lease: Omit<GroundLease, 'leaseId'>) {
    return this.onProperty(context, propertyId, { type: 'RecordGroundLease', lease: { leaseId: newId(), ...lease }, now: context.now.toISOString() });
  }

  planImprovement(
    context: CommandContext,
    request: {
      propertyId: string;
      description: string;
      phase: Phase;
      estimateMinor: number;
      currency: string;
      fundingLines: readonly FundingLineInput[];
      effectiveAt?: string;
    },
  ): Promise<CommandOutcome<{ improvementId: string; status: 'planned' }>> {
    const improvementId = newId();
    const effectiveAt = request.effectiveAt === undefined ? undefined : storedInstant(request.effectiveAt);
    return this.runner.run(context, async () => {
      await this.requireOpenPeriod(effectiveAt ?? context.now.toISOString());
      const { state: property } = await this.runner.load(propertyStream(request.propertyId), propertyDecider);
      const events = improvementDecider.decide(
        {
          type: 'PlanImprovement',
          improvementId,
          property: { propertyId: request.propertyId, status: property.status },
          description: request.description,
          phase: request.phase,
          estimateMinor: request.estimateMinor,
          currency: request.currency,
          fundingLines: await this.fundLines(request.fundingLines),
          ...(effectiveAt === undefined ? {} : { effectiveAt }),
          by: context.actor.id,
          now: context.now.toISOString(),
        },
        improvementDecider.initialState(),
      );
      return { appends: [{ streamId: improvementStream(improvementId), expected: 'no_stream', events: asNew(events) }], response: { improvementId, status: 'planned' as const } };
    });
  }

  /**
   * Approval commits the money: each funding line becomes a hold on its fund. An approval
   * recorded after the fact carries its business date, and its holds count from that date.
   */
  async approve(context: CommandContext, improvementId: string, request: { effectiveAt?: string } = {}) {
    const effectiveAt = request.effectiveAt === undefined ? undefined : storedInstant(request.effectiveAt);
    return this.runner.run(
      context,
      async () => {
        const { project, expected } = await this.project(improvementId);
        await this.requireOpenPeriod(effectiveAt ?? context.now.toISOString());
        const events = improvementDecider.decide(
          { type: 'ApproveImprovement', ...(effectiveAt === undefined ? {} : { effectiveAt }), by: context.actor.id, now: context.now.toISOString() },
          project,
        );
        return {
          appends: [{ streamId: improvementStream(improvementId), expected, events: asNew(events, effectiveAt) }, ...(await this.holdsFor(events, effectiveAt))],
          response: { improvementId, status: 'approved' as const },
        };
      },
      { locks: await this.fundLocks(improvementId) },
    );
  }

  private holdsFor(events: readonly ImprovementEvent[], effectiveAt: string | undefined): Promise<StreamAppend[]> {
    const lines = events.flatMap((e) => (e.type === 'ImprovementApproved' || e.type === 'ImprovementBudgetIncreaseApproved' ? e.data.lines : []));
    return this.fundAppends(
      lines.map((l) => ({ fundId: l.fundId, command: { type: 'PlaceHold', movementId: l.holdId, amountMinor: l.amountMinor } })),
      effectiveAt,
    );
  }

  private releasesFor(released: readonly Charge[], reason: 'cancelled' | 'completed'): Promise<StreamAppend[]> {
    return this.fundAppends(released.map((c) => ({ fundId: c.fundId, command: { type: 'ReleaseHold', movementId: c.holdId, reason } })));
  }

  /** A payment posts from the funds in funding-line order, each part taken from that line's hold. */
  async payExpense(
    context: CommandContext,
    improvementId: string,
    input: { vendor: string; invoiceReference: string; amountMinor: number; currency: string; effectiveAt: string },
  ) {
    const expenseId = newId();
    const request = { ...input, effectiveAt: storedInstant(input.effectiveAt) };
    return this.runner.run(
      context,
      async () => {
        const { project, expected } = await this.project(improvementId);
        await this.requireOpenPeriod(request.effectiveAt);
        const funds = new Map<string, FundFacts>();
        for (const fundId of new Set(project.lines.map((l) => l.fundId))) funds.set(fundId, (await this.loadFund(fundId)).facts);
        const events = improvementDecider.decide(
          { type: 'PayExpense', expenseId, ...request, funds, by: context.actor.id, now: context.now.toISOString() },
          project,
        );
        const charges = events.flatMap((e) => (e.type === 'ImprovementExpensePaid' ? e.data.charges : []));
        const entries = await this.fundAppends(
          charges.map((c) => ({
            fundId: c.fundId,
            command: { type: 'PostEntry', movementId: expenseId, deltaMinor: -c.amountMinor, effectiveAt: request.effectiveAt, fromHold: { holdId: c.holdId, amountMinor: c.amountMinor } },
          })),
        );
        return {
          appends: [{ streamId: improvementStream(improvementId), expected, events: asNew(events) }, ...entries],
          response: { improvementId, expenseId, charges: charges.map(({ fundId, fundCode, amountMinor }) => ({ fundId, fundCode, amountMinor })) },
        };
      },
      { locks: await this.fundLocks(improvementId) },
    );
  }

  /**
   * Reverses a payment: each fund gets its part back, into the hold it came from while the work
   * goes on, or as available money once the work has ended. Dated in an open period.
   */
  async reverseExpense(context: CommandContext, improvementId: string, expenseId: string, request: { reason: string; effectiveAt?: string }) {
    const effectiveAt = request.effectiveAt === undefined ? context.now.toISOString() : storedInstant(request.effectiveAt);
    return this.runner.run(
      context,
      async () => {
        const { project, expected } = await this.project(improvementId);
        await this.requireOpenPeriod(effectiveAt);
        const events = improvementDecider.decide(
          { type: 'ReverseExpense', expenseId, reason: request.reason, effectiveAt, by: context.actor.id, now: context.now.toISOString() },
          project,
        );
        const reversal = events.flatMap((e) => (e.type === 'ImprovementExpenseReversed' ? [e.data] : []));
        const entries = await this.fundAppends(
          reversal.flatMap((r) =>
            r.charges.map((c) => ({
              fundId: c.fundId,
              command: {
                type: 'PostEntry' as const,
                movementId: `${expenseId}-reversal`,
                deltaMinor: c.amountMinor,
                effectiveAt,
                ...(r.restoredToHolds ? { toHold: { holdId: c.holdId, amountMinor: c.amountMinor } } : {}),
              },
            })),
          ),
        );
        return {
          appends: [{ streamId: improvementStream(improvementId), expected, events: asNew(events) }, ...entries],
          response: { improvementId, expenseId, status: 'reversed' as const, restoredToHolds: reversal[0]?.restoredToHolds ?? false },
        };
      },
      { locks: await this.fundLocks(improvementId) },
    );
  }

  requestBudgetIncrease(context: CommandContext, improvementId: string, request: { fundingLines: readonly FundingLineInput[]; reason: string; effectiveAt?: string }) {
    const increaseId = newId();
    const effectiveAt = request.effectiveAt === undefined ? undefined : storedInstant(request.effectiveAt);
    return this.onImprovement(
      context,
      improvementId,
      async () => ({
        type: 'RequestBudgetIncrease',
        increaseId,
        fundingLines: await this.fundLines(request.fundingLines),
        reason: request.reason,
        ...(effectiveAt === undefined ? {} : { effectiveAt }),
        by: context.actor.id,
        now: context.now.toISOString(),
      }),
      { improvementId, increaseId, status: 'requested' as const },
      effectiveAt ?? context.now.toISOString(),
    );
  }

  async approveBudgetIncrease(context: CommandContext, improvementId: string, increaseId: string, request: { effectiveAt?: string } = {}) {
    const effectiveAt = request.effectiveAt === undefined ? undefined : storedInstant(request.effectiveAt);
    const { state } = await this.runner.load(improvementStream(improvementId), improvementDecider);
    const pendingFunds = state.status === 'none' ? [] : (state.pendingIncreases.get(increaseId)?.lines ?? []).map((l) => l.fundId);
    return this.runner.run(
      context,
      async () => {
        const { project, expected } = await this.project(improvementId);
        await this.requireOpenPeriod(effectiveAt ?? context.now.toISOString());
        const events = improvementDecider.decide(
          { type: 'ApproveBudgetIncrease', increaseId, ...(effectiveAt === undefined ? {} : { effectiveAt }), by: context.actor.id, now: context.now.toISOString() },
          project,
        );
        return {
          appends: [{ streamId: improvementStream(improvementId), expected, events: asNew(events, effectiveAt) }, ...(await this.holdsFor(events, effectiveAt))],
          response: { improvementId, increaseId, status: 'approved' as const },
        };
      },
      { locks: await this.fundLocks(improvementId, pendingFunds) },
    );
  }

  complete(context: CommandContext, improvementId: string, request: { completedOn: string; inspection: Inspection; inspectionNotes?: string }) {
    return this.ending(context, improvementId, { type: 'CompleteImprovement', ...request, now: context.now.toISOString() }, 'completed', request.completedOn);
  }

  cancel(context: CommandContext, improvementId: string, reason: string) {
    return this.ending(context, improvementId, { type: 'CancelImprovement', reason, now: context.now.toISOString() }, 'cancelled', context.now.toISOString());
  }

  /**
   * Completion and cancellation end the work and give what was allocated and not spent back to
   * the funds. Each is dated (the completion day; a cancellation when it is recorded), in an open period.
   */
  private async ending(context: CommandContext, improvementId: string, command: ImprovementCommand, outcome: 'completed' | 'cancelled', dated: string) {
    return this.runner.run(
      context,
      async () => {
        const { project, expected } = await this.project(improvementId);
        await this.requireOpenPeriod(dated);
        const events = improvementDecider.decide(command, project);
        const released = events.flatMap((e) => (e.type === 'ImprovementCompleted' || e.type === 'ImprovementCancelled' ? e.data.released : []));
        return {
          appends: [{ streamId: improvementStream(improvementId), expected, events: asNew(events) }, ...(await this.releasesFor(released, outcome))],
          response: { improvementId, status: outcome, releasedMinor: released.reduce((sum, c) => sum + c.amountMinor, 0) },
        };
      },
      { locks: await this.fundLocks(improvementId) },
    );
  }

  recordResaleCredit(context: CommandContext, improvementId: string, request: { amountMinor: number; description: string }) {
    return this.onImprovement(
      context,
      improvementId,
      async () => ({ type: 'RecordResaleCredit', ...request, now: context.now.toISOString() }),
      { improvementId, resaleCreditMinor: request.amountMinor },
      context.now.toISOString(),
    );
  }

  /** A decision that touches only the project's own stream, dated `dated` (in an open period). */
  private onImprovement<R>(context: CommandContext, improvementId: string, command: () => Promise<ImprovementCommand>, response: R, dated: string) {
    return this.runner.run(context, async () => {
      const { project, expected } = await this.project(improvementId);
      await this.requireOpenPeriod(dated);
      const events = improvementDecider.decide(await command(), project);
      return { appends: [{ streamId: improvementStream(improvementId), expected, events: asNew(events) }], response };
    });
  }
}
