import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Actor } from '../../../shared/decider';
import { donationRows } from '../donations/donations.queries';
import { DonationErrors } from '../sustainers.errors';
import { DonationView, Page, SustainersReader, page } from '../sustainers-reads';

export type DonationList = { items: DonationView[]; next?: string };

export class ListDonationsQuery {
  constructor(
    readonly viewer: Actor,
    readonly filter: { sustainerId?: string; fundId?: string; year?: number } & Page,
  ) {}
}

export class GetDonationQuery {
  constructor(
    readonly viewer: Actor,
    readonly donationId: string,
  ) {}
}

/** Gifts by day received; a cursor names the last donation of the previous page. */
@QueryHandler(ListDonationsQuery)
export class ListDonationsHandler implements IQueryHandler<ListDonationsQuery, DonationList> {
  constructor(private readonly reader: SustainersReader) {}

  async execute({ viewer, filter }: ListDonationsQuery): Promise<DonationList> {
    if (filter.sustainerId) this.reader.visible(viewer, filter.sustainerId);
    const range = filter.year ? { from: `${filter.year}-01-01`, to: `${filter.year + 1}-01-01` } : {};
    const rows = donationRows(this.reader.db, {
      sustainerId: filter.sustainerId,
      fundId: filter.fundId,
      ...range,
      page: { after: filter.after, limit: filter.limit + 1 },
    });
    const { items, next } = page(rows, filter.limit, (d) => d.donation_id);
    return { items: await this.reader.donationViews(items, viewer), ...(next ? { next } : {}) };
  }
}

/** One gift; a sustainer token sees only its own (anything else is not found, like an unknown one). */
@QueryHandler(GetDonationQuery)
export class GetDonationHandler implements IQueryHandler<GetDonationQuery, DonationView> {
  constructor(private readonly reader: SustainersReader) {}

  async execute({ viewer, donationId }: GetDonationQuery): Promise<DonationView> {
    const [row] = donationRows(this.reader.db, { donationId });
    if (!row) throw DonationErrors.notFound(donationId);
    if (viewer.role === 'sustainer' && viewer.subject !== row.sustainer_id) throw DonationErrors.notFound(donationId);
    return this.reader.donationView(row, viewer);
  }
}
