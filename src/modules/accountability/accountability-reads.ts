import { Inject, Injectable } from '@nestjs/common';
import { LEDGER_CONFIG } from '../../commands/ledger-core.module';
import type { LedgerConfig } from '../../config';
import { ReadModelDatabase } from '../../projections/read-model-database';
import { parsePeriod } from '../../shared/calendar';
import type { Actor } from '../../shared/decider';
import { AccountabilityErrors } from './accountability.errors';
import { GiftTrace, SustainerAttribution, findOrigin, findSustainer, traceOrigin, traceSustainerYear } from './attribution/attribution.queries';
import type { ReportRange } from './reports/transparency';

/**
 * What every accountability query shares: the read model, who may see which gift or sustainer
 * (a sustainer token: its own only, anything else answered as unknown), and periods. The query
 * functions themselves (attribution.queries.ts, reports/) take a database and plain arguments, so
 * other read sides (HTML pages) can call them as they are.
 */
@Injectable()
export class AccountabilityReader {
  constructor(
    private readonly readModels: ReadModelDatabase,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  get db() {
    return this.readModels.db;
  }

  gift(viewer: Actor, donationId: string, asOf: string): GiftTrace {
    const db = this.db;
    return db.transaction(() => {
      const origin = findOrigin(db, donationId);
      if (!origin || origin.kind !== 'donation') throw AccountabilityErrors.donationNotFound(donationId);
      if (viewer.role === 'sustainer' && origin.sustainer_id !== viewer.subject) throw AccountabilityErrors.donationNotFound(donationId);
      return traceOrigin(db, origin, asOf);
    })();
  }

  sustainerYear(viewer: Actor, sustainerId: string, year: number, asOf: string): SustainerAttribution {
    const db = this.db;
    return db.transaction(() => {
      const sustainer = findSustainer(db, sustainerId);
      if (!sustainer || (viewer.role === 'sustainer' && viewer.subject !== sustainerId)) throw AccountabilityErrors.sustainerNotFound(sustainerId);
      return traceSustainerYear(db, sustainer, year, asOf);
    })();
  }

  /** `2026` (a calendar year), `FY2026`, `FY2026-Q1` or `2026-03`; validated at the edge. */
  range(period: string): ReportRange {
    if (/^\d{4}$/.test(period)) return { period, start: `${period}-01-01`, end: `${Number(period) + 1}-01-01` };
    const parsed = parsePeriod(period, this.config.fiscalYearStartMonth);
    if (!parsed) throw new Error(`unvalidated period ${period}`);
    return { period: parsed.period, start: parsed.start, end: parsed.end };
  }
}
