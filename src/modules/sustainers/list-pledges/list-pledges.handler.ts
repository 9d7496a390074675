import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Actor } from '../../../shared/decider';
import { findPledgeState, pledgeStatesOf } from '../pledges/pledges.queries';
import { PledgeErrors } from '../sustainers.errors';
import { LivePledge, Page, PledgeView, SustainersReader, page } from '../sustainers-reads';

export type PledgeList = { items: PledgeView[]; next?: string };

export class ListPledgesQuery {
  constructor(
    readonly viewer: Actor,
    readonly sustainerId: string,
    readonly asOf: string,
    readonly page: Page,
  ) {}
}

export class GetPledgeQuery {
  constructor(
    readonly viewer: Actor,
    readonly pledgeId: string,
    readonly asOf: string,
  ) {}
}

/** A sustainer's pledges, for stewards, auditors and the sustainer itself (anyone else: SUSTAINER.NOT_FOUND). */
@QueryHandler(ListPledgesQuery)
export class ListPledgesHandler implements IQueryHandler<ListPledgesQuery, PledgeList> {
  constructor(private readonly reader: SustainersReader) {}

  async execute({ viewer, sustainerId, asOf, page: request }: ListPledgesQuery): Promise<PledgeList> {
    this.reader.visible(viewer, sustainerId);
    const states = pledgeStatesOf(this.reader.db, { sustainerId, after: request.after, limit: request.limit + 1 }).filter(
      (s): s is LivePledge => s.status !== 'none',
    );
    const { items, next } = page(states, request.limit, (s) => s.made.pledgeId);
    return { items: items.map((s) => this.reader.pledgeView(s, asOf)), ...(next ? { next } : {}) };
  }
}

/** One pledge; a pledge of a sustainer the reader may not see is not found, like an unknown one. */
@QueryHandler(GetPledgeQuery)
export class GetPledgeHandler implements IQueryHandler<GetPledgeQuery, PledgeView> {
  constructor(private readonly reader: SustainersReader) {}

  async execute({ viewer, pledgeId, asOf }: GetPledgeQuery): Promise<PledgeView> {
    const state = findPledgeState(this.reader.db, pledgeId);
    if (!state || state.status === 'none') throw PledgeErrors.notFound(pledgeId);
    try {
      this.reader.visible(viewer, state.made.sustainerId);
    } catch {
      throw PledgeErrors.notFound(pledgeId);
    }
    return this.reader.pledgeView(state, asOf);
  }
}
