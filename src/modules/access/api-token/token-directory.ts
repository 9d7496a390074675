import { Injectable } from '@nestjs/common';
import { KnownToken, TokenDirectory } from '../../../http/auth';
import { ReadModelDatabase } from '../../../projections/read-model-database';
import { findTokenByHash } from './api-token.projection';

/** The guard's token lookup, over the api-token read model. */
@Injectable()
export class ReadModelTokenDirectory extends TokenDirectory {
  constructor(private readonly readModels: ReadModelDatabase) {
    super();
  }

  find(tokenHash: string): KnownToken | undefined {
    const row = findTokenByHash(this.readModels.db, tokenHash);
    if (!row) return undefined;
    return {
      tokenId: row.token_id,
      role: row.role,
      ...(row.subject ? { subject: row.subject } : {}),
      ...(row.revoked_at ? { revokedAt: row.revoked_at } : {}),
      ...(row.expires_at ? { expiresAt: row.expires_at } : {}),
    };
  }
}
