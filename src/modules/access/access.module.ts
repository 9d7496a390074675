import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { HttpCommonModule } from '../../http/http-common.module';
import { IssueTokenController } from './issue-token/issue-token.controller';
import { IssueTokenHandler } from './issue-token/issue-token.handler';
import { ListTokensController } from './list-tokens/list-tokens.controller';
import { GetTokenHandler, ListTokensHandler } from './list-tokens/list-tokens.handler';
import { RevokeTokenController } from './revoke-token/revoke-token.controller';
import { RevokeTokenHandler } from './revoke-token/revoke-token.handler';
import { RotateTokenController } from './rotate-token/rotate-token.controller';
import { RotateTokenHandler } from './rotate-token/rotate-token.handler';

/**
 * API tokens over HTTP for stewards: issue, list, rotate and revoke (see README, "Tokens"). The
 * command-line tool keeps issuing the first one (manage-tokens.ts is shared by both).
 */
@Module({
  imports: [CqrsModule, HttpCommonModule],
  controllers: [IssueTokenController, ListTokensController, RotateTokenController, RevokeTokenController],
  providers: [IssueTokenHandler, RevokeTokenHandler, RotateTokenHandler, ListTokensHandler, GetTokenHandler],
})
export class AccessModule {}
