import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Actor } from '../../../shared/decider';
import { AccountabilityReader } from '../accountability-reads';
import type { SustainerAttribution } from '../attribution/attribution.queries';

export class TraceSustainerYearQuery {
  constructor(
    readonly viewer: Actor,
    readonly sustainerId: string,
    readonly year: number,
    readonly asOf: string,
  ) {}
}

/** Every gift a sustainer gave in a year, traced as of a day, with totals and what they paid for by purpose. */
@QueryHandler(TraceSustainerYearQuery)
export class TraceSustainerYearHandler implements IQueryHandler<TraceSustainerYearQuery, SustainerAttribution> {
  constructor(private readonly reader: AccountabilityReader) {}

  async execute({ viewer, sustainerId, year, asOf }: TraceSustainerYearQuery): Promise<SustainerAttribution> {
    return this.reader.sustainerYear(viewer, sustainerId, year, asOf);
  }
}
