import { createHmac, randomBytes } from 'node:crypto';
import type { PoolClient, QueryResultRow } from 'pg';
import { asPostgresFault } from '../../../event-store/postgres/postgres-faults';
import { StoreUnavailableError } from '../../../event-store/store-unavailable';
import { type SharedPostgres, SharedKeyMismatchError, tableExists } from '../../../shared-state/shared-postgres';
import { ConfigError } from '../../../config';
import type { SustainerKeyVault } from './key-vault';
import { KeyEncryptionKey, KekError, sustainerKeyContext } from './key-wrap';

const PEPPER = 'fingerprint-pepper';
/** Serialises the key store's set-up and rewrapping across instances (any constant; this is "keys" in ASCII). */
const KEYS_LOCK = 0x6b657973;

const TABLES = ['ledger_sustainer_keys', 'ledger_key_meta'] as const;
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS ledger_sustainer_keys (sustainer_id text PRIMARY KEY, data_key bytea NOT NULL);
  CREATE TABLE IF NOT EXISTS ledger_key_meta (name text PRIMARY KEY, value text NOT NULL)`;

/**
 * The sustainers' data keys in PostgreSQL, shared by every instance on one log
 * (config.sharedStateUrl, the shared state's pool): a sustainer registered on one instance is
 * opened and erased on any other, and a registration retried on another instance gets the same
 * peppered fingerprint (the pepper is one of the shared keys, `ledger_shared_keys`), so its
 * Idempotency-Key is recognised.
 *
 * As in keys.db, every key is stored wrapped under the operator's key-encryption key (AES-256-GCM,
 * key-wrap.ts) with the KEK's id in `ledger_key_meta`: a database dump holds no usable key. An
 * instance started with another KEK is refused (KekError), and `ledger rotate-kek` rewraps every
 * row in the same transaction as the other wrapped tables (rewrapSustainerKeys). Set-up and
 * rewrapping hold one advisory lock, so two instances starting at once record one KEK.
 *
 * Erasure deletes the row and rewrites the table (VACUUM FULL: a new file without the deleted
 * tuple; the old file is unlinked; it needs the table's owner). What PostgreSQL's WAL, replicas
 * and base backups were sent stays there until they are recycled: the same limit as a SQLite
 * file's backups (README, Limits). A server or connection failure is a StoreUnavailableError (503), never a 500.
 */
export class PostgresSustainerKeyStore implements SustainerKeyVault {
  private ready: Promise<void> | undefined;
  private pepper: Buffer | undefined;

  constructor(
    private readonly shared: SharedPostgres,
    private readonly kek: KeyEncryptionKey,
    /** Closed with this store (a CLI's or a test's own pool); the service's is closed by its module. */
    private readonly ownsPool = false,
  ) {}

  /** Sets the store up (once; again after a failure) and checks the KEK. A KekError is the operator's to fix. */
  open(): Promise<void> {
    if (this.ready === undefined) {
      const attempt = (async () => {
        await this.shared.ensureTables(TABLES, SCHEMA);
        // An erasure rewrites the key table (VACUUM FULL), which PostgreSQL lets only its owner (or
        // a superuser) do, and otherwise skips with a mere warning: refuse to run where erasures
        // would silently leave the deleted keys in the table's pages.
        const [may] = await this.shared.query<{ may: boolean }>(
          `SELECT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) OR pg_has_role(current_user, tableowner, 'MEMBER') AS may
             FROM pg_tables WHERE tablename = 'ledger_sustainer_keys' AND schemaname = ANY (current_schemas(false))`,
        );
        if (!may?.may) {
          throw new ConfigError(
            'the role the service connects as does not own ledger_sustainer_keys, so an erasure could not rewrite it: `ALTER TABLE ledger_sustainer_keys OWNER TO <that role>` (README, "Several service instances")',
          );
        }
        await this.shared.transaction(async (client) => {
          await client.query('SELECT pg_advisory_xact_lock($1)', [KEYS_LOCK]);
          const kekId = await storedKekId(client);
          if (kekId === undefined) {
            await client.query("INSERT INTO ledger_key_meta (name, value) VALUES ('kek_id', $1)", [this.kek.id]);
          } else if (kekId !== this.kek.id) {
            throw new KekError(
              `the shared key store in PostgreSQL is wrapped under key-encryption key ${kekId}, but the key given (LEDGER_KEK or LEDGER_KEK_FILE) is ${this.kek.id}; give the key it was wrapped with (or rewrap it with \`ledger rotate-kek\`)`,
            );
          }
        });
      })();
      this.ready = attempt;
      attempt.catch(() => {
        if (this.ready === attempt) this.ready = undefined;
      });
    }
    return this.ready;
  }

  async pepperedFingerprint(fingerprint: string): Promise<string> {
    if (!this.pepper) {
      try {
        await this.open();
        this.pepper = await this.shared.sharedKey(PEPPER, this.kek);
      } catch (error) {
        throw keyStoreFault(error);
      }
    }
    return createHmac('sha256', this.pepper).update(fingerprint).digest('hex');
  }

  async create(sustainerId: string): Promise<Buffer> {
    const key = randomBytes(32);
    // Inserted only while the table is still wrapped under this instance's KEK (not rewrapped under it by `ledger rotate-kek`).
    // The KEK's row is locked for share: a rotation holds it for update from its start, so an
    // insert waits for it to commit, then sees the new KEK id and is refused (503) instead of
    // landing under the old KEK behind the rotation's back.
    const { rowCount } = await this.query(
      `WITH meta AS (SELECT value FROM ledger_key_meta WHERE name = 'kek_id' FOR SHARE)
       INSERT INTO ledger_sustainer_keys (sustainer_id, data_key) SELECT $1, $2 FROM meta WHERE meta.value = $3`,
      [sustainerId, this.kek.wrap(key, sustainerKeyContext(sustainerId)), this.kek.id],
    );
    if (rowCount !== 1) await this.assertCurrentKek();
    return key;
  }

  async findMany(sustainerIds: readonly string[]): Promise<Map<string, Buffer>> {
    const found = new Map<string, Buffer>();
    if (sustainerIds.length === 0) return found;
    const { rows } = await this.query<{ sustainer_id: string; data_key: Buffer }>(
      'SELECT sustainer_id, data_key FROM ledger_sustainer_keys WHERE sustainer_id = ANY($1::text[])',
      [[...new Set(sustainerIds)]],
    );
    for (const row of rows) found.set(row.sustainer_id, await this.unwrap(row.data_key, sustainerKeyContext(row.sustainer_id)));
    return found;
  }

  async destroy(sustainerId: string, { scrub = true }: { scrub?: boolean } = {}): Promise<void> {
    await this.query('DELETE FROM ledger_sustainer_keys WHERE sustainer_id = $1', [sustainerId]);
    // An erasure rewrites the table, even when the row was deleted by an earlier attempt whose
    // rewrite failed (erasing again repairs it); an orphan key (a registration not written)
    // sealed nothing kept, and goes without the rewrite's exclusive lock.
    if (scrub) await this.query('VACUUM FULL ledger_sustainer_keys');
  }

  async close(): Promise<void> {
    if (this.ownsPool) await this.shared.close();
  }

  private async query<R extends QueryResultRow = QueryResultRow>(text: string, values: unknown[] = []): Promise<{ rows: R[]; rowCount: number }> {
    try {
      await this.open();
      return await this.shared.execute<R>(text, values);
    } catch (error) {
      throw keyStoreFault(error);
    }
  }

  /** As in keys.db: a key that does not unwrap means the table was rewrapped under another KEK meanwhile (503), or damaged. */
  private async unwrap(wrapped: Buffer, context: string): Promise<Buffer> {
    try {
      return this.kek.unwrap(wrapped, context);
    } catch (error) {
      await this.assertCurrentKek();
      throw new StoreUnavailableError('KEY_UNWRAP', (error as Error).message);
    }
  }

  private async assertCurrentKek(): Promise<void> {
    const { rows } = await this.query<{ value: string }>("SELECT value FROM ledger_key_meta WHERE name = 'kek_id'", []);
    const current = rows[0]?.value;
    if (current !== this.kek.id) {
      throw new StoreUnavailableError('KEYS_REWRAPPED', `the shared key store is now wrapped under key-encryption key ${current ?? '(none)'}, not ${this.kek.id}: restart the service with the new key`);
    }
  }
}

