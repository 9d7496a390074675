import { hostname } from 'node:os';
import type { Client } from 'pg';
import { ADVISORY_NAMESPACE, SINGLETON_LEASE_LOCK } from './shared-postgres';

/** What /health and /metrics show of the lease. */
export interface LeaseStatus {
  /** Whether this instance runs the singleton duties (sealing, the Kafka relay, webhook deliveries) now. */
  readonly held: boolean;
  /** `local`: one instance by construction (the SQLite default), always held; `postgres`: an advisory lock. */
  readonly mode: 'local' | 'postgres';
  /** When this instance last took the lease. */
  readonly since?: string;
  /** Which instance holds it (`host:pid`, or the name it was given), as far as this instance last saw; absent when none does. */
  readonly holder?: string;
  /** How often an instance without the lease tries to take it (and the holder checks its connection). */
  readonly retrySeconds?: number;
  /** The last connection problem, while there is one. */
  readonly error?: string;
}

export type LeaseListener = (held: boolean) => void | Promise<void>;

export interface LeaseLogger {
  log(message: string): void;
  warn(message: string): void;
}

/**
 * One instance at a time holds the lease and runs the singleton duties. Each duty registers a
 * listener: called with `true` when this instance takes the lease (at once if it holds it
 * already), with `false` when it loses it. Changes are delivered one at a time, in order, each
 * after the listeners of the previous one have finished.
 */
export abstract class SingletonLease {
  private readonly listeners: LeaseListener[] = [];
  private delivering: Promise<void> = Promise.resolve();
  protected current = false;

  get held(): boolean {
    return this.current;
  }

  abstract status(): LeaseStatus;
  abstract start(): void;
  /** Stops trying; a held lease is released (its duties told first). */
  abstract stop(): Promise<void>;

  onChange(listener: LeaseListener): void {
    this.listeners.push(listener);
    if (this.current) this.delivering = this.delivering.then(() => this.call(listener, true));
  }

  /** Resolves once every change so far has reached every listener. */
  settled(): Promise<void> {
    return this.delivering;
  }

  protected set(held: boolean): Promise<void> {
    if (held === this.current) return this.delivering;
    this.current = held;
    this.delivering = this.delivering.then(async () => {
      for (const listener of [...this.listeners]) await this.call(listener, held);
    });
    return this.delivering;
  }

  protected abstract readonly logger?: LeaseLogger;

  private async call(listener: LeaseListener, held: boolean): Promise<void> {
    try {
      await listener(held);
    } catch (error) {
      this.logger?.warn(`a singleton duty failed to ${held ? 'start' : 'stop'}: ${(error as Error).message}`);
    }
  }
}

/** The SQLite default: one instance owns its data directory, so it always holds the lease. */
export class LocalLease extends SingletonLease {
  constructor(protected readonly logger?: LeaseLogger) {
    super();
    this.current = true;
  }

  status(): LeaseStatus {
    return { held: true, mode: 'local' };
  }

  start(): void {}

  async stop(): Promise<void> {
    await this.set(false);
  }
}

export interface PostgresLeaseOptions {
  readonly url: string;
  /** How often to try to take the lease, and how often the holder checks its connection; default 2 s. */
  readonly retryMs?: number;
  /** How this instance is named to the others in /health (`holder`); `host:pid` by default. */
  readonly name?: string;
  readonly logger?: LeaseLogger;
}

const APPLICATION_NAME = 'mutual-aid-ledger-lease';

/**
 * The lease as a PostgreSQL session-level advisory lock (`pg_try_advisory_lock`) on a connection
 * of its own. PostgreSQL releases the lock with the session: a holder killed (SIGKILL, a crash)
 * closes its socket and another instance takes the lease at its next try, within `retryMs`.
 *
 * The holder checks its session every `retryMs` (`SELECT 1`, at most `checkTimeoutMs`). A check
 * that fails or times out, or a connection that ends, drops the lease here at once: the duties
 * stop. The session sets `idle_session_timeout` above the longest such wait, so a holder cut off
 * from the server (a partition, a frozen process) has its session ended by the server only after
 * it has itself given the duties up.
 */
export class PostgresLease extends SingletonLease {
  readonly retryMs: number;
  readonly checkTimeoutMs: number;
  /** The server ends this session when idle longer than this (ms); above retryMs + checkTimeoutMs. */
  readonly idleSessionTimeoutMs: number;
  protected readonly logger?: LeaseLogger;
  private client?: Client;
  private timer?: NodeJS.Timeout;
  private running = false;
  private attempt?: Promise<void>;
  private since?: string;
  private error?: string;
  private holder?: string;
  /** This instance's name, as the lease session's application_name carries it (at most 63 bytes in all). */
  readonly name: string;

