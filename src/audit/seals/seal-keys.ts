import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync } from 'node:fs';
import Database from 'better-sqlite3';
import { keyIdOf, publicKeyPem } from './seal-statement';

/**
 * The ledger's Ed25519 signing keys, outside the log: `seal-keys.db` in the data directory
 * (like keys.db: not derived; back it up apart from the log, and never hand it to an auditor).
 * One key is current; rotated-out keys are kept, retired, for their public halves.
 *
 * It also keeps the signer's own record of the last seal it signed, outside the log: a log
 * truncated or rewritten behind the service's back no longer matches it (`ledger verify`,
 * /health), even when the seals inside the log went with the rest.
 */
export interface SealKey {
  readonly keyId: string;
  readonly privateKey: KeyObject;
  readonly publicKeyPem: string;
  readonly createdAt: string;
}

export interface PublicSealKey {
  readonly keyId: string;
  readonly publicKey: string;
  readonly createdAt: string;
  readonly status: 'current' | 'retired' | 'imported';
}

export interface SignedRecord {
  readonly treeSize: number;
  readonly rootHash: string;
  readonly lastPosition: number;
  readonly sealedAt: string;
  /** The service sealed everything when it stopped: at its next start, nothing unsealed may follow. */
  readonly cleanShutdown: boolean;
}

/**
 * Where the signing keys and the signer's record live: `seal-keys.db` (SealKeyStore, below) on
 * one instance, PostgreSQL (PostgresSealKeys) when instances share a log. Reads the verifier
 * needs at once (`publicKeys`, `signed`) are synchronous; the PostgreSQL store answers them from
 * what its last `refresh` read, which the sealer calls before it reads the log.
 */
export interface SealKeys {
  /** Reads the public keys and the record again (a no-op on SQLite, where every read is fresh). */
  refresh(): Promise<void> | void;
  current(now?: () => Date): Promise<SealKey> | SealKey;
  pending(now: Date): Promise<SealKey> | SealKey;
  promote(newKeyId: string): Promise<void> | void;
  discard(keyId: string): Promise<void> | void;
  publicKeys(): PublicSealKey[];
  trust(keyId: string, publicPem: string, at: Date): Promise<void> | void;
  signed(): SignedRecord | undefined;
  /** The record of the seal just signed. In PostgreSQL it never moves back (a smaller tree than the one kept is ignored: two signers racing). */
  recordSigned(record: SignedRecord): Promise<void> | void;
  setCleanShutdown(clean: boolean): Promise<void> | void;
  close(): Promise<void> | void;
}

export interface KeyRow {
  key_id: string;
  private_pem: string;
  public_pem: string;
  created_at: string;
  status: 'current' | 'retired' | 'pending';
}

/** A new Ed25519 key pair as a row, for either store. */
export function newKeyRow(createdAt: string, status: KeyRow['status']): KeyRow {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    key_id: keyIdOf(publicKey),
    private_pem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    public_pem: publicKeyPem(publicKey),
    created_at: createdAt,
    status,
  };
}

/** Own keys (not pending) then trusted ones, as publicKeys() answers them. */
export function publicKeysOf(
  own: ReadonlyArray<Pick<KeyRow, 'key_id' | 'public_pem' | 'created_at' | 'status'>>,
  trusted: ReadonlyArray<{ key_id: string; public_pem: string; added_at: string }>,
): PublicSealKey[] {
  return [
    ...trusted.map((r): PublicSealKey => ({ keyId: r.key_id, publicKey: r.public_pem, createdAt: r.added_at, status: 'imported' })),
    ...own.filter((r) => r.status !== 'pending').map((r): PublicSealKey => ({ keyId: r.key_id, publicKey: r.public_pem, createdAt: r.created_at, status: r.status as 'current' | 'retired' })),
  ];
}

