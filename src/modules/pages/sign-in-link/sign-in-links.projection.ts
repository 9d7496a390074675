import type Database from 'better-sqlite3';
import type { RecordedEvent } from '../../../event-store/envelope';
import { Projection, sql } from '../../../projections/projection';
import type { LinkRole, SignInLinkEvent } from './sign-in-link.decider';

export interface SignInLinkRow {
  readonly link_id: string;
  readonly role: LinkRole;
  readonly subject: string;
  readonly expires_at: string;
  readonly redeemed_at: string | null;
  readonly session_expires_at: string | null;
  readonly ended_at: string | null;
  /** 1 once the sustainer was erased: the link and its session stop working. */
  readonly erased: number;
}

/**
 * Sign-in links and their sessions, looked up by the SHA-256 of the link's secret and of the
 * session id (the secrets themselves are nowhere). It also follows `SustainerErased`, so an
 * erased sustainer's link and session stop working: a function of the log, so `ledger replay`
 * agrees.
 */
export const signInLinksProjection: Projection = {
  name: 'sign-in-links',
  version: 1,
  tables: ['sign_in_links'],
  setup(db) {
    db.exec(`CREATE TABLE IF NOT EXISTS sign_in_links (
      link_id TEXT PRIMARY KEY, role TEXT NOT NULL, subject TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE,
      expires_at TEXT NOT NULL, issued_at TEXT NOT NULL, redeemed_at TEXT, session_hash TEXT UNIQUE,
      session_expires_at TEXT, ended_at TEXT, erased INTEGER NOT NULL DEFAULT 0);
      CREATE INDEX IF NOT EXISTS sign_in_links_by_subject ON sign_in_links (role, subject);`);
  },
  apply(db, event: RecordedEvent) {
    if (event.type === 'SustainerErased') {
      const { sustainerId } = event.data as { sustainerId: string };
      sql(db, `UPDATE sign_in_links SET erased = 1 WHERE role = 'sustainer' AND subject = ?`).run(sustainerId);
      return;
    }
    const e = event as unknown as SignInLinkEvent;
    switch (e.type) {
      case 'SignInLinkIssued':
        sql(db, `INSERT INTO sign_in_links (link_id, role, subject, token_hash, expires_at, issued_at) VALUES (?, ?, ?, ?, ?, ?)`).run(
          e.data.linkId, e.data.role, e.data.subject, e.data.tokenHash, e.data.expiresAt, e.data.issuedAt,
        );
        break;
      case 'SignInLinkRedeemed':
        sql(db, 'UPDATE sign_in_links SET redeemed_at = ?, session_hash = ?, session_expires_at = ? WHERE link_id = ?').run(
          e.data.redeemedAt, e.data.sessionHash, e.data.sessionExpiresAt, e.data.linkId,
        );
        break;
      case 'SignInSessionEnded':
        sql(db, 'UPDATE sign_in_links SET ended_at = ? WHERE link_id = ?').run(e.data.endedAt, e.data.linkId);
        break;
      default:
        break;
    }
  },
};

const COLUMNS = 'link_id, role, subject, expires_at, redeemed_at, session_expires_at, ended_at, erased';

export function linkByTokenHash(db: Database.Database, tokenHash: string): SignInLinkRow | undefined {
  return sql(db, `SELECT ${COLUMNS} FROM sign_in_links WHERE token_hash = ?`).get(tokenHash) as SignInLinkRow | undefined;
}

export function linkBySessionHash(db: Database.Database, sessionHash: string): SignInLinkRow | undefined {
  return sql(db, `SELECT ${COLUMNS} FROM sign_in_links WHERE session_hash = ?`).get(sessionHash) as SignInLinkRow | undefined;
}
