import Database from 'better-sqlite3';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * One AES-256 data key per sustainer, kept OUTSIDE the event log (in `keys.db` next to it), so
 * that deleting a key makes the sustainer's sealed personal data in the log unreadable for ever
 * while the log itself is never edited (crypto-shredding).
 *
 * secure_delete overwrites freed pages with zeros, the rollback journal (not WAL, whose frames
 * would keep old pages around until a checkpoint) is deleted after each commit, and a VACUUM
 * after each erasure rewrites the file without the freed pages. What the filesystem or a backup
 * kept of earlier blocks is beyond reach: see the README's Limits.
 */
export class SustainerKeyStore {
  private readonly db: Database.Database;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    this.db = new Database(join(dataDir, 'keys.db'));
    this.db.pragma('journal_mode = DELETE');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('secure_delete = ON');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`CREATE TABLE IF NOT EXISTS sustainer_keys (sustainer_id TEXT PRIMARY KEY, data_key BLOB NOT NULL) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS secrets (name TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;`);
    this.db.prepare("INSERT OR IGNORE INTO secrets (name, value) VALUES ('fingerprint-pepper', ?)").run(randomBytes(32));
  }

  /**
   * The request fingerprint kept in the log with an idempotency key is a plain SHA-256 of the
   * body; for a body holding personal data that would let anyone holding the log confirm a guess
   * of a person's name or email, even after erasure. Such fingerprints are keyed with a secret
   * kept here instead.
   */
  pepperedFingerprint(fingerprint: string): string {
    const row = this.db.prepare("SELECT value FROM secrets WHERE name = 'fingerprint-pepper'").get() as { value: Buffer };
    return createHmac('sha256', row.value).update(fingerprint).digest('hex');
  }

  /** A fresh random key for a new sustainer (durable before the registration is appended). */
  create(sustainerId: string): Buffer {
    const key = randomBytes(32);
    this.db.prepare('INSERT INTO sustainer_keys (sustainer_id, data_key) VALUES (?, ?)').run(sustainerId, key);
    return key;
  }

  find(sustainerId: string): Buffer | undefined {
    const row = this.db.prepare('SELECT data_key FROM sustainer_keys WHERE sustainer_id = ?').get(sustainerId) as { data_key: Buffer } | undefined;
    return row?.data_key;
  }

  /** Destroys the key; the person's sealed data can never be read again. */
  destroy(sustainerId: string): void {
    const { changes } = this.db.prepare('DELETE FROM sustainer_keys WHERE sustainer_id = ?').run(sustainerId);
    if (changes > 0) this.db.exec('VACUUM');
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
