import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../../../commands/command-runner';
import { LEDGER_CONFIG } from '../../../commands/ledger-core.module';
import type { LedgerConfig } from '../../../config';
import { PeriodRange } from '../../../shared/calendar';
import { PERIODS_STREAM, periodsDecider } from '../period/period.decider';

export class ListPeriodsQuery {}

export interface PeriodList {
  readonly closed: readonly PeriodRange[];
  readonly fiscalYearStartMonth: number;
}

/** Periods are read from their stream, not a read model: the stream is small and always current. */
@QueryHandler(ListPeriodsQuery)
export class ListPeriodsHandler implements IQueryHandler<ListPeriodsQuery, PeriodList> {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  async execute(): Promise<PeriodList> {
    const { state } = await this.runner.load(PERIODS_STREAM, periodsDecider);
    return { closed: state.closed, fiscalYearStartMonth: this.config.fiscalYearStartMonth };
  }
}
