import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ReadModelDatabase } from '../../../projections/read-model-database';
import { ExportErrors } from '../accounting.errors';
import { countLines, glLines, type GlLine } from '../general-ledger/general-ledger.queries';

/** One export at most this many lines (about 20 MB of CSV); a longer period is asked for in parts. */
export const MAX_EXPORT_LINES = 100_000;

export class ReadGeneralLedgerQuery {
  constructor(
    readonly from: string,
    readonly to: string,
  ) {}
}

export interface GeneralLedger {
  from: string;
  to: string;
  lines: GlLine[];
  totals: Record<string, { debitMinor: number; creditMinor: number }>;
}

@QueryHandler(ReadGeneralLedgerQuery)
export class ReadGeneralLedgerHandler implements IQueryHandler<ReadGeneralLedgerQuery, GeneralLedger> {
  constructor(private readonly readModels: ReadModelDatabase) {}

  async execute({ from, to }: ReadGeneralLedgerQuery): Promise<GeneralLedger> {
    if (from > to) throw ExportErrors.periodInvalid(from, to);
    const db = this.readModels.db;
    const read = db.transaction(() => {
      const count = countLines(db, from, to);
      if (count > MAX_EXPORT_LINES) throw ExportErrors.tooLarge(count, MAX_EXPORT_LINES);
      return glLines(db, from, to);
    });
    const lines = read();
    const totals: GeneralLedger['totals'] = {};
    for (const l of lines) {
      const t = (totals[l.currency] ??= { debitMinor: 0, creditMinor: 0 });
      t.debitMinor += l.debitMinor;
      t.creditMinor += l.creditMinor;
    }
    return { from, to, lines, totals };
  }
}