  constructor(private readonly options: PostgresLeaseOptions) {
    super();
    this.retryMs = options.retryMs ?? 2000;
    this.checkTimeoutMs = Math.max(5000, 2 * this.retryMs);
    this.idleSessionTimeoutMs = this.retryMs + this.checkTimeoutMs + 5000;
    this.logger = options.logger;
    this.name = (options.name ?? `${hostname()}:${process.pid}`).replace(/[^\x20-\x7e]/g, '?').slice(0, 63 - APPLICATION_NAME.length - 1);
  }

  status(): LeaseStatus {
    return {
      held: this.current,
      mode: 'postgres',
      ...(this.current && this.since ? { since: this.since } : {}),
      ...(this.current ? { holder: this.name } : this.holder ? { holder: this.holder } : {}),
      retrySeconds: this.retryMs / 1000,
      ...(this.error ? { error: this.error } : {}),
    };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.tick();
  }

  /** One try now (for tests, and the first at start); resolves when it is done. */
  tryNow(): Promise<void> {
    this.attempt ??= this.once().finally(() => (this.attempt = undefined));
    return this.attempt;
  }

  private tick(): void {
    if (!this.running) return;
    void this.tryNow().finally(() => {
      if (!this.running) return;
      this.timer = setTimeout(() => this.tick(), this.retryMs);
      this.timer.unref();
    });
  }

  private async once(): Promise<void> {
    try {
      const client = this.client ?? (await this.connect());
      if (this.current) {
        await this.timed(client.query('SELECT 1'));
      } else {
        const { rows } = await this.timed(client.query<{ taken: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS taken', [ADVISORY_NAMESPACE, SINGLETON_LEASE_LOCK]));
        if (rows[0]?.taken && this.running && client === this.client) {
          this.since = new Date().toISOString();
          this.logger?.log('took the singleton lease: this instance now seals, relays and delivers webhooks');
          await this.set(true);
        } else {
          // Who holds it: the session holding the lock names its instance in application_name.
          const holders = await this.timed(
            client.query<{ name: string | null }>(
              `SELECT a.application_name AS name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
               WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $1 AND l.objid = $2
                 AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
              [ADVISORY_NAMESPACE, SINGLETON_LEASE_LOCK],
            ),
          );
          const name = holders.rows[0]?.name;
          this.holder = name?.startsWith(`${APPLICATION_NAME} `) ? name.slice(APPLICATION_NAME.length + 1) : undefined;
        }
      }
      this.error = undefined;
    } catch (error) {
      await this.lost((error as Error).message);
    }
  }

  private async connect(): Promise<Client> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Client: PgClient } = require('pg') as typeof import('pg');
    const client = new PgClient({
      connectionString: this.options.url,
      application_name: `${APPLICATION_NAME} ${this.name}`,
      connectionTimeoutMillis: 10_000,
      keepAlive: true,
    });
    client.on('error', (error) => void this.lost(error.message, client));
    client.on('end', () => void this.lost('the connection ended', client));
    await client.connect();
    try {
      await this.timed(client.query(`SET idle_session_timeout = ${Math.round(this.idleSessionTimeoutMs)}`));
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    this.client = client;
    return client;
  }

  private timed<T>(query: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.checkTimeoutMs} ms`)), this.checkTimeoutMs);
    });
    return Promise.race([query, timeout]).finally(() => clearTimeout(timer));
  }

  /** The session is gone (or unusable): so is the lock, and the duties stop. */
  private async lost(reason: string, from?: Client): Promise<void> {
    if (from && from !== this.client) return;
    const client = this.client;
    this.client = undefined;
    if (this.running) this.error = reason;
    client?.removeAllListeners('end');
    // The duties stop first, then the session ends (and with it the lock, if the server still
    // holds it): another instance may take the lease only once this one has stopped acting on it.
    if (this.current) {
      this.logger?.warn(`lost the singleton lease (${reason}): the singleton duties stop here`);
      await this.set(false);
    }
    void client?.end().catch(() => undefined);
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.attempt?.catch(() => undefined);
    // The duties stop before the lock is released, so two instances never run them at once.
    await this.set(false);
    const client = this.client;
    this.client = undefined;
    if (client) {
      client.removeAllListeners('end');
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
    }
  }
}
