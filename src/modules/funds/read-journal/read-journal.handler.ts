import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ReadModelDatabase } from '../../../projections/read-model-database';
import { fundAccount } from '../../../shared/postings';
import { journalPage } from '../../ledger/index';
import { storedInstant } from '../fund/fund.decider';
import { findFund } from '../fund-views/fund-views.queries';
import { FundErrors } from '../funds.errors';
import type { JournalDto } from '../funds.responses';

export class ReadJournalQuery {
  constructor(
    readonly fundId: string,
    /** `after` is the `next` of the previous page: `<day>|<position>`. */
    readonly filter: { from?: string; to?: string; kind?: string; after?: string; limit: number },
  ) {}
}

/** The fund's entries, newest business date first, a page at a time. */
@QueryHandler(ReadJournalQuery)
export class ReadJournalHandler implements IQueryHandler<ReadJournalQuery, JournalDto> {
  constructor(private readonly readModels: ReadModelDatabase) {}

  async execute({ fundId, filter }: ReadJournalQuery): Promise<JournalDto> {
    const fund = findFund(this.readModels.db, fundId);
    if (!fund) throw FundErrors.notFound(fundId);
    const { after, ...rest } = filter;
    const before = after ? { day: after.slice(0, 10), position: Number(after.slice(11)) } : undefined;
    const rows = journalPage(this.readModels.db, fundAccount(fund.code), { ...rest, before });
    // Business dates recorded before they were stored in one form are answered in that form too.
    const items = rows.map(({ day, ...row }) => ({
      ...row,
      effectiveAt: storedInstant(row.effectiveAt),
      effectiveOn: day,
      reversal: row.eventType === 'MovementReversed',
    }));
    const last = rows[rows.length - 1];
    return { fundId, items, ...(rows.length === filter.limit ? { next: `${last.day}|${last.position}` } : {}) };
  }
}
