import { StoreUnavailableError } from '../../../event-store/store-unavailable';
import Database from 'better-sqlite3';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { KeyEncryptionKey, KekError, secretContext, sustainerKeyContext } from './key-wrap';

const PEPPER = 'fingerprint-pepper';

/** What a keys.db file says about itself, read without a KEK. */
export interface KeyFileState {
  /** The id of the KEK its keys are wrapped under; undefined for a keys.db from before wrapping (clear keys) or a new one. */
  readonly kekId?: string;
  readonly keys: number;
}

/**
 * One AES-256 data key per sustainer, kept OUTSIDE the event log (in `keys.db` next to it), so
 * that deleting a key makes the sustainer's sealed personal data in the log unreadable for ever
 * while the log itself is never edited (crypto-shredding).
 *
 * Every key (and the fingerprint pepper) is stored wrapped under the key-encryption key the
 * operator keeps elsewhere (LEDGER_KEK / LEDGER_KEK_FILE; wrapping in key-wrap.ts, apart from
 * this storage). A keys.db from before wrapping (clear keys, no `kek_id`) is wrapped in place on
 * open, in one transaction, then vacuumed. A keys.db wrapped under another KEK is refused on open.
 *
 * secure_delete overwrites freed pages with zeros, the rollback journal (not WAL, whose frames
 * would keep old pages around until a checkpoint) is deleted after each commit, and a VACUUM
 * after each erasure rewrites the file without the freed pages. What the filesystem or a backup
 * kept of earlier blocks is beyond reach: see the README's Limits.
 */
export class SustainerKeyStore {
  private readonly db: Database.Database;

  constructor(
    dataDir: string,
    private readonly kek: KeyEncryptionKey,
  ) {
    mkdirSync(dataDir, { recursive: true });
    this.db = openKeyFile(join(dataDir, 'keys.db'));
    try {
      this.adopt();
    } catch (error) {
      this.db.close();
      throw error;
    }
  }

  /** Checks the file's KEK, wraps a file from before wrapping, and makes the pepper if there is none. */
  private adopt(): void {
    const state = readState(this.db);
    if (state.kekId !== undefined && state.kekId !== this.kek.id) {
      throw new KekError(
        `keys.db is wrapped under key-encryption key ${state.kekId}, but the key given (LEDGER_KEK or LEDGER_KEK_FILE) is ${this.kek.id}; give the key it was wrapped with (or rewrap it with \`ledger rotate-kek\`)`,
      );
    }
    if (state.kekId === undefined) {
      this.db.transaction(() => {
        for (const row of this.db.prepare('SELECT sustainer_id, data_key FROM sustainer_keys').all() as Array<{ sustainer_id: string; data_key: Buffer }>) {
          this.db.prepare('UPDATE sustainer_keys SET data_key = ? WHERE sustainer_id = ?').run(this.kek.wrap(row.data_key, sustainerKeyContext(row.sustainer_id)), row.sustainer_id);
        }
        for (const row of this.db.prepare('SELECT name, value FROM secrets').all() as Array<{ name: string; value: Buffer }>) {
          this.db.prepare('UPDATE secrets SET value = ? WHERE name = ?').run(this.kek.wrap(row.value, secretContext(row.name)), row.name);
        }
        this.db.prepare("INSERT INTO meta (name, value) VALUES ('kek_id', ?)").run(this.kek.id);
      })();
      // Rewrites the file without the pages that held the clear keys.
      this.db.exec('VACUUM');
    }
    const pepper = this.db.prepare('SELECT 1 FROM secrets WHERE name = ?').get(PEPPER);
    if (!pepper) this.db.prepare('INSERT INTO secrets (name, value) VALUES (?, ?)').run(PEPPER, this.kek.wrap(randomBytes(32), secretContext(PEPPER)));
  }

  /**
   * The request fingerprint kept in the log with an idempotency key is a plain SHA-256 of the
   * body; for a body holding personal data that would let anyone holding the log confirm a guess
   * of a person's name or email, even after erasure. Such fingerprints are keyed with a secret
   * kept here instead.
   */
  pepperedFingerprint(fingerprint: string): string {
    const row = this.db.prepare('SELECT value FROM secrets WHERE name = ?').get(PEPPER) as { value: Buffer };
    return createHmac('sha256', this.unwrap(row.value, secretContext(PEPPER))).update(fingerprint).digest('hex');
  }

  /** A fresh random key for a new sustainer (durable before the registration is appended). */
  create(sustainerId: string): Buffer {
    const key = randomBytes(32);
    this.db.transaction(() => {
      // A running service whose keys.db was rewrapped under it (`ledger rotate-kek`) must not add
      // keys under a KEK the file no longer uses.
      this.assertCurrentKek();
      this.db.prepare('INSERT INTO sustainer_keys (sustainer_id, data_key) VALUES (?, ?)').run(sustainerId, this.kek.wrap(key, sustainerKeyContext(sustainerId)));
    }).immediate();
    return key;
  }

  find(sustainerId: string): Buffer | undefined {
    const row = this.db.prepare('SELECT data_key FROM sustainer_keys WHERE sustainer_id = ?').get(sustainerId) as { data_key: Buffer } | undefined;
    return row ? this.unwrap(row.data_key, sustainerKeyContext(sustainerId)) : undefined;
  }

