import { Injectable } from '@nestjs/common';
import { CommandContext } from '../../commands/command-context';
import { CommandOutcome, CommandRunner } from '../../commands/command-runner';
import { newEventsOf } from '../../shared/event-schema';
import { LedgerWrites } from '../ledger';
import { PledgeCommand, PledgeState, pledgeDecider, pledgeStream } from './pledge/pledge.decider';
import { SustainerState, sustainerDecider, sustainerStream } from './sustainer/sustainer.decider';
import { DonationErrors, PledgeErrors } from './sustainers.errors';
import { SUSTAINERS_EVENTS } from './sustainers.events';

export const asNew = newEventsOf(SUSTAINERS_EVENTS);

export type LivePledgeState = Extract<PledgeState, { made: unknown }>;

/** What several sustainers command handlers load or check before they decide. */
@Injectable()
export class SustainersWrites {
  constructor(
    readonly runner: CommandRunner,
    readonly ledger: LedgerWrites,
  ) {}

  loadSustainer(sustainerId: string): Promise<{ state: SustainerState }> {
    return this.runner.load(sustainerStream(sustainerId), sustainerDecider);
  }

  /** PERIOD.CLOSED for a business day inside a closed period, naming the request field (in `errors[]`). */
  requireOpenPeriod(day: string, field: string): Promise<void> {
    return this.ledger.requireOpenPeriod(day, field);
  }

  /**
   * The fund a one-off gift (or a gift to another fund than its pledge's) goes to must hold the
   * gift's currency: DONATION.CURRENCY_MISMATCH, as for a gift in another currency than its
   * pledge. An unknown or closed fund is left to the movement writer (FUND.NOT_FOUND, FUND.CLOSED).
   */
  async requireFundCurrency(fundId: string | undefined, currency: string): Promise<void> {
    if (!fundId) return;
    const { state } = await this.ledger.fundState(fundId);
    if (state.status !== 'none' && state.currency !== currency) throw DonationErrors.currencyMismatch({ fundId, code: state.code, currency: state.currency }, currency);
  }

  /**
   * Amend, pause, resume, cancel, write off: load the pledge, check the day is in an open period
   * (what was due in a closed period may not change after the close), decide the change the
   * use case builds, append it, answer the pledge's status after it.
   */
  changePledge(
    context: CommandContext,
    pledgeId: string,
    from: string,
    build: (pledge: LivePledgeState, sustainer: SustainerState) => PledgeCommand,
  ): Promise<CommandOutcome<{ pledgeId: string; status: string }>> {
    return this.runner.run(context, async () => {
      const { state, expected } = await this.runner.load(pledgeStream(pledgeId), pledgeDecider);
      if (state.status === 'none') throw PledgeErrors.notFound(pledgeId);
      await this.requireOpenPeriod(from, 'from');
      const { state: sustainer } = await this.loadSustainer(state.made.sustainerId);
      const events = pledgeDecider.decide(build(state, sustainer), state);
      const after = events.reduce(pledgeDecider.evolve, state);
      return { appends: [{ streamId: pledgeStream(pledgeId), expected, events: asNew(events) }], response: { pledgeId, status: after.status } };
    });
  }
}