export class SealKeyStore implements SealKeys {
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = new Database(file);
    try {
      chmodSync(file, 0o600);
    } catch {
      // A file system without modes: nothing to do.
    }
    this.db.pragma('journal_mode = DELETE');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS seal_keys (key_id TEXT PRIMARY KEY, private_pem TEXT NOT NULL, public_pem TEXT NOT NULL, created_at TEXT NOT NULL, status TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS trusted_keys (key_id TEXT PRIMARY KEY, public_pem TEXT NOT NULL, added_at TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS signed_seal (id INTEGER PRIMARY KEY CHECK (id = 1), tree_size INTEGER NOT NULL, root_hash TEXT NOT NULL, last_position INTEGER NOT NULL, sealed_at TEXT NOT NULL, clean_shutdown INTEGER NOT NULL);
    `);
  }

  refresh(): void {}

  /** The current key, made on first use. */
  current(now: () => Date = () => new Date()): SealKey {
    const row = this.db.prepare<[], KeyRow>("SELECT * FROM seal_keys WHERE status = 'current'").get();
    if (row) return toKey(row);
    return this.db.transaction(() => {
      const again = this.db.prepare<[], KeyRow>("SELECT * FROM seal_keys WHERE status = 'current'").get();
      if (again) return toKey(again);
      const made = this.insert(now().toISOString(), 'current');
      return toKey(made);
    }).immediate();
  }

  /** A new key, not yet current (a rotation makes it current once its event is in the log). */
  pending(now: Date): SealKey {
    return toKey(this.insert(now.toISOString(), 'pending'));
  }

  /** The rotation's event is in the log: the pending key becomes current, the old one retired. */
  promote(newKeyId: string): void {
    this.db.transaction(() => {
      this.db.prepare("UPDATE seal_keys SET status = 'retired' WHERE status = 'current'").run();
      this.db.prepare("UPDATE seal_keys SET status = 'current' WHERE key_id = ?").run(newKeyId);
    }).immediate();
  }

  discard(keyId: string): void {
    this.db.prepare("DELETE FROM seal_keys WHERE key_id = ? AND status = 'pending'").run(keyId);
  }

  /** Every public key: this ledger's own, and those trusted for an imported history (`ledger import`). */
  publicKeys(): PublicSealKey[] {
    return publicKeysOf(
      this.db.prepare<[], KeyRow>("SELECT * FROM seal_keys WHERE status != 'pending' ORDER BY created_at, key_id").all(),
      this.db.prepare<[], { key_id: string; public_pem: string; added_at: string }>('SELECT * FROM trusted_keys ORDER BY added_at, key_id').all(),
    );
  }

  /** Trusts a public key that signed seals of an imported history (it has no private key here). */
  trust(keyId: string, publicPem: string, at: Date): void {
    this.db.prepare('INSERT OR IGNORE INTO trusted_keys (key_id, public_pem, added_at) VALUES (?, ?, ?)').run(keyId, publicPem, at.toISOString());
  }

  signed(): SignedRecord | undefined {
    const row = this.db
      .prepare<[], { tree_size: number; root_hash: string; last_position: number; sealed_at: string; clean_shutdown: number }>('SELECT * FROM signed_seal WHERE id = 1')
      .get();
    return row
      ? { treeSize: row.tree_size, rootHash: row.root_hash, lastPosition: row.last_position, sealedAt: row.sealed_at, cleanShutdown: row.clean_shutdown === 1 }
      : undefined;
  }

  recordSigned(record: SignedRecord): void {
    this.db
      .prepare('INSERT OR REPLACE INTO signed_seal (id, tree_size, root_hash, last_position, sealed_at, clean_shutdown) VALUES (1, ?, ?, ?, ?, ?)')
      .run(record.treeSize, record.rootHash, record.lastPosition, record.sealedAt, record.cleanShutdown ? 1 : 0);
  }

  setCleanShutdown(clean: boolean): void {
    this.db.prepare('UPDATE signed_seal SET clean_shutdown = ? WHERE id = 1').run(clean ? 1 : 0);
  }

  close(): void {
    this.db.close();
  }

  private insert(createdAt: string, status: KeyRow['status']): KeyRow {
    const row = newKeyRow(createdAt, status);
    this.db.prepare('INSERT INTO seal_keys (key_id, private_pem, public_pem, created_at, status) VALUES (?, ?, ?, ?, ?)').run(
      row.key_id, row.private_pem, row.public_pem, row.created_at, row.status,
    );
    return row;
  }
}

export function toKey(row: Pick<KeyRow, 'key_id' | 'private_pem' | 'public_pem' | 'created_at'>): SealKey {
  return { keyId: row.key_id, privateKey: createPrivateKey(row.private_pem), publicKeyPem: row.public_pem, createdAt: row.created_at };
}
