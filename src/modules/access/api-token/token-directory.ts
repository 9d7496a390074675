import { Injectable } from '@nestjs/common';
import type Database from 'better-sqlite3';
import { KnownToken, TokenDirectory } from '../../../http/auth';
import { ReadModelDatabase } from '../../../projections/read-model-database';
import { findTokenByHash, tokenChanges } from './api-token.projection';

/** Tokens kept in memory at most; beyond it the cache starts again empty. */
const CACHE_SIZE = 10_000;

/**
 * The guard's token lookup, over the api-token read model. Tokens found are kept in memory while
 * nothing can have changed the table under them: no token event applied on this connection
 * (tokenChanges: an issue or a revocation this process's projections applied, whoever appended
 * it) and no commit to the file by any other connection (SQLite's `data_version`: a CLI command
 * such as `ledger tokens list` catches the same read models up on a connection of its own, and
 * this process's runner then skips the events it applied; the WAL checkpointer thread's
 * checkpoints count as such commits too, which only makes it read again). So a revocation counts
 * from the moment it is in the read model, as without the cache; unknown hashes are never kept.
 * The lookup it saves measured about 25 µs of every authenticated request (the read model's
 * index and its WAL); the two checks cost about a microsecond.
 */
@Injectable()
export class ReadModelTokenDirectory extends TokenDirectory {
  private readonly cache = new Map<string, KnownToken>();
  /** The connection the cache was read from, with its `data_version` statement. */
  private source: { readonly db: Database.Database; readonly dataVersion: Database.Statement<[], number> } | undefined;
  private cachedChanges = -1;
  private cachedVersion = -1;

  constructor(private readonly readModels: ReadModelDatabase) {
    super();
  }

  find(tokenHash: string): KnownToken | undefined {
    const db = this.readModels.db;
    if (this.source?.db !== db) {
      this.source = { db, dataVersion: db.prepare<[], number>('PRAGMA data_version').pluck() };
      this.cachedChanges = -1;
    }
    const changes = tokenChanges(db);
    const version = this.source.dataVersion.get() as number;
    if (changes !== this.cachedChanges || version !== this.cachedVersion) {
      this.cache.clear();
      this.cachedChanges = changes;
      this.cachedVersion = version;
    }
    const cached = this.cache.get(tokenHash);
    if (cached) return cached;
    const row = findTokenByHash(db, tokenHash);
    if (!row) return undefined;
    const token: KnownToken = Object.freeze({
      tokenId: row.token_id,
      role: row.role,
      ...(row.subject ? { subject: row.subject } : {}),
      ...(row.revoked_at ? { revokedAt: row.revoked_at } : {}),
      ...(row.expires_at ? { expiresAt: row.expires_at } : {}),
    });
    if (this.cache.size >= CACHE_SIZE) this.cache.clear();
    this.cache.set(tokenHash, token);
    return token;
  }
}
