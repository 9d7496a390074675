import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DEFAULT_PAGE_SIZE } from '../../../http/query.dto';
import { ReadModelDatabase } from '../../../projections/read-model-database';
import { Clock } from '../../../shared/clock';
import { AccessErrors } from '../access.errors';
import { TokenListDto, TokenViewDto, tokenView } from '../access.responses';
import { findTokenById, pageOfTokens, statusOf } from '../api-token/api-token.projection';
import { ListTokensQueryDto } from './list-tokens.dto';

export class ListTokensQuery {
  constructor(readonly query: ListTokensQueryDto) {}
}

export class GetTokenQuery {
  constructor(readonly tokenId: string) {}
}

/** Tokens oldest first, with their state now; never a secret or its hash. */
@QueryHandler(ListTokensQuery)
export class ListTokensHandler implements IQueryHandler<ListTokensQuery, TokenListDto> {
  constructor(
    private readonly readModels: ReadModelDatabase,
    private readonly clock: Clock,
  ) {}

  async execute({ query }: ListTokensQuery): Promise<TokenListDto> {
    const now = this.clock.now();
    const page = pageOfTokens(this.readModels.db, { status: query.status, after: query.after, limit: query.limit ?? DEFAULT_PAGE_SIZE, now });
    return { items: page.items.map((row) => tokenView(row, statusOf(row, now))), ...(page.next ? { next: page.next } : {}) };
  }
}

@QueryHandler(GetTokenQuery)
export class GetTokenHandler implements IQueryHandler<GetTokenQuery, TokenViewDto> {
  constructor(
    private readonly readModels: ReadModelDatabase,
    private readonly clock: Clock,
  ) {}

  async execute({ tokenId }: GetTokenQuery): Promise<TokenViewDto> {
    const row = findTokenById(this.readModels.db, tokenId);
    if (!row) throw AccessErrors.tokenNotFound(tokenId);
    return tokenView(row, statusOf(row, this.clock.now()));
  }
}