/**
 * `ledger rotate-kek`'s part for the sustainers' keys: every data key rewrapped from `from` to
 * `to`, in the caller's transaction (with the other wrapped tables, all or nothing). Instances
 * still running on the old KEK answer 503 until they are restarted with the new one. Returns how
 * many data keys were rewrapped.
 */
export async function rewrapSustainerKeys(client: PoolClient, from: KeyEncryptionKey, to: KeyEncryptionKey): Promise<number> {
  await client.query('SELECT pg_advisory_xact_lock($1)', [KEYS_LOCK]);
  // Held to the end: keys being created meanwhile wait, then see the new KEK id (see create).
  const kekId = (await tableExists(client, 'ledger_key_meta')) ? await storedKekId(client, true) : undefined;
  if (kekId === undefined) throw new KekError('the shared key store has never been opened: start the service once with its key-encryption key first');
  if (kekId === to.id) throw new KekError(`the shared key store is already wrapped under key-encryption key ${to.id}`);
  if (kekId !== from.id) throw new KekError(`the shared key store is wrapped under key-encryption key ${kekId}, not under the current key given (${from.id})`);
  const keys = await client.query<{ sustainer_id: string; data_key: Buffer }>('SELECT sustainer_id, data_key FROM ledger_sustainer_keys FOR UPDATE');
  // One statement for every key (a round trip per key would make a large rotation slow).
  const rewrapped = keys.rows.map((row) => to.wrap(from.unwrap(row.data_key, sustainerKeyContext(row.sustainer_id)), sustainerKeyContext(row.sustainer_id)));
  await client.query(
    'UPDATE ledger_sustainer_keys AS k SET data_key = n.data_key FROM unnest($1::text[], $2::bytea[]) AS n (sustainer_id, data_key) WHERE k.sustainer_id = n.sustainer_id',
    [keys.rows.map((row) => row.sustainer_id), rewrapped],
  );
  await client.query("UPDATE ledger_key_meta SET value = $1 WHERE name = 'kek_id'", [to.id]);
  return keys.rows.length;
}

async function storedKekId(client: PoolClient, forUpdate = false): Promise<string | undefined> {
  const { rows } = await client.query<{ value: string }>(`SELECT value FROM ledger_key_meta WHERE name = 'kek_id'${forUpdate ? ' FOR UPDATE' : ''}`);
  return rows[0]?.value;
}

/** A server or connection failure (503), or a shared key wrapped under another KEK (503: restart with the right key); anything else unchanged. */
function keyStoreFault(error: unknown): unknown {
  // Found at first use when the server was not reachable at start (or after a rotation): the
  // operator's to fix, a 503 meanwhile.
  if (error instanceof KekError) return new StoreUnavailableError('KEK_MISMATCH', error.message);
  if (error instanceof ConfigError) return new StoreUnavailableError('KEY_STORE_MISCONFIGURED', error.message);
  if (error instanceof SharedKeyMismatchError) return new StoreUnavailableError('KEYS_REWRAPPED', error.message);
  return asPostgresFault(error);
}
