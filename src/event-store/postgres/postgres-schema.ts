import type { ClientBase } from 'pg';

/**
 * Advisory lock keys of the ledger (the two-integer form, first key 'LEDG'). The migration lock
 * keeps two instances that start at once from creating the schema twice.
 */
export const ADVISORY_NAMESPACE = 0x4c454447;
export const MIGRATION_LOCK = 1;

/** The channel the writer notifies, in its transaction (so at commit), with the new head position. */
export const APPEND_CHANNEL = 'ledger_appended';

/**
 * Schema of the log in PostgreSQL, applied in order and recorded in `ledger_schema`. A change is a
 * new entry at the end, never an edit of an old one.
 *
 * - `ledger_events` holds the events as the SQLite store does: data and metadata as the canonical
 *   JSON text the hash covers (text, not jsonb: jsonb reorders keys and normalises numbers, and
 *   the stored bytes must be the hashed ones).
 * - `ledger_head` is one row, the position of the last event. Every write transaction locks it
 *   first (SELECT ... FOR UPDATE), so writers, from any number of processes, take turns, and
 *   positions are assigned in commit order: see PostgresEventStore.
 * - Triggers refuse UPDATE, DELETE and TRUNCATE of events for every role, and a head that moves
 *   backwards; a role without those privileges (README, "The log on PostgreSQL") also cannot
 *   drop the triggers, which only the tables' owner may.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE ledger_events (
    global_position bigint  PRIMARY KEY CHECK (global_position > 0),
    event_id        text    NOT NULL UNIQUE,
    stream_id       text    NOT NULL,
    stream_version  integer NOT NULL CHECK (stream_version >= 0),
    type            text    NOT NULL,
    schema_version  integer NOT NULL,
    recorded_at     text    NOT NULL,
    effective_at    text    NOT NULL,
    data            text    NOT NULL,
    metadata        text    NOT NULL,
    prev_hash       text    NOT NULL,
    hash            text    NOT NULL,
    UNIQUE (stream_id, stream_version)
  );
  CREATE TABLE ledger_head (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    position  bigint  NOT NULL CHECK (position >= 0)
  );
  INSERT INTO ledger_head (singleton, position) VALUES (true, 0);

  CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    RAISE EXCEPTION 'events are immutable: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
  END $$;
  CREATE TRIGGER ledger_events_refuse_change BEFORE UPDATE OR DELETE ON ledger_events
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
  CREATE TRIGGER ledger_events_refuse_truncate BEFORE TRUNCATE ON ledger_events
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();

  CREATE FUNCTION ledger_head_forward() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF NEW.position < OLD.position THEN
      RAISE EXCEPTION 'the log head only moves forward: % to % refused', OLD.position, NEW.position
        USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
  END $$;
  CREATE TRIGGER ledger_head_forward BEFORE UPDATE ON ledger_head
    FOR EACH ROW EXECUTE FUNCTION ledger_head_forward();
  CREATE TRIGGER ledger_head_refuse_delete BEFORE DELETE OR TRUNCATE ON ledger_head
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
  `,
];

/** Brings the schema up to date; safe to run from several processes at once. */
export async function migratePostgresEventStore(client: ClientBase): Promise<void> {
  // Up to date already: nothing to lock or create, so a role without CREATE can start.
  const present = await client.query<{ present: boolean }>("SELECT to_regclass('ledger_schema') IS NOT NULL AS present");
  if (present.rows[0].present) {
    const current = await client.query<{ version: number }>('SELECT max(version) AS version FROM ledger_schema');
    if ((current.rows[0]?.version ?? 0) >= MIGRATIONS.length) return;
  }
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1, $2)', [ADVISORY_NAMESPACE, MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS ledger_schema (version integer NOT NULL)');
    const { rows } = await client.query<{ version: number }>('SELECT version FROM ledger_schema');
    let version = rows[0]?.version ?? 0;
    if (rows.length === 0) await client.query('INSERT INTO ledger_schema (version) VALUES (0)');
    for (; version < MIGRATIONS.length; version++) {
      await client.query(MIGRATIONS[version]);
      await client.query('UPDATE ledger_schema SET version = $1', [version + 1]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
