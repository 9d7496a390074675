import { Injectable } from '@nestjs/common';
import { CommandRunner } from '../../commands/command-runner';
import { ExpectedRevision, StreamAppend, WrongExpectedVersionError } from '../../event-store/event-store.port';
import { DomainError } from '../../shared/domain-error';
import { newEventsOf } from '../../shared/event-schema';
import { FundCommand, fundDecider, FundErrors, FundEvent, FUNDS_EVENTS, FundState, fundStream } from '../funds/funds.domain';
import type { FundFacts } from '../funds/funds.domain';
import { PERIODS_STREAM, periodsDecider, requireOpenPeriod } from './period/period.decider';

const toAppend = newEventsOf(FUNDS_EVENTS);


/** A fund's folded state and the revision it was read at: the append is checked against it. */
export interface FundRead {
  readonly state: FundState;
  readonly expected: ExpectedRevision;
}

export interface LoadedFund extends FundRead {
  readonly facts: FundFacts;
}

/**
 * The business date written on a fund event's envelope: the one given (none when undefined), or
 * (`'from-data'`) each event's own `effectiveAt`, as the movements of the funds module date them.
 */
export type EnvelopeDate = { readonly effectiveAt: string | undefined } | 'from-data';

/**
 * How a refused date names its request field: in `errors[]` (`[{ field, messages }]`) or as
 * `details.field`. Both exist in the published answers, so both are kept.
 */

/**
 * A reservation stream (a fund's code, a cooperative's name, a parcel): created once, so of two
 * racing requests for the same name exactly one appends and the other is answered `taken()` at
 * once instead of being retried. The append goes with the command's others; `onConflict` into its
 * run options.
 */
export function reservation(
  streamId: string,
  events: StreamAppend['events'],
  taken: () => DomainError,
): { append: StreamAppend; onConflict: (error: WrongExpectedVersionError) => DomainError | undefined } {
  return {
    append: { streamId, expected: 'no_stream', events },
    onConflict: (error) => (error.streamId === streamId ? taken() : undefined),
  };
}

/**
 * The writes every module makes into the ledger: the open-period check and posting into a fund
 * (load it, let the fund's decider decide its entry or hold, append with the revision read). A
 * fund's balance may only change through here, so every module's posting is decided alike and
 * every append carries the fund revision it was decided on (two posts racing on one fund cannot
 * both spend the same money).
 */
@Injectable()
export class LedgerWrites {
  constructor(private readonly runner: CommandRunner) {}

  /**
   * PERIOD.CLOSED for a business date (day or instant) inside a closed period. With `field`, the
   * refusal names the request field that carries the date in `errors[]`.
   */
  async requireOpenPeriod(when: string, field?: string): Promise<void> {
    const { state } = await this.runner.load(PERIODS_STREAM, periodsDecider);
    try {
      requireOpenPeriod(state, when);
    } catch (error) {
      if (field === undefined || !(error instanceof DomainError)) throw error;
      throw new DomainError(error.code, error.message, error.status, { ...error.details, errors: [{ field, messages: [error.message] }] });
    }
  }

  /** The fund as it is, even when it does not exist (its decider then refuses what is asked of it). */
  fundState(fundId: string): Promise<FundRead> {
    return this.runner.load(fundStream(fundId), fundDecider);
  }

  /** The fund with its facts, or FUND.NOT_FOUND (404). */
  async loadFund(fundId: string): Promise<LoadedFund> {
    const { state, expected } = await this.fundState(fundId);
    if (state.status === 'none') throw FundErrors.notFound(fundId);
    const { code, currency, restriction, status } = state;
    return { state, expected, facts: { fundId, code, currency, restriction, status } };
  }

  /**
   * The fund's events for one or several commands, each decided on the state the previous left,
   * as one append at the revision read; undefined when the fund has nothing to record.
   */
  fundAppend(fundId: string, fund: FundRead, commands: FundCommand | readonly FundCommand[], date: EnvelopeDate = 'from-data'): StreamAppend | undefined {
    let state = fund.state;
    const events: FundEvent[] = [];
    for (const command of Array.isArray(commands) ? commands : [commands]) {
      const decided = fundDecider.decide(command as FundCommand, state);
      state = decided.reduce(fundDecider.evolve, state);
      events.push(...decided);
    }
    if (events.length === 0) return undefined;
    const appended =
      date === 'from-data' ? events.flatMap((e) => toAppend([e], (e.data as { effectiveAt?: string }).effectiveAt)) : toAppend(events, date.effectiveAt);
    return { streamId: fundStream(fundId), expected: fund.expected, events: appended };
  }

  /** Fund commands on several funds: one append per fund (in first-mentioned order), each loaded once. */
  async fundAppends(commands: readonly { fundId: string; command: FundCommand }[], date: EnvelopeDate = 'from-data'): Promise<StreamAppend[]> {
    const byFund = new Map<string, FundCommand[]>();
    for (const { fundId, command } of commands) byFund.set(fundId, [...(byFund.get(fundId) ?? []), command]);
    const appends: StreamAppend[] = [];
    for (const [fundId, list] of byFund) {
      const append = this.fundAppend(fundId, await this.loadFund(fundId), list, date);
      if (append) appends.push(append);
    }
    return appends;
  }
}
