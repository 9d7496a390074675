import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DEFAULT_PAGE_SIZE } from '../../../http/query.dto';
import { ReadModelDatabase } from '../../../projections/read-model-database';
import { Actor } from '../../../shared/decider';
import { ListResourcesQueryDto } from './list-resources.dto';
import { LendingErrors } from '../lending.errors';
import { ResourceView, findResource, listResources } from '../loans-of-things/loans-of-things.queries';
import { resourceViewer } from '../shared/lending-reads';
import { pageOf } from '../shared/page-of';

export class ListResourcesQuery {
  constructor(
    readonly actor: Actor,
    readonly query: ListResourcesQueryDto,
  ) {}
}

export class GetResourceQuery {
  constructor(
    readonly actor: Actor,
    readonly resourceId: string,
  ) {}
}

@QueryHandler(ListResourcesQuery)
export class ListResourcesHandler implements IQueryHandler<ListResourcesQuery, { items: ResourceView[]; next?: string }> {
  constructor(private readonly readModels: ReadModelDatabase) {}

  async execute({ actor, query }: ListResourcesQuery) {
    // Filtering by an owner other than itself is, for a cooperative token, filtering by an id it may not see: empty.
    if (actor.role === 'cooperative' && query.ownerId !== undefined && query.ownerId !== actor.subject) return { items: [] };
    const items = listResources(this.readModels.db, { kind: query.kind, ownerId: query.ownerId, available: query.available, viewer: resourceViewer(actor) });
    return pageOf(items, (r) => r.resourceId, query.after, query.limit ?? DEFAULT_PAGE_SIZE);
  }
}

@QueryHandler(GetResourceQuery)
export class GetResourceHandler implements IQueryHandler<GetResourceQuery, ResourceView> {
  constructor(private readonly readModels: ReadModelDatabase) {}

  async execute({ actor, resourceId }: GetResourceQuery): Promise<ResourceView> {
    const resource = findResource(this.readModels.db, resourceId, resourceViewer(actor));
    if (!resource) throw LendingErrors.resourceNotFound(resourceId);
    return resource;
  }
}
