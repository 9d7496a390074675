import { Inject, Injectable } from '@nestjs/common';
import { CommandContext } from '../../commands/command-context';
import { CommandOutcome, CommandRunner } from '../../commands/command-runner';
import { LEDGER_CONFIG } from '../../commands/ledger-core.module';
import type { LedgerConfig } from '../../config';
import { ExpectedRevision, StreamAppend } from '../../event-store/event-store.port';
import { newEventsOf } from '../../shared/event-schema';
import { LedgerWrites, LoadedFund } from '../ledger';
import { FundEvent, fundStream, storedInstant } from './fund/fund.decider';
import { DonationErrors } from './funds.errors';
import { FUNDS_EVENTS } from './funds.events';
import {
  DonationMethod,
  FundEffect,
  FundFacts,
  MovementCommand,
  MovementEvent,
  PledgeFacts,
  SustainerFacts,
  movementDecider,
  movementStream,
} from './movement/movement.decider';

export interface MovementResponse {
  readonly movementId: string;
  readonly status: 'requested' | 'posted' | 'rejected' | 'expired' | 'reversed';
}

/** A decision on an existing movement: its events, the revision read, and what the request moves. */
export interface DecidedMovement {
  readonly events: MovementEvent[];
  readonly expected: ExpectedRevision;
  readonly effects: readonly FundEffect[];
  /** The request's own business date ('' when there is no request). */
  readonly effectiveAt: string;
}

/**
 * Events as appended. The envelope's `effectiveAt` is the business date of what the event
 * records (the decision's date, else the date in its data); `recordedAt` stays the server's clock.
 */
export function asNew(events: readonly (FundEvent | MovementEvent)[], effectiveAt?: string) {
  return events.flatMap((e) => newFundsEvents([e], effectiveAt ?? (e.data as { effectiveAt?: string }).effectiveAt));
}

/** The funds module's events at their catalogue versions (no business date on the envelope unless given). */
export const newFundsEvents = newEventsOf(FUNDS_EVENTS);

/** The first events of a new movement's stream. */
export function newMovement(movementId: string, events: readonly MovementEvent[]): StreamAppend {
  return { streamId: movementStream(movementId), expected: 'no_stream', events: asNew(events) };
}

/** A business date: the one given, in the form the ledger stores, or else the recording time. */
export function businessDate(context: CommandContext, effectiveAt: string | undefined): string {
  return effectiveAt === undefined ? context.now.toISOString() : storedInstant(effectiveAt);
}

/**
 * What the movement handlers share. Each decision reads the movement's stream, the streams of
 * the funds it touches and the closed periods, and appends to the movement and to every touched
 * fund in one atomic append with the revisions it read: two approvals racing on one fund cannot
 * both spend the same money, because the slower one's fund revision is stale and it is decided
 * again against the new balance. Sustainers record and reverse donations through `recordDonation`
 * and `reverse`.
 */
@Injectable()
export class FundsWrites {
  constructor(
    readonly runner: CommandRunner,
    readonly ledger: LedgerWrites,
    @Inject(LEDGER_CONFIG) readonly config: LedgerConfig,
  ) {}

  async decideMovement(movementId: string, command: MovementCommand): Promise<DecidedMovement> {
    const { state, expected } = await this.runner.load(movementStream(movementId), movementDecider);
    const events = movementDecider.decide(command, state);
    const request = state.status === 'none' ? undefined : state.request;
    return { events, expected, effects: request?.effects ?? [], effectiveAt: request?.effectiveAt ?? '' };
  }

  /**
   * A new movement against one fund: the open-period check comes first, then the fund is read and
   * the movement decided against it (income, a donation, a disbursement request).
   */
  async decideNewMovement(fundId: string, effectiveAt: string, command: (fund: FundFacts) => MovementCommand): Promise<{ fund: LoadedFund; events: MovementEvent[] }> {
    await this.ledger.requireOpenPeriod(effectiveAt);
    const fund = await this.ledger.loadFund(fundId);
    return { fund, events: movementDecider.decide(command(fund.facts), movementDecider.initialState()) };
  }

  /** A movement posted at once (income, a donation): its events and the credit to its one fund. */
  postedInto(fundId: string, fund: LoadedFund, movementId: string, events: readonly MovementEvent[], amountMinor: number, effectiveAt: string): StreamAppend[] {
    const entry = this.ledger.fundAppend(fundId, fund, { type: 'PostEntry', movementId, deltaMinor: amountMinor, effectiveAt });
    return [newMovement(movementId, events), ...(entry ? [entry] : [])];
  }

  /** The streams a decision on an existing movement will append to: the movement and its funds. */
  async locksOf(movementId: string): Promise<string[]> {
    const { state } = await this.runner.load(movementStream(movementId), movementDecider);
    const funds = state.status === 'none' ? [] : state.request.effects.map((e) => fundStream(e.fundId));
    return [movementStream(movementId), ...funds];
  }

