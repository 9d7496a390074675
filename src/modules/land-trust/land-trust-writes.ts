import { Injectable } from '@nestjs/common';
import { toInstant } from '../../shared/calendar';
import { CommandRunner } from '../../commands/command-runner';
import { ExpectedRevision, StreamAppend } from '../../event-store/event-store.port';
import { newEventsOf } from '../../shared/event-schema';
import { fundStream } from '../funds/funds.domain';
import { LedgerWrites } from '../ledger';
import { Charge, ImprovementEvent, Project, improvementDecider, improvementStream } from './improvement/improvement.decider';
import { LandTrustErrors } from './land-trust.errors';
import { LAND_TRUST_EVENTS } from './land-trust.events';

export interface FundingLineInput {
  readonly fundId: string;
  readonly amountMinor: number;
}

/**
 * Events as appended. `effectiveAt`, when given, is the envelope's business date: a back-dated
 * approval's holds (`FundHoldPlaced`) count from the approval's date, not from when it was
 * recorded, so the funds' balances as of a date agree with the land-trust reports.
 */
export const asNew = newEventsOf(LAND_TRUST_EVENTS);

/** The optional business date of a command, in stored form. */
export function optionalInstant(value: string | undefined): string | undefined {
  return value === undefined ? undefined : toInstant(value);
}

/**
 * What the land-trust use cases share. Every decision that commits, spends or frees money
 * appends to the improvement's stream and to every fund it touches in one atomic append with
 * the revisions it read, under the funds' in-process locks: an approval racing a transfer on
 * the same fund cannot both take the same money. The handlers decide; this loads and posts.
 */
@Injectable()
export class LandTrustWrites {
  constructor(
    readonly runner: CommandRunner,
    readonly ledger: LedgerWrites,
  ) {}


  /** Funding lines as the decider checks them: each with the facts of its fund. */
  fundLines(lines: readonly FundingLineInput[]) {
    return Promise.all(lines.map(async (l) => ({ fund: (await this.ledger.loadFund(l.fundId)).facts, amountMinor: l.amountMinor })));
  }

  async project(improvementId: string): Promise<{ project: Project; expected: ExpectedRevision }> {
    const { state, expected } = await this.runner.load(improvementStream(improvementId), improvementDecider);
    if (state.status === 'none') throw LandTrustErrors.improvementNotFound(improvementId);
    return { project: state, expected };
  }

  /** The locks of a decision on a project: its stream and every fund it draws on (plus `extra`). */
  async fundLocks(improvementId: string, extra: readonly string[] = []): Promise<string[]> {
    const { state } = await this.runner.load(improvementStream(improvementId), improvementDecider);
    const funds = state.status === 'none' ? [] : [...state.plannedLines.map((l) => l.fundId), ...state.lines.map((l) => l.fundId)];
    return [improvementStream(improvementId), ...[...funds, ...extra].map(fundStream)];
  }

  /** An approval (of the plan or of an increase) places a hold per line, dated like the approval. */
  holdsFor(events: readonly ImprovementEvent[], effectiveAt: string | undefined): Promise<StreamAppend[]> {
    const lines = events.flatMap((e) => (e.type === 'ImprovementApproved' || e.type === 'ImprovementBudgetIncreaseApproved' ? e.data.lines : []));
    return this.ledger.fundAppends(
      lines.map((l) => ({ fundId: l.fundId, command: { type: 'PlaceHold', movementId: l.holdId, amountMinor: l.amountMinor } })),
      { effectiveAt },
    );
  }

  releasesFor(released: readonly Charge[], reason: 'cancelled' | 'completed'): Promise<StreamAppend[]> {
    return this.ledger.fundAppends(released.map((c) => ({ fundId: c.fundId, command: { type: 'ReleaseHold', movementId: c.holdId, reason } })), { effectiveAt: undefined });
  }
}
