import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Actor } from '../../../shared/decider';
import { AccountabilityReader } from '../accountability-reads';
import type { GiftTrace } from '../attribution/attribution.queries';

export class TraceGiftQuery {
  constructor(
    readonly viewer: Actor,
    readonly donationId: string,
    readonly asOf: string,
  ) {}
}

/** Where one gift went as of a day: for stewards, auditors and the gift's own sustainer (anyone else: DONATION.NOT_FOUND). */
@QueryHandler(TraceGiftQuery)
export class TraceGiftHandler implements IQueryHandler<TraceGiftQuery, GiftTrace> {
  constructor(private readonly reader: AccountabilityReader) {}

  async execute({ viewer, donationId, asOf }: TraceGiftQuery): Promise<GiftTrace> {
    return this.reader.gift(viewer, donationId, asOf);
  }
}
