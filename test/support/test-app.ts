import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { DestinationStream } from 'pino';
import { createApp } from '../../src/app';
import { CommandRunner } from '../../src/commands/command-runner';
import { LedgerConfig } from '../../src/config';
import { EventStore } from '../../src/event-store/event-store.port';
import { issueToken, revokeToken } from '../../src/modules/access/manage-tokens';
import { ProjectionRunner } from '../../src/projections/projection-runner';
import { Clock, SystemClock } from '../../src/shared/clock';
import { Role } from '../../src/shared/decider';
import { newId } from '../../src/shared/ids';
import { KeyEncryptionKey } from '../../src/modules/sustainers/personal-data/key-wrap';
import { TEST_KEK } from './processes';

export interface TestResponse {
  readonly status: number;
  readonly headers: Record<string, unknown>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly body: any;
  readonly text: string;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

/** A route as Fastify registered it (the contract test compares these with the OpenAPI document). */
export interface RegisteredRoute {
  readonly method: string | string[];
  readonly url: string;
}

export interface TestApp {
  readonly app: NestFastifyApplication;
  readonly dataDir: string;
  readonly store: EventStore;
  /** Issues a real token through the same path as `ledger tokens create`. */
  token(role: Role, subject?: string): Promise<{ secret: string; tokenId: string }>;
  revoke(tokenId: string): Promise<void>;
  request(
    method: HttpMethod,
    url: string,
    options?: { token?: string; body?: unknown; headers?: Record<string, string>; rawBody?: string },
  ): Promise<TestResponse>;
  close(): Promise<void>;
}

export function testConfig(dataDir: string, overrides: Partial<LedgerConfig> = {}): LedgerConfig {
  return {
    port: 0,
    host: '127.0.0.1',
    dataDir,
    store: 'sqlite',
    sqliteSynchronous: 'NORMAL',
    bodyLimitBytes: 64 * 1024,
    readYourWritesTimeoutMs: 2000,
    rebuildThread: 'on',
    transferTtlMs: 72 * 3_600_000,
    expirySweepMs: 60_000,
    fiscalYearStartMonth: 1,
    seedFunds: 'none',
    seedCurrency: 'USD',
    // The tests' key-encryption key (the service refuses to start without one); the same for every
    // app, so an app restarted on the same data directory opens its keys.db again.
    kek: KeyEncryptionKey.fromText(TEST_KEK),
    // Suites move a fixed clock across months and years: their tokens live as long as they may.
    tokenTtlDays: 3650,
    // The roles matrix and the fuzz suite send thousands of bad tokens from one address on purpose;
    // the brute-force test sets its own limit.
    authFailureLimit: 1_000_000,
    ...overrides,
  };
}

/** The real application on a fresh data directory, driven through Fastify's inject (no socket). */
export async function startTestApp(
  options: {
    clock?: Clock;
    config?: Partial<LedgerConfig>;
    onRoute?: (route: RegisteredRoute) => void;
    logStream?: DestinationStream;
    /** Runs before Nest's init, while routes can still be added to Fastify. */
    beforeInit?: (app: NestFastifyApplication) => void;
  } = {},
): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-e2e-'));
  const clock = options.clock ?? new SystemClock();
  const config = testConfig(dataDir, options.config);
  const app = await createApp(config, { clock, logger: false, logStream: options.logStream });
  // Nest registers its routes with Fastify during init, so a hook added here sees every one.
  if (options.onRoute) app.getHttpAdapter().getInstance().addHook('onRoute', options.onRoute);
  options.beforeInit?.(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const runner = app.get(CommandRunner);
  const projections = app.get(ProjectionRunner);
  const operator = () => {
    const id = newId();
    return { actor: { id: 'operator:test', role: 'operator' as const }, correlationId: id, causationId: id, now: clock.now() };
  };
  return {
    app,
    dataDir,
    store: app.get(EventStore),
    async token(role, subject) {
      const issued = await issueToken(runner, operator(), { role, name: `${role}-${newId()}`, subject, lifetimeDays: config.tokenTtlDays });
      await projections.waitFor(issued.position, 5000);
      return { secret: issued.secret, tokenId: issued.tokenId };
    },
    async revoke(tokenId) {
      const position = await revokeToken(runner, operator(), { tokenId, reason: 'test' });
      await projections.waitFor(position, 5000);
    },
    async request(method, url, { token, body, headers = {}, rawBody } = {}) {
      const response = await app.inject({
        method,
        url,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined || rawBody !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        payload: rawBody ?? (body === undefined ? undefined : JSON.stringify(body)),
      });
      let parsed: unknown;
      try {
        parsed = response.body ? JSON.parse(response.body) : undefined;
      } catch {
        parsed = undefined;
      }
      return { status: response.statusCode, headers: response.headers, body: parsed, text: response.body };
    },
    async close() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Every event in the log, for asserting what was (not) written. */
export async function allEvents(store: EventStore) {
  const out = [];
  for await (const e of store.readAll()) out.push(e);
  return out;
}