  /** Each effect posted as an entry into its fund, on the given business date. */
  async applyEffects(movementId: string, effects: readonly FundEffect[], effectiveAt: string): Promise<StreamAppend[]> {
    const appends = await Promise.all(
      effects.map(async (effect) =>
        this.ledger.fundAppend(effect.fundId, await this.ledger.loadFund(effect.fundId), { type: 'PostEntry', movementId, deltaMinor: effect.deltaMinor, effectiveAt }),
      ),
    );
    return appends.filter((a): a is StreamAppend => a !== undefined);
  }

  /**
   * Rejection and expiry end a request and free whatever it held. A rejection is dated
   * (`effectiveAt`, in an open period); an expiry is not.
   */
  async release(
    context: CommandContext,
    movementId: string,
    command: MovementCommand,
    outcome: 'rejected' | 'expired',
    effectiveAt?: string,
  ): Promise<CommandOutcome<MovementResponse>> {
    return this.runner.run(context, async () => {
      const decided = await this.decideMovement(movementId, command);
      if (effectiveAt !== undefined) await this.ledger.requireOpenPeriod(effectiveAt);
      const debited = decided.effects.filter((e) => e.deltaMinor < 0);
      const releases = await Promise.all(
        debited.map(async (effect) => this.ledger.fundAppend(effect.fundId, await this.ledger.loadFund(effect.fundId), { type: 'ReleaseHold', movementId, reason: outcome })),
      );
      return {
        appends: [
          { streamId: movementStream(movementId), expected: decided.expected, events: asNew(decided.events, effectiveAt) },
          ...releases.filter((a): a is StreamAppend => a !== undefined),
        ],
        response: { movementId, status: outcome },
      };
    }, { locks: await this.locksOf(movementId) });
  }

  /**
   * A reversal is a new movement of the opposite sign, dated in an open period; the original
   * stays. Shared by the reversal route and the sustainers' donation reversal.
   */
  async reverse(context: CommandContext, movementId: string, reason: string, effectiveAt?: string): Promise<CommandOutcome<MovementResponse>> {
    const when = businessDate(context, effectiveAt);
    return this.runner.run(context, async () => {
      // A closed period is the first thing said about a date: it holds whatever the movement is.
      await this.ledger.requireOpenPeriod(when);
      const decided = await this.decideMovement(movementId, {
        type: 'ReverseMovement',
        by: context.actor.id,
        reason,
        effectiveAt: when,
        now: context.now.toISOString(),
      });
      const opposite = decided.effects.map((e) => ({ fundId: e.fundId, deltaMinor: -e.deltaMinor }));
      const funds = await this.applyEffects(movementId, opposite, when);
      return {
        appends: [{ streamId: movementStream(movementId), expected: decided.expected, events: asNew(decided.events) }, ...funds],
        response: { movementId, status: 'reversed' as const },
      };
    }, { locks: await this.locksOf(movementId) });
  }

  /**
   * A gift from a sustainer, posted at once like income. The giver (and the pledge it fulfils)
   * are read by `loadGiver` inside each attempt, so a retry sees fresh facts; the fund defaults
   * to the pledge's designated fund.
   */
  recordDonation(
    context: CommandContext,
    request: { movementId: string; fundId?: string; method: DonationMethod; goodsServicesMinor: number; amountMinor: number; currency: string; effectiveAt: string },
    loadGiver: () => Promise<{ sustainer: SustainerFacts; pledge?: PledgeFacts; alsoAppend?: readonly StreamAppend[] }>,
  ): Promise<CommandOutcome<MovementResponse>> {
    const { movementId } = request;
    const effectiveAt = storedInstant(request.effectiveAt);
    return this.runner.run(context, async () => {
      const giver = await loadGiver();
      const fundId = request.fundId ?? giver.pledge?.fundId;
      if (!fundId) {
        await this.ledger.requireOpenPeriod(effectiveAt);
        throw DonationErrors.fundRequired();
      }
      const { fund, events } = await this.decideNewMovement(fundId, effectiveAt, (facts) => ({
          type: 'RecordDonation',
          movementId,
          fund: facts,
          sustainer: giver.sustainer,
          ...(giver.pledge ? { pledge: giver.pledge } : {}),
          method: request.method,
          goodsServicesMinor: request.goodsServicesMinor,
          amountMinor: request.amountMinor,
          currency: request.currency,
          effectiveAt,
          by: context.actor.id,
          now: context.now.toISOString(),
      }));
      return {
        appends: [
          ...this.postedInto(fundId, fund, movementId, events, request.amountMinor, effectiveAt),
          // The giver's side (the pledge's record of the gift), in the same atomic append.
          ...(giver.alsoAppend ?? []),
        ],
        response: { movementId, status: 'posted' as const },
      };
    }, { locks: request.fundId ? [fundStream(request.fundId)] : [] });
  }
}
