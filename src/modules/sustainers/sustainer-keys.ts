import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { LEDGER_CONFIG } from '../../commands/ledger-core.module';
import { ConfigError, type LedgerConfig, requireKek } from '../../config';
import { SustainerKeyStore } from './personal-data/key-store';
import { SustainerKeyVault, localKeyVault } from './personal-data/key-vault';
import { KekError } from './personal-data/key-wrap';
import { PostgresSustainerKeyStore } from './personal-data/postgres-key-store';
import { SharedState } from '../../shared-state/shared-postgres';

const OPEN_WAIT_MS = 3_000;

/**
 * The one key store of the module, shared by the use cases that seal, open or destroy personal
 * data: keys.db in the data directory on the embedded default, PostgreSQL when several instances
 * share one log (config.sharedStateUrl).
 */
@Injectable()
export class SustainerKeys implements SustainerKeyVault, OnModuleInit, OnApplicationShutdown {
  private readonly vault: SustainerKeyVault;
  private readonly logger = new Logger('SustainerKeys');

  constructor(@Inject(LEDGER_CONFIG) config: LedgerConfig, shared: SharedState) {
    // Without its key-encryption key the service does not run at all (main.ts checks it first).
    const kek = requireKek(config);
    this.vault = shared.postgres ? new PostgresSustainerKeyStore(shared.postgres, kek) : localKeyVault(new SustainerKeyStore(config.dataDir, kek));
  }

  /**
   * A shared store wrapped under another KEK stops the start, as keys.db does. A PostgreSQL that
   * cannot be reached does not: the store is set up on first use, and until then the routes that
   * need a key answer 503, like the log's.
   */
  async onModuleInit(): Promise<void> {
    try {
      // A server slow to answer does not hold the start (and the liveness probe) up for long.
      await Promise.race([this.vault.open(), new Promise<void>((resolve) => setTimeout(resolve, OPEN_WAIT_MS).unref())]);
    } catch (error) {
      if (error instanceof KekError || error instanceof ConfigError) throw error;
      this.logger.warn(`the shared key store is not reachable yet (${(error as Error).message}); it is set up on first use`);
    }
  }

  open(): Promise<void> {
    return this.vault.open();
  }

  pepperedFingerprint(fingerprint: string): Promise<string> {
    return this.vault.pepperedFingerprint(fingerprint);
  }

  create(sustainerId: string): Promise<Buffer> {
    return this.vault.create(sustainerId);
  }

  findMany(sustainerIds: readonly string[]): Promise<Map<string, Buffer>> {
    return this.vault.findMany(sustainerIds);
  }

  destroy(sustainerId: string, options?: { scrub?: boolean }): Promise<void> {
    return this.vault.destroy(sustainerId, options);
  }

  close(): Promise<void> {
    return this.vault.close();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }
}
