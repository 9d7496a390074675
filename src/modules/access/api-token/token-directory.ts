import { Injectable } from '@nestjs/common';
import { ActiveToken, TokenDirectory } from '../../../http/auth';
import { ReadModelDatabase } from '../../../projections/read-model-database';
import { findActiveTokenByHash } from './api-token.projection';

/** The guard's token lookup, over the api-token read model. */
@Injectable()
export class ReadModelTokenDirectory extends TokenDirectory {
  constructor(private readonly readModels: ReadModelDatabase) {
    super();
  }

  findActive(tokenHash: string): ActiveToken | undefined {
    const row = findActiveTokenByHash(this.readModels.db, tokenHash);
    return row ? { tokenId: row.token_id, role: row.role, subject: row.subject ?? undefined } : undefined;
  }
}
