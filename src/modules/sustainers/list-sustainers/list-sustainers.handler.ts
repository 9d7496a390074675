import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Actor } from '../../../shared/decider';
import { Page, SustainerView, SustainersReader, page } from '../sustainers-reads';
import { listSustainerRows } from '../sustainers/sustainers.queries';

export class ListSustainersQuery {
  constructor(
    readonly viewer: Actor,
    readonly page: Page,
  ) {}
}

export class GetSustainerQuery {
  constructor(
    readonly viewer: Actor,
    readonly sustainerId: string,
  ) {}
}

@QueryHandler(ListSustainersQuery)
export class ListSustainersHandler implements IQueryHandler<ListSustainersQuery, { items: SustainerView[]; next?: string }> {
  constructor(private readonly reader: SustainersReader) {}

  async execute({ viewer, page: request }: ListSustainersQuery) {
    const rows = listSustainerRows(this.reader.db, { after: request.after, limit: request.limit + 1 });
    const { items, next } = page(rows, request.limit, (r) => r.sustainer_id);
    return { items: await this.reader.views(items, viewer), ...(next ? { next } : {}) };
  }
}

/** One sustainer, for stewards, auditors and the sustainer itself (anyone else: SUSTAINER.NOT_FOUND). */
@QueryHandler(GetSustainerQuery)
export class GetSustainerHandler implements IQueryHandler<GetSustainerQuery, SustainerView> {
  constructor(private readonly reader: SustainersReader) {}

  async execute({ viewer, sustainerId }: GetSustainerQuery): Promise<SustainerView> {
    return this.reader.view(this.reader.visible(viewer, sustainerId), viewer);
  }
}
