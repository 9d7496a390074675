import type { PoolClient } from 'pg';
import { type Kek, type SharedPostgres, tableExists } from '../../shared-state/shared-postgres';
import { KeyRow, PublicSealKey, SealKey, SealKeys, SignedRecord, newKeyRow, publicKeysOf, toKey } from './seal-keys';

interface StoredKey {
  key_id: string;
  wrapped_private: Buffer;
  public_pem: string;
  created_at: string;
  status: KeyRow['status'];
}

const context = (keyId: string): string => `seal-key:${keyId}`;

/**
 * The seal signing keys and the signer's record in PostgreSQL, shared by every instance on one
 * log: whichever holds the singleton lease signs with the same key, and every instance verifies
 * the seals with its public half, with no key to trust by hand. The private key is wrapped under
 * the KEK (AES-256-GCM, bound to its key id), so the table alone signs nothing. One key is
 * current (a unique index says so, so two instances making the first key at once keep one);
 * the record only moves forward.
 */
export class PostgresSealKeys implements SealKeys {
  private keys: PublicSealKey[] = [];
  private record?: SignedRecord;

  constructor(
    private readonly db: SharedPostgres,
    /** Asked for only when a private key is wrapped or unwrapped: verifying needs no KEK. */
    private readonly kek: () => Kek,
    /** Closed with this store (the CLI's own pool); the service's is closed by its module. */
    private readonly ownsDb = false,
  ) {}

  async refresh(): Promise<void> {
    const [own, trusted, signed] = await Promise.all([
      this.db.query<StoredKey>("SELECT key_id, public_pem, created_at, status FROM ledger_seal_keys WHERE status != 'pending' ORDER BY created_at, key_id"),
      this.db.query<{ key_id: string; public_pem: string; added_at: string }>('SELECT * FROM ledger_seal_trusted_keys ORDER BY added_at, key_id'),
      this.db.query<{ tree_size: string; root_hash: string; last_position: string; sealed_at: string; clean_shutdown: boolean }>('SELECT * FROM ledger_seal_signed WHERE id = 1'),
    ]);
    this.keys = publicKeysOf(own, trusted);
    const r = signed[0];
    this.record = r
      ? { treeSize: Number(r.tree_size), rootHash: r.root_hash, lastPosition: Number(r.last_position), sealedAt: r.sealed_at, cleanShutdown: r.clean_shutdown }
      : undefined;
  }

  async current(now: () => Date = () => new Date()): Promise<SealKey> {
    const found = await this.find("status = 'current'");
    if (found) return found;
    // Two instances may both make one: the unique index keeps the first, both then read it.
    await this.insert(newKeyRow(now().toISOString(), 'current'), true);
    const made = await this.find("status = 'current'");
    await this.refresh();
    return made!;
  }

  async pending(now: Date): Promise<SealKey> {
    const row = newKeyRow(now.toISOString(), 'pending');
    await this.insert(row, false);
    return toKey(row);
  }

  async promote(newKeyId: string): Promise<void> {
    await this.db.transaction(async (client) => {
      await client.query("UPDATE ledger_seal_keys SET status = 'retired' WHERE status = 'current'");
      await client.query("UPDATE ledger_seal_keys SET status = 'current' WHERE key_id = $1", [newKeyId]);
    });
    await this.refresh();
  }

  async discard(keyId: string): Promise<void> {
    await this.db.query("DELETE FROM ledger_seal_keys WHERE key_id = $1 AND status = 'pending'", [keyId]);
  }

  publicKeys(): PublicSealKey[] {
    return this.keys;
  }

  async trust(keyId: string, publicPem: string, at: Date): Promise<void> {
    await this.db.query('INSERT INTO ledger_seal_trusted_keys (key_id, public_pem, added_at) VALUES ($1, $2, $3) ON CONFLICT (key_id) DO NOTHING', [keyId, publicPem, at.toISOString()]);
    await this.refresh();
  }

  signed(): SignedRecord | undefined {
    return this.record;
  }

  async recordSigned(record: SignedRecord): Promise<void> {
    await this.db.query(
      `INSERT INTO ledger_seal_signed (id, tree_size, root_hash, last_position, sealed_at, clean_shutdown) VALUES (1, $1, $2, $3, $4, $5)
       ON CONFLICT (id) DO UPDATE SET tree_size = excluded.tree_size, root_hash = excluded.root_hash, last_position = excluded.last_position,
         sealed_at = excluded.sealed_at, clean_shutdown = excluded.clean_shutdown
       WHERE excluded.tree_size >= ledger_seal_signed.tree_size`,
      [record.treeSize, record.rootHash, record.lastPosition, record.sealedAt, record.cleanShutdown],
    );
    await this.refresh();
  }

  async setCleanShutdown(clean: boolean): Promise<void> {
    await this.db.query('UPDATE ledger_seal_signed SET clean_shutdown = $1 WHERE id = 1', [clean]);
    await this.refresh();
  }

  async close(): Promise<void> {
    if (this.ownsDb) await this.db.close();
  }

  private async find(where: string): Promise<SealKey | undefined> {
    const [row] = await this.db.query<StoredKey>(`SELECT * FROM ledger_seal_keys WHERE ${where}`);
    if (!row) return undefined;
    const privatePem = this.kek().unwrap(row.wrapped_private, context(row.key_id)).toString('utf8');
    return toKey({ key_id: row.key_id, private_pem: privatePem, public_pem: row.public_pem, created_at: row.created_at });
  }

  private async insert(row: KeyRow, ignoreConflict: boolean): Promise<void> {
    await this.db.query(
      `INSERT INTO ledger_seal_keys (key_id, wrapped_private, public_pem, created_at, status) VALUES ($1, $2, $3, $4, $5)${ignoreConflict ? ' ON CONFLICT DO NOTHING' : ''}`,
      [row.key_id, this.kek().wrap(Buffer.from(row.private_pem, 'utf8'), context(row.key_id)), row.public_pem, row.created_at, row.status],
    );
  }
}

/**
 * `ledger rotate-kek`'s part for the seal keys: every private key rewrapped from `from` to `to`,
 * in the caller's transaction (with the other wrapped tables, all or nothing). Returns how many.
 */
export async function rewrapSealKeys(client: PoolClient, from: Kek, to: Kek): Promise<number> {
  if (!(await tableExists(client, 'ledger_seal_keys'))) return 0;
  const { rows } = await client.query<{ key_id: string; wrapped_private: Buffer }>('SELECT key_id, wrapped_private FROM ledger_seal_keys FOR UPDATE');
  for (const row of rows) {
    await client.query('UPDATE ledger_seal_keys SET wrapped_private = $2 WHERE key_id = $1', [row.key_id, to.wrap(from.unwrap(row.wrapped_private, context(row.key_id)), context(row.key_id))]);
  }
  return rows.length;
}