  /** Destroys the key; the person's sealed data can never be read again. */
  destroy(sustainerId: string, scrub = true): void {
    const { changes } = this.db.prepare('DELETE FROM sustainer_keys WHERE sustainer_id = ?').run(sustainerId);
    if (changes > 0 && scrub) this.db.exec('VACUUM');
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /**
   * A key that does not unwrap is the operator's fault, not the request's: keys.db was rewrapped
   * under another KEK while the service ran (`ledger rotate-kek`), or damaged. The request is
   * answered 503 STORE.UNAVAILABLE (logged once a minute), never 500, until the service is
   * restarted with the right key.
   */
  private unwrap(wrapped: Buffer, context: string): Buffer {
    try {
      return this.kek.unwrap(wrapped, context);
    } catch (error) {
      this.assertCurrentKek();
      throw new StoreUnavailableError('KEY_UNWRAP', (error as Error).message);
    }
  }

  private assertCurrentKek(): void {
    const current = readState(this.db).kekId;
    if (current !== this.kek.id) {
      throw new StoreUnavailableError('KEYS_REWRAPPED', `keys.db is now wrapped under key-encryption key ${current ?? '(none)'}, not ${this.kek.id}: restart the service with the new key`);
    }
  }
}

function openKeyFile(file: string): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = DELETE');
  db.pragma('synchronous = FULL');
  db.pragma('secure_delete = ON');
  db.pragma('busy_timeout = 5000');
  db.exec(`CREATE TABLE IF NOT EXISTS sustainer_keys (sustainer_id TEXT PRIMARY KEY, data_key BLOB NOT NULL) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS secrets (name TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;`);
  return db;
}

function readState(db: Database.Database): KeyFileState {
  const kek = db.prepare("SELECT value FROM meta WHERE name = 'kek_id'").get() as { value: string } | undefined;
  const { n } = db.prepare('SELECT COUNT(*) AS n FROM sustainer_keys').get() as { n: number };
  return { kekId: kek?.value, keys: n };
}

/** What keys.db in `dataDir` says about its KEK, without a KEK; undefined when there is no keys.db. */
export function inspectKeyFile(file: string): KeyFileState | undefined {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch {
    return undefined;
  }
  try {
    const hasMeta = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get();
    const hasKeys = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sustainer_keys'").get();
    const kek = hasMeta ? (db.prepare("SELECT value FROM meta WHERE name = 'kek_id'").get() as { value: string } | undefined) : undefined;
    const keys = hasKeys ? (db.prepare('SELECT COUNT(*) AS n FROM sustainer_keys').get() as { n: number }).n : 0;
    return { kekId: kek?.value, keys };
  } finally {
    db.close();
  }
}

/**
 * Rewraps every key and secret of keys.db from `from` to `to` in one transaction (all or
 * nothing), then vacuums. The service must not be running on the file (it holds the old KEK).
 * Returns how many keys were rewrapped.
 */
export function rewrapKeyFile(file: string, from: KeyEncryptionKey, to: KeyEncryptionKey): number {
  const db = openKeyFile(file);
  try {
    const state = readState(db);
    if (state.kekId === undefined) throw new KekError('keys.db has never been wrapped: start the service once with its key-encryption key first');
    if (state.kekId === to.id) throw new KekError(`keys.db is already wrapped under key-encryption key ${to.id}`);
    if (state.kekId !== from.id) throw new KekError(`keys.db is wrapped under key-encryption key ${state.kekId}, not under the current key given (${from.id})`);
    let count = 0;
    db.transaction(() => {
      for (const row of db.prepare('SELECT sustainer_id, data_key FROM sustainer_keys').all() as Array<{ sustainer_id: string; data_key: Buffer }>) {
        const context = sustainerKeyContext(row.sustainer_id);
        db.prepare('UPDATE sustainer_keys SET data_key = ? WHERE sustainer_id = ?').run(to.wrap(from.unwrap(row.data_key, context), context), row.sustainer_id);
        count++;
      }
      for (const row of db.prepare('SELECT name, value FROM secrets').all() as Array<{ name: string; value: Buffer }>) {
        const context = secretContext(row.name);
        db.prepare('UPDATE secrets SET value = ? WHERE name = ?').run(to.wrap(from.unwrap(row.value, context), context), row.name);
      }
      db.prepare("UPDATE meta SET value = ? WHERE name = 'kek_id'").run(to.id);
    }).immediate();
    db.exec('VACUUM');
    return count;
  } finally {
    db.close();
  }
}

/** Unwraps every key of a keys.db with `kek` (a restore's check); returns how many, throws KekError at the first that fails. */
export function checkKeyFile(file: string, kek: KeyEncryptionKey): number {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const kekId = (db.prepare("SELECT value FROM meta WHERE name = 'kek_id'").get() as { value: string } | undefined)?.value;
    if (kekId !== kek.id) throw new KekError(`keys.db is wrapped under key-encryption key ${kekId ?? '(none: clear keys)'}, not ${kek.id}`);
    let count = 0;
    for (const row of db.prepare('SELECT sustainer_id, data_key FROM sustainer_keys').all() as Array<{ sustainer_id: string; data_key: Buffer }>) {
      kek.unwrap(row.data_key, sustainerKeyContext(row.sustainer_id));
      count++;
    }
    for (const row of db.prepare('SELECT name, value FROM secrets').all() as Array<{ name: string; value: Buffer }>) kek.unwrap(row.value, secretContext(row.name));
    return count;
  } finally {
    db.close();
  }
}
