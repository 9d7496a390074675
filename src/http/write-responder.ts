import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { CommandOutcome } from '../commands/command-runner';
import { LEDGER_CONFIG } from '../commands/ledger-core.module';
import type { LedgerConfig } from '../config';
import { ProjectionRunner } from '../projections/projection-runner';

/**
 * Answers a command: waits (bounded) until the read models include the command's own events,
 * so the client reads its writes, and says where in the log the write landed.
 */
@Injectable()
export class WriteResponder {
  constructor(
    private readonly runner: ProjectionRunner,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  async respond<T extends object>(reply: FastifyReply, outcome: CommandOutcome<T>): Promise<T & { position: number }> {
    const caughtUp = await this.runner.waitFor(outcome.position, this.config.readYourWritesTimeoutMs);
    void reply.header('ledger-position', String(outcome.position));
    void reply.header('ledger-read-models', caughtUp ? 'current' : 'behind');
    if (outcome.replayed) void reply.header('idempotent-replayed', 'true');
    return { ...outcome.response, position: outcome.position };
  }

  /** For queries: waits until the read models reach `minPosition` (a position a client was given). */
  async awaitPosition(minPosition: number | undefined): Promise<void> {
    if (minPosition === undefined) return;
    await this.runner.waitFor(minPosition, this.config.readYourWritesTimeoutMs);
  }
}
