import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { LEDGER_CONFIG } from '../../commands/ledger-core.module';
import { type LedgerConfig, requireKek } from '../../config';
import { SustainerKeyStore } from './personal-data/key-store';
import { SustainerKeyVault, localKeyVault } from './personal-data/key-vault';
import { PostgresSustainerKeyStore } from './personal-data/postgres-key-store';
import { SharedState } from '../../shared-state/shared-postgres';

/**
 * The one key store of the module, shared by the use cases that seal, open or destroy personal
 * data: keys.db in the data directory on the embedded default, PostgreSQL when several instances
 * share one log (config.sharedStateUrl).
 */
@Injectable()
export class SustainerKeys implements SustainerKeyVault, OnModuleInit, OnApplicationShutdown {
  private readonly vault: SustainerKeyVault;

  constructor(@Inject(LEDGER_CONFIG) config: LedgerConfig, shared: SharedState) {
    // Without its key-encryption key the service does not run at all (main.ts checks it first).
    const kek = requireKek(config);
    this.vault = shared.postgres ? new PostgresSustainerKeyStore(shared.postgres, kek) : localKeyVault(new SustainerKeyStore(config.dataDir, kek));
  }

  /**
   * Checks the KEK against the stored keys (and, shared, that erasures can rewrite the key
   * table): a mismatch stops the start, as keys.db does. The shared state's PostgreSQL was
   * reached before this (SharedStateModule makes its tables first).
   */
  async onModuleInit(): Promise<void> {
    await this.vault.open();
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
