/**
 * The composition root: the one place that knows every module. Each module contributes its event
 * catalogue and its read models here; the entry points (`app.ts` for the service, `cli.ts` for the
 * command-line tool) hand them to the infrastructure, which never imports a module itself
 * (`src/event-store`, `src/projections`, `src/commands`, `src/http`, `src/audit`; a dependency-cruiser
 * rule in `npm test` keeps it so).
 */
import { extname, join } from 'node:path';
import type { Projection } from './projections/projection';
import { projections, rebuiltApart } from './read-models';
import { rewrapSealKeys } from './audit/seals/postgres-seal-keys';
import { SharedPostgres, rewrapSharedKeys } from './shared-state/shared-postgres';
import type { KeyEncryptionKey } from './modules/sustainers/personal-data/key-wrap';
import { rewrapSustainerKeys } from './modules/sustainers/personal-data/postgres-key-store';
import type { LedgerWiring } from './commands/ledger-core.module';
import { ACCESS_EVENTS } from './modules/access/access.events';
import { COMMAND_EVENTS } from './commands/command-runner';
import { SEAL_EVENTS } from './audit/seals/seal.events';
import { EventCatalogue, type EventDefinition } from './event-store/event-catalogue';
import { FUNDS_EVENTS } from './modules/funds/funds.events';
import { LAND_TRUST_EVENTS } from './modules/land-trust/land-trust.events';
import { LEDGER_MODULE_EVENTS } from './modules/ledger/ledger.events';
import { LENDING_EVENTS } from './modules/lending/lending.events';
import { SUSTAINERS_EVENTS } from './modules/sustainers/sustainers.events';
import { WEBHOOKS_EVENTS } from './modules/webhooks/webhooks.events';
import { PAGES_EVENTS } from './modules/pages/pages.events';

/**
 * Every event type the ledger writes, gathered from each module's catalogue. The command runner
 * checks new events against it and `ledger verify` checks the recorded ones.
 */
export const LEDGER_EVENTS: readonly EventDefinition[] = [
  ...COMMAND_EVENTS,
  ...ACCESS_EVENTS,
  ...LEDGER_MODULE_EVENTS,
  ...SUSTAINERS_EVENTS,
  ...LAND_TRUST_EVENTS,
  ...LENDING_EVENTS,
  ...FUNDS_EVENTS,
  ...SEAL_EVENTS,
  ...WEBHOOKS_EVENTS,
  ...PAGES_EVENTS,
];

let shared: EventCatalogue | undefined;

/** Where a thread (a verifier, src/audit/verify/verify-worker.ts; the rebuild thread) finds ledgerEventCatalogue. */
export const LEDGER_CATALOGUE = { module: __filename, exportName: 'ledgerEventCatalogue' } as const;

/** The catalogue of LEDGER_EVENTS, compiled once per process (compiling the schemas is not free). */
export function ledgerEventCatalogue(): EventCatalogue {
  shared ??= new EventCatalogue(LEDGER_EVENTS);
  return shared;
}

/**
 * Every read model of the service. The app and `ledger replay` both build from this one list,
 * so a replay rebuilds exactly what the service serves.
 */
/** Every read model, in the order the runner applies them (see read-models.ts). */
export const ALL_PROJECTIONS: readonly Projection[] = projections;
/** The module the projection runner's rebuild thread loads to build the same read models there. */
export const READ_MODELS_MODULE = join(__dirname, `read-models${extname(__filename)}`);

/**
 * `ledger rotate-kek` with the keys shared in PostgreSQL: every wrapped key of the shared state
 * (the sustainers' data keys, the shared keys such as the fingerprint pepper and the webhook
 * signing key, the seal signing keys) rewrapped from `from` to `to` in one transaction, all or
 * nothing. Instances still running on the old KEK answer 503 until restarted with the new one.
 */
export async function rotateSharedKek(url: string, from: KeyEncryptionKey, to: KeyEncryptionKey): Promise<{ sustainerKeys: number; sharedKeys: number; sealKeys: number }> {
  const shared = new SharedPostgres(url);
  try {
    return await shared.transaction(async (client) => ({
      sustainerKeys: await rewrapSustainerKeys(client, from, to),
      sharedKeys: await rewrapSharedKeys(client, from, to),
      sealKeys: await rewrapSealKeys(client, from, to),
    }));
  } finally {
    await shared.close();
  }
}

/** What the infrastructure is handed: the read models to build and the catalogue to check events against. */
export function ledgerWiring(): LedgerWiring {
  return { projections: ALL_PROJECTIONS, catalogue: ledgerEventCatalogue(), threadModules: { projections: READ_MODELS_MODULE, catalogue: LEDGER_CATALOGUE, apart: rebuiltApart } };
}
