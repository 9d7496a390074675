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
  readonly expires_at: string | null;
  readonly revoked_at: string | null;
  readonly revoke_reason: string | null;
  readonly rotated_from: string | null;
  readonly replaced_by: string | null;
}

const COLUMNS = 'token_id, name, role, subject, issued_at, expires_at, revoked_at, revoke_reason, rotated_from, replaced_by';

/** Token events applied per read-model connection (see tokenChanges). */
const changes = new WeakMap<Database.Database, number>();

/**
 * How many token events (issued, revoked) were applied on this connection so far. With no commit
 * by another connection to the same file meanwhile (SQLite's `data_version`, see
 * token-directory.ts), what was read from its api_tokens table stays true while this number does
 * not change. A savepoint rolled back after an apply leaves it changed, which only makes a reader
 * read again.
 */
export function tokenChanges(db: Database.Database): number {
  return changes.get(db) ?? 0;
}

/** The tokens the API knows, looked up by the hash of the presented secret (never the secret). */
export const apiTokenProjection: Projection = {
  name: 'api-tokens',
  version: 2,
  tables: ['api_tokens'],
  setup(db) {
    db.exec(`CREATE TABLE IF NOT EXISTS api_tokens (
      token_id TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL, subject TEXT,
      token_hash TEXT NOT NULL UNIQUE, issued_at TEXT NOT NULL, expires_at TEXT, revoked_at TEXT,
      revoke_reason TEXT, rotated_from TEXT, replaced_by TEXT)`);
  },
  apply(db, event: RecordedEvent) {
    const e = event as unknown as ApiTokenEvent;
    if (e.type === 'ApiTokenIssued' || e.type === 'ApiTokenRevoked') changes.set(db, tokenChanges(db) + 1);
    switch (e.type) {
      case 'ApiTokenIssued':
        sql(
          db,
          `INSERT INTO api_tokens (token_id, name, role, subject, token_hash, issued_at, expires_at, rotated_from) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(e.data.tokenId, e.data.name, e.data.role, e.data.subject ?? null, e.data.tokenHash, e.data.issuedAt, e.data.expiresAt ?? null, e.data.rotatedFrom ?? null);
        break;
      case 'ApiTokenRevoked':
        sql(db, 'UPDATE api_tokens SET revoked_at = ?, revoke_reason = ?, replaced_by = ? WHERE token_id = ?').run(
          e.data.revokedAt,
          e.data.reason,
          e.data.replacedBy ?? null,
          e.data.tokenId,
        );
        break;
      default:
        break;
    }
  },
};

/** The token with this secret's hash, active, revoked or expired: the guard says which and why. */
export function findTokenByHash(db: Database.Database, tokenHash: string): ApiTokenRow | undefined {
  return sql(db, `SELECT ${COLUMNS} FROM api_tokens WHERE token_hash = ?`).get(tokenHash) as ApiTokenRow | undefined;
}

export function findTokenById(db: Database.Database, tokenId: string): ApiTokenRow | undefined {
  return sql(db, `SELECT ${COLUMNS} FROM api_tokens WHERE token_id = ?`).get(tokenId) as ApiTokenRow | undefined;
}

export type TokenStatus = 'active' | 'expired' | 'revoked';

export function statusOf(row: ApiTokenRow, now: Date): TokenStatus {
  if (row.revoked_at) return 'revoked';
  if (row.expires_at && Date.parse(row.expires_at) <= now.getTime()) return 'expired';
  return 'active';
}

export function listTokens(db: Database.Database): ApiTokenRow[] {
  return db.prepare(`SELECT ${COLUMNS} FROM api_tokens ORDER BY issued_at, token_id`).all() as ApiTokenRow[];
}

/**
 * A page of tokens, oldest first by (issued_at, token_id); `after` is the last token id of the
 * previous page. `status` filters on the state now (expiry is a matter of the clock, not of an event).
 */
export function pageOfTokens(
  db: Database.Database,
  options: { status?: TokenStatus; after?: string; limit: number; now: Date },
): { items: ApiTokenRow[]; next?: string } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (options.after !== undefined) {
    where.push('(issued_at, token_id) > (SELECT issued_at, token_id FROM api_tokens WHERE token_id = ?)');
    params.push(options.after);
  }
  const now = options.now.toISOString();
  if (options.status === 'revoked') where.push('revoked_at IS NOT NULL');
  if (options.status === 'expired') {
    where.push('revoked_at IS NULL AND expires_at IS NOT NULL AND expires_at <= ?');
    params.push(now);
  }
  if (options.status === 'active') {
    where.push('revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)');
    params.push(now);
  }
  const rows = sql(
    db,
    `SELECT ${COLUMNS} FROM api_tokens ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY issued_at, token_id LIMIT ?`,
  ).all(...params, options.limit + 1) as ApiTokenRow[];
  const items = rows.slice(0, options.limit);
  return rows.length > options.limit ? { items, next: items[items.length - 1].token_id } : { items };
}
