import { statfs } from 'node:fs/promises';
import { Controller, Get, HttpCode, Inject, Optional, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { BackgroundVerifier, VerificationStatus } from '../audit/verify/background-verifier';
import { SealService } from '../audit/seals/seal.service';
import { LEDGER_CONFIG } from '../commands/ledger-core.module';
import { DEFAULT_MIN_FREE_BYTES, LedgerConfig } from '../config';
import { Public } from '../http/auth';
import { EventStore } from '../event-store/event-store.port';
import { StoreFault, hasWriteFaults } from '../event-store/store-unavailable';
import { ProjectionRunner, Rebuild, StuckAt } from '../projections/projection-runner';
import { LogRelay, RelayStatus } from '../relay/log-relay';
import { LeaseStatus, SingletonLease } from '../shared-state/singleton-lease';

/** A write refused for a storage fault counts against readiness for this long, unless a later write succeeds. */
const WRITE_FAULT_WINDOW_MS = 5 * 60_000;

interface ProjectionCheck {
  readonly name: string;
  readonly version: number;
  readonly position: number;
  readonly lag?: number;
  readonly stuck?: StuckAt;
}

interface Readiness {
  /**
   * `ok`: everything below is up. `degraded`: the service answers, but something needs an
   * operator (a stuck projection, a store that cannot write, a failed verification).
   * `rebuilding`: the read models are catching up with the log (see `projections.rebuilding`);
   * routes that read them answer 503 with Retry-After meanwhile. `unavailable`: the store or the projection runner is down. Both of the latter are 503.
   */
  status: 'ok' | 'degraded' | 'rebuilding' | 'unavailable';
  checks: {
    store: {
      status: 'up' | 'down';
      headPosition?: number;
      error?: string;
      /** Whether the store can take writes: no recent storage fault, enough free disk. */
      write: { status: 'up' | 'down'; lastFault?: StoreFault; freeBytes?: number; minFreeBytes: number };
    };
    projections: {
      /** `degraded` when any projection is stuck; `down` when the runner does not follow the log. */
      status: 'up' | 'degraded' | 'down';
      /** Every healthy projection has applied the log up to here. */
      position: number;
      lag?: number;
      /** While the read models catch up at start: the target, how far, how fast, how long left. */
      rebuilding?: Rebuild;
      error?: string;
      /** The names of the stuck projections, for a quick look. */
      stuck: string[];
      items: ProjectionCheck[];
    };
    verification?: VerificationStatus;
    /**
     * The Kafka relay, when KAFKA_BROKERS is set. Informational: a broker outage delays
     * publication but not the ledger, so it never makes the service unready.
     */
    relay?: RelayStatus & { status: 'up' | 'down' | 'standby'; lag?: number };
    /**
     * The singleton lease: whether this instance seals, relays and delivers webhooks (`held`).
     * Informational: an instance without it serves every request.
     */
    singletons: LeaseStatus;
    /** The Merkle follower and sealer: `failed` (truncated or rewritten) or `unsealed-tail` degrade readiness. */
    seals?: ReturnType<SealService['status']>;
  };
}

/** The answer's shape, for the OpenAPI document: the checks are described in the README. */
const READINESS_SCHEMA = {
  type: 'object',
  required: ['status', 'checks'],
  properties: {
    status: { type: 'string', enum: ['ok', 'degraded', 'rebuilding', 'unavailable'] },
    live: { type: 'boolean' },
    checks: {
      type: 'object',
      description: '`store` (with `write`), `projections` (each with position, lag and any `stuck`), `verification`, `relay` when Kafka is set, `seals`, and `singletons` (whether this instance holds the singleton lease, and which does).',
    },
  },
};

@ApiTags('health')
@Controller('health')
@Public()
export class HealthController {
  constructor(
    private readonly store: EventStore,
    private readonly runner: ProjectionRunner,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
    @Optional() private readonly verifier?: BackgroundVerifier,
    @Optional() private readonly relay?: LogRelay,
    @Optional() private readonly seals?: SealService,
    @Optional() private readonly lease?: SingletonLease,
  ) {}

  /** Liveness and readiness together: 200 when everything is up, else 503 with what is not. */
  @Get()
  @ApiOperation({ summary: 'Liveness and readiness together, with every check' })
  @ApiOkResponse({ description: 'Live and ready: store, projections (each with its position and lag), verification.', schema: READINESS_SCHEMA })
  @ApiServiceUnavailableResponse({ description: 'Degraded or unavailable: which check failed (a stuck projection, a store that cannot write, a failed verification, the store down).', schema: READINESS_SCHEMA })
  async health(@Res({ passthrough: true }) reply: FastifyReply): Promise<Readiness & { live: true }> {
    const readiness = await this.readiness();
    void reply.status(readiness.status === 'ok' ? 200 : 503);
    return { live: true, ...readiness };
  }

  /** 200 as long as the process answers: a stuck projection or a full disk is for readiness. */
  @Get('live')
  @HttpCode(200)
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @ApiOkResponse({ description: 'The process answers.', schema: { type: 'object', required: ['status'], properties: { status: { type: 'string', enum: ['ok'] } } } })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: the same checks as /health' })
  @ApiOkResponse({ description: 'Ready: the same checks as /health.', schema: READINESS_SCHEMA })
  @ApiServiceUnavailableResponse({ description: 'Degraded or unavailable.', schema: READINESS_SCHEMA })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<Readiness> {
    const readiness = await this.readiness();
    void reply.status(readiness.status === 'ok' ? 200 : 503);
    return readiness;
  }

  private async readiness(): Promise<Readiness> {
    const runner = this.runner.status();
    let headPosition: number | undefined;
    let storeError: string | undefined;
    try {
      await this.store.ping();
      headPosition = await this.store.headPosition();
    } catch (error) {
      storeError = (error as Error).message;
    }
    const write = await this.writeCheck();
    const store: Readiness['checks']['store'] = {
      status: storeError === undefined ? 'up' : 'down',
      ...(headPosition !== undefined ? { headPosition } : {}),
      ...(storeError !== undefined ? { error: storeError } : {}),
      write,
    };
    const lag = (position: number) => (headPosition !== undefined ? { lag: Math.max(0, headPosition - position) } : {});
    const items = runner.projections.map((p): ProjectionCheck => ({ name: p.name, version: p.version, position: p.position, ...lag(p.position), ...(p.stuck ? { stuck: p.stuck } : {}) }));
    const stuck = items.filter((p) => p.stuck).map((p) => p.name);
    const projections: Readiness['checks']['projections'] = {
      status: !runner.running ? 'down' : stuck.length > 0 ? 'degraded' : 'up',
      position: runner.position,
      ...lag(runner.position),
      ...(runner.rebuilding ? { rebuilding: runner.rebuilding } : {}),
      ...(runner.error ? { error: runner.error } : {}),
      stuck,
      items,
    };
    const verification = this.verifier?.status();
    const relay = this.relayCheck(headPosition);
    const down = store.status === 'down' || projections.status === 'down';
    const seals = this.seals?.status();
    const degraded = projections.status === 'degraded' || write.status === 'down' || verification?.status === 'failed' || (seals !== undefined && seals.status !== 'ok');
    return {
      status: down ? 'unavailable' : projections.rebuilding ? 'rebuilding' : degraded ? 'degraded' : 'ok',
      checks: {
        store,
        projections,
        ...(verification ? { verification } : {}),
        ...(relay ? { relay } : {}),
        ...(seals ? { seals } : {}),
        singletons: this.lease?.status() ?? { held: true, mode: 'local' },
      },
    };
  }

  private async writeCheck(): Promise<Readiness['checks']['store']['write']> {
    const minFreeBytes = this.config.minFreeBytes ?? DEFAULT_MIN_FREE_BYTES;
    const fault = hasWriteFaults(this.store) ? this.store.lastWriteFault() : undefined;
    const recent = fault && (fault.ongoing || Date.now() - Date.parse(fault.at) < WRITE_FAULT_WINDOW_MS) ? fault : undefined;
    let freeBytes: number | undefined;
    try {
      const fs = await statfs(this.config.dataDir);
      freeBytes = Number(fs.bavail) * Number(fs.bsize);
    } catch {
      // The directory cannot be examined (another platform, or gone): the store's own faults still tell.
    }
    const lowOnSpace = freeBytes !== undefined && minFreeBytes > 0 && freeBytes < minFreeBytes;
    return {
      status: recent || lowOnSpace ? 'down' : 'up',
      ...(recent ? { lastFault: recent } : {}),
      ...(freeBytes !== undefined ? { freeBytes } : {}),
      minFreeBytes,
    };
  }

  private relayCheck(headPosition: number | undefined): Readiness['checks']['relay'] {
    if (!this.relay) return undefined;
    const status = this.relay.status();
    return {
      // Another instance holds the lease and relays: this one is ready to take over.
      status: this.lease && !this.lease.held ? 'standby' : status.state === 'running' ? 'up' : 'down',
      ...status,
      ...(headPosition !== undefined ? { lag: Math.max(0, headPosition - status.position) } : {}),
    };
  }
}
