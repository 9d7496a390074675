import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { LEDGER_CONFIG } from '../../commands/ledger-core.module';
import type { LedgerConfig } from '../../config';
import { SustainerKeyStore } from './personal-data/key-store';

/** The one key store of the module, shared by the use cases that seal, open or destroy personal data. */
@Injectable()
export class SustainerKeys extends SustainerKeyStore implements OnApplicationShutdown {
  constructor(@Inject(LEDGER_CONFIG) config: LedgerConfig) {
    super(config.dataDir);
  }

  onApplicationShutdown(): void {
    this.close();
  }
}
