/**
 * docker-compose.yml cannot be run here (no Docker engine), so it is held to the code by reading:
 * every setting it gives a service instance is one src/config.ts reads, every instance's
 * environment loads, and each profile has exactly one instance running the Kafka relay.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../src/config';
import { ROOT } from './support/processes';

// js-yaml comes with @nestjs/swagger and ships no types; only its `load` is used.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { load } = require('js-yaml') as { load: (text: string) => unknown };

interface ComposeService {
  readonly image?: string;
  readonly build?: unknown;
  readonly profiles?: readonly string[];
  readonly environment?: Record<string, string>;
  readonly volumes?: readonly string[];
}

const compose = load(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as { services: Record<string, ComposeService> };
const ledgerServices = Object.entries(compose.services).filter(([, s]) => s.image === 'mutual-aid-ledger:latest');

/** The variable names src/config.ts reads, taken from its source. */
const configSource = readFileSync(join(ROOT, 'src', 'config.ts'), 'utf8');
const readByConfig = new Set([
  ...[...configSource.matchAll(/process\.env\.([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]),
  ...[...configSource.matchAll(/\(\s*'([A-Z][A-Z0-9_]*)'/g)].map((m) => m[1]),
]);

function withEnv<T>(env: Record<string, string>, fn: () => T): T {
  const saved = { ...process.env };
  for (const key of Object.keys(process.env)) {
    if (/^(LEDGER_|KURRENTDB_|KAFKA_|PORT$|HOST$)/.test(key)) delete process.env[key];
  }
  Object.assign(process.env, env);
  try {
    return fn();
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  }
}

describe('docker-compose.yml against src/config.ts', () => {
  it('describes the embedded instance and the scale-out and cluster instances', () => {
    expect(ledgerServices.map(([name]) => name).sort()).toEqual(
      ['ledger', 'ledger-a', 'ledger-b', 'ledger-cluster-a', 'ledger-cluster-b', 'ledger-pg-a', 'ledger-pg-b'].sort(),
    );
  });

  it.each(ledgerServices)('%s sets only variables the service reads, and they load', (_name, service) => {
    const env = service.environment ?? {};
    for (const key of Object.keys(env)) expect(readByConfig).toContain(key);
    const config = withEnv(env, () => loadConfig());
    expect(config.dataDir).toBe('/data');
    expect(service.volumes?.some((v) => v.endsWith(':/data'))).toBe(true);
    if (config.store === 'kurrentdb') expect(config.kurrentdbConnectionString).toMatch(/^kurrentdb:\/\//);
    if (config.store === 'postgres') expect(config.postgresUrl).toMatch(/^postgres:\/\/[^@]+@postgres:5432\//);
  });

  it('profile postgres shares one PostgreSQL log between two instances', () => {
    const instances = ledgerServices.filter(([, s]) => s.profiles?.includes('postgres')).map(([, s]) => s.environment ?? {});
    expect(instances).toHaveLength(2);
    expect(instances.every((env) => env.LEDGER_STORE === 'postgres')).toBe(true);
    expect(new Set(instances.map((env) => env.LEDGER_POSTGRES_URL)).size).toBe(1);
    // One environment for both: the singleton lease, not the configuration, decides which seals and delivers.
    expect(instances[1]).toEqual(instances[0]);
    expect(compose.services.postgres.profiles).toContain('postgres');
    expect(compose.services.postgres.environment?.POSTGRES_DB).toBe(new URL(instances[0].LEDGER_POSTGRES_URL).pathname.slice(1));
  });

  it.each(ledgerServices)('%s reads its key-encryption key from a secret outside the data volume', (_name, service) => {
    expect(service.environment?.LEDGER_KEK_FILE).toBe('/run/secrets/ledger_kek');
    expect((service as { secrets?: string[] }).secrets).toEqual(['ledger_kek']);
  });

  it.each(['scale-out', 'cluster'])('profile %s shares one KurrentDB and one PostgreSQL for the shared state; the lease picks the relay', (profile) => {
    const instances = ledgerServices.filter(([, s]) => s.profiles?.includes(profile)).map(([, s]) => s.environment ?? {});
    expect(instances.length).toBeGreaterThanOrEqual(2);
    expect(new Set(instances.map((env) => env.KURRENTDB_CONNECTION_STRING)).size).toBe(1);
    expect(instances.every((env) => env.LEDGER_STORE === 'kurrentdb')).toBe(true);
    // One PostgreSQL for what they share, in the profile; the same duties' settings on every instance.
    expect(new Set(instances.map((env) => env.LEDGER_POSTGRES_URL)).size).toBe(1);
    expect(instances[0].LEDGER_POSTGRES_URL).toMatch(/^postgres:\/\/.+@postgres:5432\//);
    expect(compose.services.postgres.profiles).toContain(profile);
    const { KAFKA_CLIENT_ID: _a, ...first } = instances[0];
    for (const env of instances.slice(1)) {
      const { KAFKA_CLIENT_ID: _b, ...rest } = env;
      expect(rest).toEqual(first);
    }
    expect(instances.every((env) => env.KAFKA_BROKERS)).toBe(true);
    const kafka = compose.services.kafka;
    expect(kafka.profiles).toContain(profile);
    expect(kafka.environment?.KAFKA_PROCESS_ROLES).toBe('broker,controller');
  });
});
