import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CommandContext } from '../../commands/command-context';
import { CommandRunner } from '../../commands/command-runner';
import { LEDGER_CONFIG } from '../../commands/ledger-core.module';
import type { LedgerConfig } from '../../config';
import { ReadModelDatabase } from '../../projections/read-model-database';
import { Clock } from '../../shared/clock';
import { newId } from '../../shared/ids';
import { CommandBus } from '@nestjs/cqrs';
import { ExpireMovementCommand } from './expire-movement/expire-movement.handler';
import { expiredRequests } from './movement-views/movement-views.queries';
import { seedFunds, seedFundsFrom } from './seed-funds';

/** At most this many requests are expired per sweep; the next sweep takes the rest. */
const SWEEP_BATCH = 100;

/** Seeds an empty ledger on first start, and expires transfers nobody approved in time. */
@Injectable()
export class FundsLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Funds');
  private timer?: NodeJS.Timeout;
  private sweeping = false;

  constructor(
    private readonly runner: CommandRunner,
    private readonly commands: CommandBus,
    private readonly readModels: ReadModelDatabase,
    private readonly clock: Clock,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  private systemContext(process: string): CommandContext {
    const id = newId();
    return { actor: { id: `system:${process}`, role: 'operator' }, correlationId: id, causationId: id, now: this.clock.now() };
  }

  async onApplicationBootstrap(): Promise<void> {
    const seeded = await seedFunds(
      this.runner,
      this.systemContext('seed'),
      seedFundsFrom(this.config.seedFunds),
      this.config.seedCurrency,
    );
    if (seeded > 0) this.logger.log(`Seeded ${seeded} funds in ${this.config.seedCurrency}`);
    this.timer = setInterval(() => void this.sweep(), this.config.expirySweepMs);
    this.timer.unref();
  }

  /** Expires every pending request whose approval window has passed; returns how many. */
  async sweep(): Promise<number> {
    if (this.sweeping) return 0;
    this.sweeping = true;
    let expired = 0;
    try {
      for (const movementId of expiredRequests(this.readModels.db, this.clock.now().toISOString(), SWEEP_BATCH)) {
        try {
          await this.commands.execute(new ExpireMovementCommand(this.systemContext('expiry'), movementId));
          expired += 1;
        } catch (error) {
          // Approved or rejected meanwhile: the read model had not caught up. Nothing to expire.
          this.logger.debug(`not expired ${movementId}: ${(error as Error).message}`);
        }
      }
    } finally {
      this.sweeping = false;
    }
    return expired;
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
