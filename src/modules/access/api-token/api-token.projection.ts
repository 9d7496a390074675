import type Database from 'better-sqlite3';
import type { RecordedEvent } from '../../../event-store/envelope';
import { Projection, sql } from '../../../projections/projection';
import type { Role } from '../../../shared/decider';
import type { ApiTokenEvent } from './api-token.decider';

export interface ApiTokenRow {
  readonly token_id: string;
  readonly name: string;
  readonly role: Role;
  readonly subject: string | null;
  readonly issued_at: string;
  readonly revoked_at: string | null;
}

/** The tokens the API accepts, looked up by the hash of the presented secret. */
export const apiTokenProjection: Projection = {
  name: 'api-tokens',
  version: 1,
  tables: ['api_tokens'],
  setup(db) {
    db.exec(`CREATE TABLE IF NOT EXISTS api_tokens (
      token_id TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL, subject TEXT,
      token_hash TEXT NOT NULL UNIQUE, issued_at TEXT NOT NULL, revoked_at TEXT)`);
  },
  apply(db, event: RecordedEvent) {
    const e = event as unknown as ApiTokenEvent;
    switch (e.type) {
      case 'ApiTokenIssued':
        sql(
          db,
          `INSERT INTO api_tokens (token_id, name, role, subject, token_hash, issued_at) VALUES (?, ?, ?, ?, ?, ?)`,
        ).run(e.data.tokenId, e.data.name, e.data.role, e.data.subject ?? null, e.data.tokenHash, e.data.issuedAt);
        break;
      case 'ApiTokenRevoked':
        sql(db, 'UPDATE api_tokens SET revoked_at = ? WHERE token_id = ?').run(e.data.revokedAt, e.data.tokenId);
        break;
      default:
        break;
    }
  },
};

export function findActiveTokenByHash(db: Database.Database, tokenHash: string): ApiTokenRow | undefined {
  return sql(
    db,
    'SELECT token_id, name, role, subject, issued_at, revoked_at FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL',
  ).get(tokenHash) as ApiTokenRow | undefined;
}

export function listTokens(db: Database.Database): ApiTokenRow[] {
  return db
    .prepare('SELECT token_id, name, role, subject, issued_at, revoked_at FROM api_tokens ORDER BY issued_at, token_id')
    .all() as ApiTokenRow[];
}
