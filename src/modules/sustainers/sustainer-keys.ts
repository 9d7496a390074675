import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { LEDGER_CONFIG } from '../../commands/ledger-core.module';
import { type LedgerConfig, requireKek } from '../../config';
import { SustainerKeyStore } from './personal-data/key-store';

/** The one key store of the module, shared by the use cases that seal, open or destroy personal data. */
@Injectable()
export class SustainerKeys extends SustainerKeyStore implements OnApplicationShutdown {
  constructor(@Inject(LEDGER_CONFIG) config: LedgerConfig) {
    // Without its key-encryption key the service does not run at all (main.ts checks it first).
    super(config.dataDir, requireKek(config));
  }

  onApplicationShutdown(): void {
    this.close();
  }
}
