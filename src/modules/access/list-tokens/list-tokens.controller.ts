import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../http/auth';
import { ApiProblems } from '../../../http/openapi';
import { PositionQueryDto } from '../../../http/query.dto';
import { UuidParamPipe } from '../../../http/validation';
import { WriteResponder } from '../../../http/write-responder';
import { TokenListDto, TokenViewDto } from '../access.responses';
import { ListTokensQueryDto } from './list-tokens.dto';
import { GetTokenQuery, ListTokensQuery } from './list-tokens.handler';

@ApiTags('tokens')
@Controller('v1')
export class ListTokensController {
  constructor(
    private readonly queries: QueryBus,
    private readonly responder: WriteResponder,
  ) {}

  @Get('tokens')
  @Roles('steward', 'auditor')
  @ApiOperation({ summary: 'List API tokens and their state (never their secrets)' })
  @ApiOkResponse({ type: TokenListDto })
  @ApiProblems(400, 401, 403, 429)
  async list(@Query() query: ListTokensQueryDto) {
    await this.responder.awaitPosition(query.minPosition);
    return this.queries.execute(new ListTokensQuery(query));
  }

  @Get('tokens/:tokenId')
  @Roles('steward', 'auditor')
  @ApiOperation({ summary: 'One API token and its state' })
  @ApiOkResponse({ type: TokenViewDto })
  @ApiProblems(400, 401, 403, 404, 429)
  async get(@Param('tokenId', UuidParamPipe) tokenId: string, @Query() query: PositionQueryDto) {
    await this.responder.awaitPosition(query.minPosition);
    return this.queries.execute(new GetTokenQuery(tokenId));
  }
}
