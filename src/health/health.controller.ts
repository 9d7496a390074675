import { Controller, Get, HttpCode, Optional, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../http/auth';
import { EventStore } from '../event-store/event-store.port';
import { ProjectionRunner } from '../projections/projection-runner';
import { LogRelay, RelayStatus } from '../relay/log-relay';

interface Readiness {
  status: 'ok' | 'unavailable';
  checks: {
    store: { status: 'up' | 'down'; headPosition?: number; error?: string };
    projections: { status: 'up' | 'down'; position: number; lag?: number; error?: string };
    /**
     * The Kafka relay, when KAFKA_BROKERS is set. Informational: a broker outage delays
     * publication but not the ledger, so it never makes the service unready.
     */
    relay?: RelayStatus & { status: 'up' | 'down'; lag?: number };
  };
}

@ApiTags('health')
@Controller('health')
@Public()
export class HealthController {
  constructor(
    private readonly store: EventStore,
    private readonly runner: ProjectionRunner,
    @Optional() private readonly relay?: LogRelay,
  ) {}

  /** Liveness and readiness together: 200 when the store answers and projections run, else 503. */
  @Get()
  @ApiOkResponse({ description: 'Live and ready, with store head and projection lag.' })
  @ApiServiceUnavailableResponse({ description: 'The store or the projections are down.' })
  async health(@Res({ passthrough: true }) reply: FastifyReply): Promise<Readiness & { live: true }> {
    const readiness = await this.readiness();
    void reply.status(readiness.status === 'ok' ? 200 : 503);
    return { live: true, ...readiness };
  }

  @Get('live')
  @HttpCode(200)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<Readiness> {
    const readiness = await this.readiness();
    void reply.status(readiness.status === 'ok' ? 200 : 503);
    return readiness;
  }

  private async readiness(): Promise<Readiness> {
    const runner = this.runner.status();
    let store: Readiness['checks']['store'];
    try {
      await this.store.ping();
      store = { status: 'up', headPosition: await this.store.headPosition() };
    } catch (error) {
      store = { status: 'down', error: (error as Error).message };
    }
    const projections: Readiness['checks']['projections'] = {
      status: runner.running ? 'up' : 'down',
      position: runner.position,
      ...(store.headPosition !== undefined ? { lag: Math.max(0, store.headPosition - runner.position) } : {}),
      ...(runner.error ? { error: runner.error } : {}),
    };
    const ok = store.status === 'up' && projections.status === 'up';
    const relay = this.relayCheck(store.headPosition);
    return { status: ok ? 'ok' : 'unavailable', checks: { store, projections, ...(relay ? { relay } : {}) } };
  }

  private relayCheck(headPosition: number | undefined): Readiness['checks']['relay'] {
    if (!this.relay) return undefined;
    const status = this.relay.status();
    return {
      status: status.state === 'running' ? 'up' : 'down',
      ...status,
      ...(headPosition !== undefined ? { lag: Math.max(0, headPosition - status.position) } : {}),
    };
  }
}
