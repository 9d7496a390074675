import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '../../../commands/command-context';
import { CommandOutcome, CommandRunner } from '../../../commands/command-runner';
import { LEDGER_CONFIG } from '../../../commands/ledger-core.module';
import type { LedgerConfig } from '../../../config';
import { BUSINESS_DAY_RANGE, isBusinessDay } from '../../../shared/business-date';
import { PeriodRange, parsePeriod } from '../../../shared/calendar';
import { PeriodErrors } from '../ledger.errors';
import { PERIODS_STREAM, periodsDecider } from '../period/period.decider';
import { LEDGER_MODULE_EVENTS } from '../ledger.events';
import { newEventsOf } from '../../../shared/event-schema';

const newLedgerEvents = newEventsOf(LEDGER_MODULE_EVENTS);

export class ClosePeriodCommand {
  constructor(
    readonly context: CommandContext,
    readonly period: string,
  ) {}
}

export type PeriodClosed = PeriodRange & { status: string };

/** Nothing may be recorded with a business date inside a closed period from then on. */
@CommandHandler(ClosePeriodCommand)
export class ClosePeriodHandler implements ICommandHandler<ClosePeriodCommand, CommandOutcome<PeriodClosed>> {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  execute({ context, period }: ClosePeriodCommand): Promise<CommandOutcome<PeriodClosed>> {
    const range = parsePeriod(period, this.config.fiscalYearStartMonth);
    // A period outside the supported business dates could never be recorded (the event catalogue
    // refuses its dates), so it is refused here as the bad input it is.
    if (!range || !isBusinessDay(range.start) || !isBusinessDay(range.end)) throw PeriodErrors.invalid(period, BUSINESS_DAY_RANGE);
    return this.runner.run(context, async () => {
      const { state, expected } = await this.runner.load(PERIODS_STREAM, periodsDecider);
      const events = periodsDecider.decide({ type: 'ClosePeriod', range, by: context.actor.id, now: context.now.toISOString() }, state);
      return {
        appends: [{ streamId: PERIODS_STREAM, expected, events: newLedgerEvents(events) }],
        response: { ...range, status: 'closed' },
      };
    });
  }
}
